"""Annotator layers: every annotation belongs to its annotator's layer; `curated` is a layer of its own.

Your layer (`Layers.me`, the config's `annotator`) also holds what has no annotator (libraries from before
annotators were recorded), what the machine made for you (accepted suggestions, `suggest_annotator`) and what you
made before you named yourself (recorded under your OS user name), so a library with one analyst is one layer.
Another annotator's layer is theirs: it arrives by sync or merge and is read here, not edited; `curated` is
written only in curation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from annotations import config
from annotations.config import SUGGEST_ANNOTATOR
from annotations.model import CURATED, Annotation, AnnotationError, quoted
from annotations.store import Store
from stories.text import clean_line

__all__ = ["ALL", "CURATED", "Layers", "ReadOnlyLayer", "chosen_note", "layers_of"]

#: Not a layer: every layer at once (the reader's side-by-side view, an export of everything).
ALL = "all"


class ReadOnlyLayer(AnnotationError):
    """An edit, retag or delete of an annotation outside the analyst's own layer (refused, one line)."""

    def __init__(self, ann: Annotation, layer: str, verb: str) -> None:
        whose = "the curated layer, written only in curation" if layer == CURATED else f"{clean_line(layer)}'s layer"
        super().__init__(
            f"cannot {verb} {quoted(ann.exact, 40)}: it is in {whose}, read-only here (you change only your own)"
        )
        self.layer = layer


@dataclass(frozen=True)
class Layers:
    """Whose layer each annotation is in, for the analyst `me`; `machine`: annotator names of machine-made
    annotations that count as the analyst's own; `before`: names the analyst's own work was recorded under before
    they named themselves (the OS user name). `solo`: one analyst who has not named themselves (no `annotator`
    in the config: `me` is the OS user name, a guess), so every annotation but the curated ones is theirs, whatever
    name it carries (another machine's user name, a merged export), and the library works as before layers."""

    me: str
    machine: frozenset[str] = frozenset({SUGGEST_ANNOTATOR})
    solo: bool = False
    before: frozenset[str] = frozenset()

    def of(self, ann: Annotation) -> str:
        """The layer `ann` belongs to."""
        return self.of_name(ann.annotator)

    def of_name(self, name: str) -> str:
        """The layer of what the annotator `name` made."""
        if self.solo and name != CURATED:
            return self.me
        return self.me if not name or name == self.me or name in self.machine or name in self.before else name

    def names(self, anns: Iterable[Annotation]) -> list[str]:
        """The layers present in `anns` (yours always): yours first, the others by name, `curated` last."""
        return self.ordered(self.of(ann) for ann in anns)

    def ordered(self, layers: Iterable[str]) -> list[str]:
        """These layers and yours, yours first, the others by name, `curated` last."""
        found = set(layers)
        ordered = [self.me, *sorted(found - {self.me, CURATED}, key=str.casefold)]
        return [*ordered, CURATED] if CURATED in found else ordered

    def select(self, anns: Iterable[Annotation], layer: str) -> list[Annotation]:
        """The annotations of `anns` in `layer`, in their order."""
        return [ann for ann in anns if self.of(ann) == layer]

    def editable(self, ann: Annotation) -> bool:
        """Whether the analyst may edit or delete `ann` outside curation: only their own layer's."""
        return self.of(ann) == self.me

    @property
    def team(self) -> Layers:
        """These layers for comparing annotators (agreement, curation, sync): never `solo`, so that what others
        made stays theirs, while what you made under other names (`machine`, `before`) stays yours."""
        return replace(self, solo=False)

    def check(self, ann: Annotation, verb: str = "edit") -> None:
        """Refuse (ReadOnlyLayer) to `verb` ("edit", "delete", "retag"…) `ann` if it is not in the analyst's layer:
        the one rule the app and the command line both apply, through `History`."""
        if not self.editable(ann):
            raise ReadOnlyLayer(ann, self.of(ann), verb)

    def shows(self, ann: Annotation, layer: str) -> bool:
        """Whether a view of `layer` (or of `ALL`) shows `ann`."""
        return layer == ALL or self.of(ann) == layer

    def recorded_names(self, layer: str, names: Iterable[str]) -> frozenset[str] | None:
        """The annotator names as recorded (`names`, "" for none) whose annotations are in `layer`; None for
        `ALL` (anyone's): how an aggregate that keeps raw names selects a layer."""
        return None if layer == ALL else frozenset(name for name in names if self.of_name(name) == layer)

    def in_library(self, store: Store) -> list[str]:
        """The layers the library's annotations are in, ordered as `names` (read from the records: fast)."""
        return self.ordered(
            self.of_name(rec.annotator) for recs in store.records_by_story().values() for rec in recs.values()
        )

    def choose(self, asked: str | None, present: list[str]) -> str:
        """The layer an export (or a listing) takes: `asked` if given (one of `present`, or `ALL`; else
        AnnotationError naming them), else `curated` once the library has it (the set that gets analysed), else
        `ALL` (everything, as before layers)."""
        if asked is None:
            return CURATED if CURATED in present else ALL
        if asked == ALL or asked in present:
            return asked
        raise AnnotationError(f'no layer "{asked}" in the library (its layers: {", ".join([*present, ALL])})')


def chosen_note(asked: str | None, chosen: str, present: list[str]) -> str:
    """What a summary says of the layer `Layers.choose` took ("" when the library has one layer and none was
    asked for)."""
    if chosen == CURATED and asked is None:
        return "the curated layer: the default once there is one; --layer all for every layer"
    if asked is None and len(present) < 2:
        return ""
    return "every layer" if chosen == ALL else f"layer {clean_line(chosen)}"


def layers_of(settings: dict[str, Any] | None = None) -> Layers:
    """The layers as the config file sets them: `annotator` is yours, and so is what `suggest_annotator` made and
    what was recorded under your OS user name before you named yourself; with no `annotator` named, the analyst
    works `solo` (see `Layers`)."""
    machine = frozenset({SUGGEST_ANNOTATOR, config.suggest_annotator(settings)})
    named = (settings or {}).get("annotator")
    solo = not (isinstance(named, str) and named.strip())
    me = config.annotator(settings)
    return Layers(me, machine, solo=solo, before=frozenset({config.annotator(None)}) - {me, CURATED})
