"""PathInput: an Input that completes file and folder names as you type (Tab or → accepts)."""

from __future__ import annotations

import os
from pathlib import Path

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

__all__ = ["PathInput", "PathSuggester"]


class PathSuggester(Suggester):
    """Suggests the first file or folder (sorted, hidden ones only when asked for) that starts as typed."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value.startswith(("http://", "https://")):
            return None
        typed = os.path.expanduser(value)
        folder, _, stem = typed.rpartition(os.sep)
        base = Path(folder or ".") if folder or not typed.startswith(os.sep) else Path(os.sep)
        try:
            names = sorted(p.name for p in base.iterdir() if p.name.startswith(stem))
        except OSError:
            return None
        names = [n for n in names if not n.startswith(".") or stem.startswith(".")]
        if not names:
            return None
        name = names[0]
        completed = (folder + os.sep if folder or typed.startswith(os.sep) else "") + name
        if (base / name).is_dir():
            completed += os.sep
        if value.startswith("~"):
            completed = "~" + completed[len(os.path.expanduser("~")) :]
        return completed if completed != value else None


class PathInput(Input):
    """A path box: completion as you type; Tab takes the completion."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False, id="path.complete")]

    def __init__(self, value: str = "", *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(value, placeholder=placeholder, suggester=PathSuggester(), id=id)

    def action_complete(self) -> None:
        if self._suggestion:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
