"""The command line's last steps, handed to the app's undo history.

`wiredesk annotate`, `edit` and `delete` each make one `History` step, like the app; the app's history lives
for one session, so each such step is also written to `cli-steps.jsonl` in the data dir (the last `MAX_STEPS`).
The app, started afterwards, begins its history with them: `u` undoes the command line's last step as if the
app had made it, and the step leaves the file.

A step is undone only while what it wrote is still there (`check_current`): an annotation or registry entry
changed since is never put back over the change. The file is only a convenience: a damaged, missing or odd one
(a folder, a device, a link to one) gives no steps, and never stops a command or the app.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from annotations.actors import Actor
from annotations.model import Annotation, AnnotationError
from annotations.store import Store
from annotations.store.atomic import write_atomic
from annotations.store.files import StoreError, intruder
from annotations.store.tagstore import Edit, Subject
from annotations.threads import Thread, ThreadTombstone

__all__ = ["MAX_STEPS", "STEPS_FILE", "Handed", "check_current", "forget", "load", "record"]

STEPS_FILE = "cli-steps.jsonl"
#: At most this many steps are kept for the app to undo (the oldest go first).
MAX_STEPS = 100
#: A steps file larger than this is damage: read as no steps.
MAX_FILE_BYTES = 16 << 20

Tombstones = Mapping[str, Mapping[str, str] | None]
#: A step as handed over: its id in the file, edits, label, tombstones before and after.
Handed = tuple[str, tuple[Edit, ...], str, Tombstones, Tombstones]

_KINDS: dict[str, type[Annotation] | type[Actor] | type[Thread] | type[ThreadTombstone]] = {
    "annotation": Annotation,
    "actor": Actor,
    "thread": Thread,
    "thread_tombstone": ThreadTombstone,
}


def _path(store: Store) -> Path:
    return Path(store.data_dir) / STEPS_FILE


def _item(item: Subject | None) -> dict[str, Any] | None:
    if item is None:
        return None
    kind = next((k for k, t in _KINDS.items() if isinstance(item, t)), "actor")
    return {"kind": kind, "data": item.to_dict()}


def _subject(value: object) -> Subject | None:
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("kind") not in _KINDS or not isinstance(value.get("data"), dict):
        raise ValueError("not a step item")
    return _KINDS[value["kind"]].from_dict(value["data"])


def _tombstones(value: object) -> dict[str, dict[str, str] | None]:
    if not isinstance(value, dict):
        raise ValueError("not tombstones")
    out: dict[str, dict[str, str] | None] = {}
    for key, stone in value.items():
        if stone is not None and not (isinstance(stone, dict) and all(isinstance(v, str) for v in stone.values())):
            raise ValueError("not a tombstone")
        out[str(key)] = stone
    return out


def _read_lines(store: Store) -> list[str]:
    """The file's lines; none when it is missing, damaged, too big or not a regular file."""
    path = _path(store)
    if intruder(path):
        return []
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return []
        return path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _parse(line: str) -> Handed:
    data = json.loads(line)
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("label"), str):
        raise ValueError("not a step")
    edits = data.get("edits")
    if not isinstance(edits, list) or not edits:
        raise ValueError("no edits")
    pairs: list[Edit] = []
    for pair in edits:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError("not an edit")
        before_item, after_item = _subject(pair[0]), _subject(pair[1])
        if before_item is None and after_item is None:
            raise ValueError("an edit of nothing")
        pairs.append((before_item, after_item))
    before, after = _tombstones(data.get("before", {})), _tombstones(data.get("after", {}))
    return data["id"], tuple(pairs), data["label"], before, after


def load(store: Store) -> list[Handed]:
    """The steps the command line left for the app to undo, oldest first; a damaged line is skipped."""
    steps = []
    for line in _read_lines(store):
        with contextlib.suppress(ValueError, TypeError, KeyError, AnnotationError):
            steps.append(_parse(line))
    return steps


def _write(store: Store, lines: list[str]) -> None:
    path = _path(store)
    with contextlib.suppress(OSError, StoreError):  # only a convenience: the step itself is saved
        if not lines:
            if path.is_file() and not path.is_symlink():
                os.unlink(path)
            return
        write_atomic(path, "".join(f"{line}\n" for line in lines[-MAX_STEPS:]).encode("utf-8"))


def record(store: Store, edits: tuple[Edit, ...], label: str, before: Tombstones, after: Tombstones) -> None:
    """Add a step the command line made (of annotations, registry entries and claim threads only) for the app to
    undo."""
    if not all(isinstance(i, tuple(_KINDS.values())) for edit in edits for i in edit if i is not None):
        return
    step = {
        "id": str(uuid.uuid4()),
        "label": label,
        "edits": [[_item(b), _item(a)] for b, a in edits],
        "before": before,
        "after": after,
    }
    _write(store, [*_read_lines(store), json.dumps(step, ensure_ascii=False)])


def forget(store: Store, step_id: str) -> None:
    """Take a step out of the file (the app undid it, or found it out of date)."""
    lines = _read_lines(store)
    kept = [line for line in lines if f'"id": "{step_id}"' not in line]
    if len(kept) != len(lines):
        _write(store, kept)


def check_current(store: Store, edits: tuple[Edit, ...], label: str) -> None:
    """AnnotationError unless every item the step wrote is still as it wrote it (or still gone)."""
    for _before, after in edits:
        subject = after if after is not None else _before
        assert subject is not None
        now: Subject | None
        if isinstance(subject, Annotation):
            now = store.annotation(subject.id)
        elif isinstance(subject, Thread):
            now = store.thread(subject.id)
        elif isinstance(subject, ThreadTombstone):
            now = store.thread_tombstone(subject.id)
        else:
            now = store.actor(subject.id)
        if now != after:
            raise AnnotationError(f"“{label}” from the command line was changed since; it is not undone")
