"""Welcome: what an empty library shows instead of a list."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static

__all__ = ["Welcome"]


class Welcome(Static):
    """Says how to import stories or try the demo ones."""

    DEFAULT_CSS = """
    Welcome {
        width: 1fr;
        height: 1fr;
        content-align: center middle;
        padding: 1 4;
    }
    """

    def __init__(self, data_dir: Path, *, id: str | None = None) -> None:
        text = Text.assemble(
            ("Welcome to wiredesk\n\n", "bold"),
            "Your library is empty. Press ",
            ("i", "bold"),
            " to import wire stories (files, folders or a feed URL), or from a shell:\n\n",
            ("    wiredesk import PATH...", "bold"),
            "\n\n",
            "or try the bundled demo stories, without touching your library:\n\n",
            ("    wiredesk demo", "bold"),
            "\n\n",
            (f"Library: {data_dir}", "dim"),
            justify="left",
        )
        super().__init__(text, id=id)
