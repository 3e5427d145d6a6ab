"""Cohen's κ and Krippendorff's α (nominal) through nltk's `AnnotationTask`, or None where they are undefined.

nltk (`nltk.metrics.agreement`) is imported on first use: it takes a third of a second. Undefined: no item coded
by two annotators, or a single value used throughout (the chance agreement is then total: nltk would answer 1 or
divide by zero).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

__all__ = ["alpha", "kappa"]


def kappa(items: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's κ of two annotators over `items`, each (the first one's value, the second one's)."""
    if not items or len({value for item in items for value in item}) < 2:
        return None
    data = [(coder, str(n), value) for n, (a, b) in enumerate(items) for coder, value in (("a", a), ("b", b))]
    return float(_task(data).kappa())


def alpha(units: Sequence[Mapping[str, Hashable]]) -> float | None:
    """Krippendorff's α (nominal) over `units`, each annotator -> value (an annotator who did not code a unit is
    absent from it); units coded by fewer than two annotators are left out, as α leaves them out."""
    pairable = [unit for unit in units if len(unit) >= 2]
    if not pairable or len({value for unit in pairable for value in unit.values()}) < 2:
        return None
    data = [(coder, str(n), value) for n, unit in enumerate(pairable) for coder, value in unit.items()]
    return float(_task(data).alpha())


def _task(data: list[tuple[str, str, Hashable]]) -> Any:  # nltk ships no types
    from nltk.metrics.agreement import AnnotationTask

    return AnnotationTask(data)
