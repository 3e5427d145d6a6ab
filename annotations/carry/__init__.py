"""Re-anchoring: where each annotation of a story's old version goes in its new text. Pure: imports `stories`
(text rules) and rapidfuzz only, no store and no screen; `place` is the entry point, thresholds are data."""

from annotations.carry.placing import Candidate, Placement, SpanLike, place
from annotations.carry.thresholds import Thresholds, load_thresholds

__all__ = ["Candidate", "Placement", "SpanLike", "Thresholds", "load_thresholds", "place"]
