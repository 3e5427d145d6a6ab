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
            "Your library is empty. Quit (ctrl+q) and import some wire stories:\n\n",
            ("    wiredesk import PATH...", "bold"),
            "      files or folders of stories\n\n",
            "or try the bundled demo stories, without touching your library:\n\n",
            ("    wiredesk demo", "bold"),
            "\n\n",
            (f"Library: {data_dir}", "dim"),
            justify="left",
        )
        super().__init__(text, id=id)
