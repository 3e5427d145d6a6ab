"""Undo and redo from a screen's keys: one step of the session's history, refused on a read-only library, what
was undone or redone (or why nothing was) said in a notification."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from annotations.history import Change, History
from annotations.model import AnnotationError
from annotations.store import StoreError
from tui.desk import desk

__all__ = ["said", "step_history"]


def step_history(screen: Screen[Any], history: History, *, undo: bool) -> Change | None:
    """Undo (or redo) the last step; the change, or None when nothing was done (the screen was told why). The
    caller redraws what the change touched, then says it with `said`."""
    if desk(screen).read_only:
        screen.notify(desk(screen).read_only, title="Read-only: nothing was saved", severity="error", markup=False)
        return None
    try:
        change = history.undo() if undo else history.redo()
    except (AnnotationError, StoreError) as exc:
        screen.notify(str(exc), title="Not saved", severity="error", markup=False)
        return None
    if change is None:
        screen.notify("Nothing to undo." if undo else "Nothing to redo.", severity="warning")
    return change


def said(screen: Screen[Any], change: Change, *, undo: bool) -> None:
    """Say what was undone or redone."""
    screen.notify(change.describe(), title="Undone" if undo else "Redone", markup=False)
