"""PathInput: an Input that completes file and folder names as a shell does (Tab or → accepts)."""

from __future__ import annotations

import os
from pathlib import Path

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

__all__ = ["PathInput", "PathSuggester", "complete_path", "path_matches"]


def path_matches(value: str) -> tuple[str, list[str]]:
    """(the typed folder part, sorted names in it that start as typed); hidden names only when asked for."""
    if not value or value.startswith(("http://", "https://")):
        return "", []
    typed = os.path.expanduser(value)
    folder, _, stem = typed.rpartition(os.sep)
    base = Path(folder or ".") if folder or not typed.startswith(os.sep) else Path(os.sep)
    try:
        names = sorted(p.name for p in base.iterdir() if p.name.startswith(stem))
    except OSError:
        return "", []
    prefix = folder + os.sep if folder or typed.startswith(os.sep) else ""
    return prefix, [n for n in names if not n.startswith(".") or stem.startswith(".")]


def complete_path(value: str) -> str | None:
    """The one file or folder that starts as typed, or the longest start that all the matches share (as a shell's
    Tab does); None when the matches share no more than what is typed."""
    prefix, names = path_matches(value)
    if not names:
        return None
    completed = prefix + (names[0] if len(names) == 1 else os.path.commonprefix(names))  # noqa: RUF071 (names, not paths)
    if len(names) == 1 and Path(completed).is_dir():
        completed += os.sep
    if value.startswith("~"):
        completed = "~" + completed[len(os.path.expanduser("~")) :]
    return completed if completed != value else None


class PathSuggester(Suggester):
    """Suggests `complete_path` of what is typed, shown dim after it."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


class PathInput(Input):
    """A path box: completion as you type; Tab takes the completion, or lists the names that match."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False, id="path.complete")]

    def __init__(self, value: str = "", *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(value, placeholder=placeholder, suggester=PathSuggester(), id=id)

    def action_complete(self) -> None:
        if completed := complete_path(self.value):
            self.value = completed
            self.cursor_position = len(self.value)
            return
        _, names = path_matches(self.value)
        if len(names) > 1:
            shown = "  ".join(names[:12]) + (f"  … and {len(names) - 12} more" if len(names) > 12 else "")
            self.notify(shown, title=f"{len(names)} names start like that; type more", markup=False)
