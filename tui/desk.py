"""What screens and widgets may ask of the running wiredesk app, typed: `desk(self).store`, `desk(self).open_story(id)`.

Screens never import the app module (it imports them); they see the app through the `Desk` protocol, which
`WiredeskApp` satisfies (mypy checks it in tui/app.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:  # types only: the store and history are the app's, built by the CLI
    from collections.abc import Callable

    from textual.app import App

    from annotations.config import SavedSearch
    from annotations.history import History
    from annotations.layers import Layers
    from annotations.registry import Registry
    from annotations.store import Store
    from annotations.suggest import Suggestion
    from stories.model import Story
    from tui.keymap import Keymap

__all__ = ["Desk", "desk"]


@runtime_checkable
class Desk(Protocol):
    """The wiredesk app as its screens use it."""

    #: The library the app reads and writes.
    store: Store
    #: Who makes the annotations.
    annotator: str
    #: Whose layer each annotation is in (yours: `annotator`'s); others' and `curated` are read-only here.
    layers: Layers
    #: Why the library cannot be written (another process holds it), or "" if it can.
    read_only: str
    #: The app runs on the throwaway demo library.
    demo: bool
    #: The export dialog's last format and folder, offered again next time (this session).
    export_memory: dict[str, str]
    #: The keys in effect (the config file's [keys] applied).
    keymap: Keymap
    #: What the quote key does with punctuation before a closing quote mark (config `quote_punctuation`).
    quote_punctuation: Literal["drop", "keep"]
    #: What the reader suggests for a story with a registry (before leaving out the rejected and already tagged
    #: ones); run in a worker thread, so it must not touch the store.
    suggester: Callable[[Story, Registry], list[Suggestion]]
    #: The config's saved searches, and a line for each entry left out (config `[searches]`).
    saved_searches: tuple[list[SavedSearch], list[str]]

    def history(self, story_id: str | None = None) -> History:
        """The undo history of this session."""
        ...

    def open_story(self, story_id: str, at: int | None = None, find: str | None = None) -> None:
        """Show the reader on a story, the cursor at offset `at` if given; `find`: a library search whose first
        match the reader opens at, its find box holding the query."""
        ...

    def filter_library(self, query: str) -> None:
        """Back to the library, its filter set to `query`."""
        ...

    def key_for(self, binding_id: str) -> str:
        """The key in effect for a binding, as the footer shows it ("q", "^r"), for hints."""
        ...

    def action_help(self) -> None:
        """Show every key."""
        ...

    def action_actors(self) -> None:
        """Show the actor registry."""
        ...

    def action_threads(self, focus: str | None = None) -> None:
        """Show the claim threads (`focus`: the one to highlight)."""
        ...

    def action_dashboard(self) -> None:
        """Show the sourcing dashboard."""
        ...


class _HasApp(Protocol):
    @property
    def app(self) -> App[Any]: ...


def desk(node: _HasApp) -> Desk:
    """The wiredesk app that `node` (a screen, a widget, a palette provider) runs in, typed."""
    app = node.app
    if not isinstance(app, Desk):
        raise TypeError(f"{type(app).__name__} is not the wiredesk app")
    return app
