"""Re-anchoring: where each annotation of a story's old version goes in its new text (pure, no store)."""

from annotations.carry.placing import Candidate, Placement, SpanLike, place
from annotations.carry.thresholds import Thresholds, load_thresholds

__all__ = ["Candidate", "Placement", "SpanLike", "Thresholds", "load_thresholds", "place"]
