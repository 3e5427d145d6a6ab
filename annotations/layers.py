"""Annotator layers: every annotation belongs to its annotator's layer; `curated` is a layer of its own.

Your layer (`Layers.me`, the config's `annotator`) also holds what has no annotator (libraries from before
annotators were recorded) and what the machine made for you (accepted suggestions, `suggest_annotator`), so a
library with one analyst is one layer. Another annotator's layer is theirs: it arrives by sync or merge and is
read here, not edited; `curated` is written only in curation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotations.config import SUGGEST_ANNOTATOR
from annotations.model import CURATED, Annotation

__all__ = ["CURATED", "Layers"]


@dataclass(frozen=True)
class Layers:
    """Whose layer each annotation is in, for the analyst `me`; `machine`: annotator names of machine-made
    annotations that count as the analyst's own."""

    me: str
    machine: frozenset[str] = frozenset({SUGGEST_ANNOTATOR})

    def of(self, ann: Annotation) -> str:
        """The layer `ann` belongs to."""
        name = ann.annotator
        return self.me if not name or name == self.me or name in self.machine else name

    def names(self, anns: Iterable[Annotation]) -> list[str]:
        """The layers present in `anns` (yours always): yours first, the others by name, `curated` last."""
        found = {self.of(ann) for ann in anns}
        ordered = [self.me, *sorted(found - {self.me, CURATED}, key=str.casefold)]
        if CURATED in found:
            ordered.append(CURATED)
        return ordered

    def select(self, anns: Iterable[Annotation], layer: str) -> list[Annotation]:
        """The annotations of `anns` in `layer`, in their order."""
        return [ann for ann in anns if self.of(ann) == layer]

    def editable(self, ann: Annotation) -> bool:
        """Whether the analyst may edit or delete `ann` outside curation: only their own layer's."""
        return self.of(ann) == self.me
