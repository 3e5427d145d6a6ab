"""The input formats, one module per format: each turns the bytes of one file into stories.

Imports only `stories` (the model, text rules and shared parsing helpers); a format module never imports another.
Each module satisfies `StoryFormat`; `MODULES` is the registry, in detection order.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from stories.model import Story, StoryError

__all__ = ["MODULES", "NAMES", "StoryFormat", "get"]


@runtime_checkable
class StoryFormat(Protocol):
    """What a format module provides. It imports its heavy libraries inside `parse`, so that importing it and
    recognising a file cost nothing."""

    NAME: str  # the format's name: what `--format` takes and `StoryMeta.format` records
    LABEL: str  # its name for people: "plain text", "RSS/Atom feed"

    def detect(self, head: bytes) -> bool:
        """True if `head` (a file's first 64 KiB) looks like this format."""
        ...

    def parse(self, data: bytes, source: str | None = None) -> list[Story]:
        """The stories in `data`; raises StoryError (one line for the user), nothing else."""
        ...


#: Format name -> module, in detection order: the transmissions with control-code framing first (ANPA-1312
#: before IPTC 7901, whose framing is looser), then the XML formats (NewsML-G2, then RSS/Atom), ninjs (JSON),
#: HTML pages, and plain text last: it takes any text.
MODULES: dict[str, str] = {
    "anpa": "stories.formats.anpa",
    "iptc7901": "stories.formats.iptc7901",
    "newsml": "stories.formats.newsml",
    "feed": "stories.formats.feeds",
    "ninjs": "stories.formats.ninjs",
    "html": "stories.formats.htmlpage",
    "text": "stories.formats.plaintext",
}
NAMES: tuple[str, ...] = tuple(MODULES)


def get(name: str) -> StoryFormat:
    """The module of a format (imported on first use). Raises StoryError for an unknown name, listing the known."""
    if (known := _LOADED.get(name)) is not None:
        return known
    try:
        path = MODULES[name]
    except KeyError:
        raise StoryError(f"unknown format {name!r} (known: {', '.join(NAMES)})") from None
    module = importlib.import_module(path)
    if not isinstance(module, StoryFormat) or name != module.NAME:  # checked once: isinstance is slow here
        raise TypeError(f"{path} does not provide the StoryFormat {name!r}")  # a programming error, not input
    _LOADED[name] = module
    return module


_LOADED: dict[str, StoryFormat] = {}


if TYPE_CHECKING:  # mypy checks every registered module against the protocol
    from stories.formats import anpa, feeds, htmlpage, iptc7901, newsml, ninjs, plaintext

    _CHECKED: tuple[StoryFormat, ...] = (anpa, iptc7901, newsml, feeds, ninjs, htmlpage, plaintext)
