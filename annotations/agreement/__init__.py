"""Inter-annotator agreement between annotator layers: span F1 (exact and overlap matching) and attribute κ / α.
Headless: imports `stories` and `annotations` (model, actors, layers, the `Store` facade); κ and α come from nltk.

`agreement(store, me, …)` (`report.py`) measures, per kind, per story and overall, every pair of annotators and
all of them together, and lists the disagreements; `matching.py` pairs spans, `measures.py` asks nltk for κ and α.
"""

from annotations.agreement.matching import exact_pairs, overlap_pairs, overlaps_enough
from annotations.agreement.measures import alpha, kappa
from annotations.agreement.report import Agreement, AgreementError, Snapshot, agreement, measure

__all__ = [
    "Agreement",
    "AgreementError",
    "Snapshot",
    "agreement",
    "alpha",
    "exact_pairs",
    "kappa",
    "measure",
    "overlap_pairs",
    "overlaps_enough",
]
