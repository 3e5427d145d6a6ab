"""What `wiredesk doctor --repair` does to one TinyDB file, and to a story index that lost its records.

A file is diagnosed part by part — head, snapshot, journal — and rebuilt from what is sound:

- a snapshot that cannot be used (unreadable, or older than its journal) is rebuilt from the newest good backup
  and the journals kept since, for the generation its journal continues; the journal stays as it is;
- a journal that cannot be used (empty, missing, cut short, damaged, out of sequence, another file's) gives what
  it still holds in sequence; the snapshot (or its rebuild) plus those changes become a new generation, with a
  new journal and head numbered on from the last change ever saved, so nothing later can be mistaken for it;
- what is replaced goes to quarantine/ (damaged files) or backups/ (a sound snapshot), never deleted.

A story index that lost changes gets back the stories whose texts are in `texts.pack`: each pack line carries
the story's index record (lines from before that: the headline is taken from the text).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from annotations.store import journal
from annotations.store.atomic import atomic_output, write_atomic
from annotations.store.bodies import PACK_FILE, BodyPack
from annotations.store.files import StoreError, keep_in_quarantine, read_file
from annotations.store.journal import Head
from annotations.store.records import Record, StoryRecord
from annotations.store.snapshot import SnapshotMeta, decode_snapshot, encode_snapshot
from annotations.store.storage import JournaledStorage, new_uid
from stories.model import Block, Story, StoryError, StoryMeta

__all__ = ["Outcome", "repair_file", "restore_stories"]


@dataclass
class Outcome:
    """What repairing one file did, and what it could not do."""

    repaired: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lost: bool = False  # saved changes could not be recovered (or may not have been)


@dataclass
class _Parts:
    """A TinyDB file taken apart: what each part holds and why it cannot be used as it is."""

    head: Head | None = None
    head_bad: str = ""
    tables: dict[str, dict[str, Any]] | None = None  # the snapshot's, if it can be read
    meta: SnapshotMeta = field(default_factory=SnapshotMeta)
    snapshot_bad: str = ""
    scan: journal.JournalScan = field(default_factory=journal.JournalScan)
    journal_bad: str = ""
    usable: list[bytes] = field(default_factory=list)  # journal changes that continue the snapshot, in sequence


def _examine(storage: JournaledStorage) -> _Parts:
    parts = _Parts()
    try:
        parts.head = journal.read_head(storage.head_path)
    except StoreError as exc:
        parts.head_bad = str(exc)
    try:
        raw = read_file(storage.path)
        if raw is not None:
            parts.tables, parts.meta = decode_snapshot(raw, storage.types, storage.path)
    except StoreError as exc:
        parts.snapshot_bad = str(exc)
    try:
        parts.scan = journal.scan(storage.journal_path)
    except StoreError as exc:
        parts.journal_bad = str(exc)
        return parts
    _examine_journal(storage, parts)
    return parts


def _examine_journal(storage: JournaledStorage, parts: _Parts) -> None:
    scan, meta, head, name = parts.scan, parts.meta, parts.head, storage.journal_path.name
    if not scan.exists:
        if head is not None or meta.seq is not None:
            parts.journal_bad = f"{name} is missing"
        return
    if scan.generation is None:
        parts.journal_bad = f"{name} is empty" if scan.size == 0 else f"{name} has lost its first line"
        return
    if parts.tables is not None and scan.generation > meta.generation:
        parts.snapshot_bad = parts.snapshot_bad or f"{storage.path.name} is older than its journal"
    if meta.uid and scan.uid != meta.uid and not parts.snapshot_bad:
        parts.journal_bad = f"{name} belongs to another file"
        return
    if parts.tables is not None and not parts.snapshot_bad and scan.generation < meta.generation:
        if meta.seq is not None and (scan.generation != meta.generation - 1 or scan.end_seq != meta.seq):
            parts.journal_bad = f"{name} is older than its snapshot and holds other changes"
        return  # a stale journal the snapshot holds: the next writer sets it aside
    if not parts.snapshot_bad and meta.seq is not None and scan.seq != meta.seq:
        parts.journal_bad = f"{name} does not continue its snapshot"
        return
    seq = scan.seq
    for number, change in enumerate(scan.changes, 1):
        try:
            found = storage.apply_change({}, change)
        except StoreError:
            parts.journal_bad = f"{name}: change {number} cannot be applied"
            return
        if seq is not None:
            if found != seq + 1:
                parts.journal_bad = f"{name}: change {seq + 1} is out of sequence"
                return
            seq = found
        parts.usable.append(change)
    if scan.status == "corrupt":
        parts.journal_bad = f"{name}: {scan.problem}"
    end = scan.end_seq
    if head is not None and end is not None and end < head.seq and not parts.journal_bad:
        parts.journal_bad = f"{name} ends at change {end}, but change {head.seq} had been saved"
    if head is not None and head.uid and scan.uid and head.uid != scan.uid and not parts.journal_bad:
        parts.head_bad = f"{storage.head_path.name} belongs to another file"


def repair_file(data_dir: Path, storage: JournaledStorage, floor: int = 0) -> Outcome:
    """Repair one TinyDB file (see the module docstring). `floor`: the least change number its next change may
    have (the story index's texts in the pack are numbered: the index must number on past them)."""
    out = Outcome()
    parts = _examine(storage)
    scan = parts.scan
    current = scan.generation is not None and scan.generation >= parts.meta.generation  # not a stale journal
    end = scan.end_seq if current else parts.meta.seq
    if not parts.journal_bad and floor > (end or 0) + 1:  # +1: an import that died between text and index
        parts.journal_bad = (
            f"{storage.journal_path.name} ends at change {end or 0}, but {PACK_FILE} holds texts stored by change "
            f"{floor}"
        )
    if parts.journal_bad:
        _restart(data_dir, storage, parts, floor, out)
    elif parts.snapshot_bad or (parts.tables is None and parts.scan.generation):
        _rebuild_snapshot(data_dir, storage, parts, out)
    if parts.head_bad and not parts.journal_bad:
        moved = keep_in_quarantine(data_dir, storage.head_path, move=True)
        out.repaired.append(f"{storage.head_path.name} could not be used; moved to {moved}")
    return out


# --- a snapshot rebuilt from backups, for the journal beside it ---------------------------------------------


def _kept_journals(storage: JournaledStorage) -> dict[int, Path]:
    """The journals in backups/ by generation (including generation 0's, whose snapshot never existed)."""
    pattern = re.compile(rf"^{re.escape(storage.path.stem)}\.(\d+)\.journal$")
    if not storage.backup_dir.is_dir():
        return {}
    return {int(m[1]): p for p in storage.backup_dir.iterdir() if (m := pattern.match(p.name))}


def _bases(storage: JournaledStorage, journals: dict[int, Path], target: int | None) -> list[tuple[int, Path | None]]:
    """Snapshots to rebuild from, newest first. A library's first generation had no snapshot: it started empty,
    so with its journal kept, or being the live one (no snapshot kept for it), it is a base too."""
    bases: list[tuple[int, Path | None]] = [(g, snapshot) for g, snapshot, _ in storage.backups()]
    if (0 in journals or target == 0) and all(g != 0 for g, _ in bases):
        bases.append((0, None))
    return bases


def _from_backups(storage: JournaledStorage, target: int | None) -> tuple[dict[str, Any], int, str, list[int]] | None:
    """The tables of generation `target` (None: the newest that can be had) rebuilt from a backup snapshot and
    the journals kept since: (tables, generation reached, source, generations whose changes are missing)."""
    journals = _kept_journals(storage)
    for generation, snapshot in _bases(storage, journals, target):
        if target is not None and generation > target:
            continue
        try:
            raw = read_file(snapshot) if snapshot else None
            tables = decode_snapshot(raw, storage.types, snapshot)[0] if snapshot and raw else {}
        except StoreError:
            continue
        gaps = []
        end = target if target is not None else max([generation, *journals]) + 1
        for g in range(generation, end):
            try:
                found = journal.scan(journals[g]) if g in journals else None
            except StoreError:
                found = None
            if found is None or found.generation != g or found.status == "corrupt":
                gaps.append(g)
                continue
            try:
                for change in found.changes:
                    storage.apply_change(tables, change)
            except StoreError:
                gaps.append(g)
        source = f"backup generation {generation}" if snapshot else "an empty library (generation 0)"
        return tables, end, source, gaps
    return None


def _rebuild_snapshot(data_dir: Path, storage: JournaledStorage, parts: _Parts, out: Outcome) -> None:
    """Rebuild the snapshot the (sound) journal continues."""
    scan = parts.scan
    found = _from_backups(storage, scan.generation)
    if found is None:
        out.problems.append(f"{storage.path.name}: no readable backup to rebuild it from")
        return
    tables, generation, source, gaps = found
    if os.path.lexists(storage.path):
        moved = keep_in_quarantine(data_dir, storage.path, move=True)
        out.repaired.append(f"{storage.path.name} was unreadable; moved to {moved}")
    with atomic_output(storage.path, binary=True) as fh:
        fh.write(encode_snapshot(tables, generation, seq=scan.seq, uid=scan.uid))
    lost = f"; the changes of generation(s) {gaps} were not in the backups" if gaps else ""
    out.lost = bool(gaps)
    out.repaired.append(f"{storage.path.name} rebuilt from {source} and the journals kept since{lost}")


# --- a journal that cannot be used: a new generation from what is sound -------------------------------------


def _restart(data_dir: Path, storage: JournaledStorage, parts: _Parts, floor: int, out: Outcome) -> None:
    scan, meta, head = parts.scan, parts.meta, parts.head
    if parts.tables is not None and not parts.snapshot_bad:
        tables, source, base_seq = parts.tables, f"{storage.path.name}", meta.seq
    else:
        found = _from_backups(storage, None)
        if found is None:
            if parts.tables is None and not os.path.lexists(storage.path) and not storage.backups():
                tables, source, base_seq = {}, "an empty library", 0
            else:
                out.problems.append(f"{storage.path.name}: no readable backup to rebuild it from")
                return
        else:
            tables, _generation, source, gaps = found
            base_seq = None
            out.lost = out.lost or bool(gaps)
    for change in parts.usable:
        storage.apply_change(tables, change)
    end = (scan.seq if scan.seq is not None else base_seq or 0) + len(parts.usable)
    saved = head.seq if head is not None else 0
    seq = max(end, saved, floor, meta.seq or 0)
    generation = max(meta.generation, scan.generation or 0, head.generation if head else 0, *_generations(storage))
    generation += 1
    uid = meta.uid or scan.uid or (head.uid if head else "") or new_uid()
    if os.path.lexists(storage.journal_path):
        moved = keep_in_quarantine(data_dir, storage.journal_path, move=True)
        out.repaired.append(f"{parts.journal_bad}; moved to {moved}")
    else:
        out.repaired.append(parts.journal_bad)
    if parts.snapshot_bad and os.path.lexists(storage.path):
        moved = keep_in_quarantine(data_dir, storage.path, move=True)
        out.repaired.append(f"{storage.path.name} could not be used; moved to {moved}")
    elif parts.tables is not None and os.path.lexists(storage.path):  # sound: it stays among the backups
        storage.backup_dir.mkdir(mode=0o700, exist_ok=True)
        kept = storage.backup_dir / f"{storage.path.stem}.{meta.generation:06d}.json"
        if not os.path.lexists(kept):
            os.link(storage.path, kept)
    if parts.head_bad and os.path.lexists(storage.head_path):
        moved = keep_in_quarantine(data_dir, storage.head_path, move=True)
        out.repaired.append(f"{storage.head_path.name} could not be used; moved to {moved}")
    with atomic_output(storage.path, binary=True) as fh:
        fh.write(encode_snapshot(tables, generation, seq=seq, uid=uid))
    write_atomic(storage.journal_path, journal.encode_line(journal.header(generation, seq, uid)))
    write_atomic(storage.head_path, Head(uid, generation, seq).encode())
    out.repaired.append(
        f"{storage.path.name} rebuilt from {source} and the {len(parts.usable)} change(s) of its journal that "
        f"could be read (generation {generation})"
    )
    if saved > end or (head is None and parts.journal_bad):
        out.lost = True
        missing = f"{saved - end} saved change(s)" if saved > end else "any changes saved after those"
        out.repaired.append(
            f"{storage.path.name}: {missing} could not be recovered from its journal (kept in quarantine/)"
        )


def _generations(storage: JournaledStorage) -> list[int]:
    return [g for g, _, _ in storage.backups()] + list(_kept_journals(storage))


# --- stories back from the pack -----------------------------------------------------------------------------


def _record(body: dict[str, Any], span: tuple[int, int]) -> dict[str, Any] | None:
    """The index record of a pack line: the one kept beside its text, else one with the headline of its text."""
    kept = body.get("record")
    if isinstance(kept, dict) and kept.get("id") == body.get("id"):
        return {**kept, "body": list(span)}
    try:
        blocks = tuple(Block(k, s, e) for k, s, e in body["blocks"])
        story = Story.create(body["text"], blocks, StoryMeta(headline="-"))
    except (KeyError, TypeError, ValueError, StoryError):
        return None
    headline = next((story.block_text(b) for b in blocks if b.kind == "headline"), story.text[:80])
    return {"id": story.id, "headline": headline, "body": list(span), "extra": {"restored": "texts.pack"}}


def restore_stories(data_dir: Path, storage: JournaledStorage, known: set[str]) -> int:
    """Put back in the story index every story whose text is in the pack but which the index does not hold
    (after the index lost changes). Returns how many."""
    pack = BodyPack(data_dir, read_only=True)
    found: dict[str, dict[str, Any]] = {}
    for offset, length, body in pack.scan():
        if not body or body.get("id") in known or body.get("id") in found:
            continue
        try:
            pack.read(str(body.get("id")), (offset, length))
        except StoreError:
            continue
        record = _record(body, (offset, length))
        if record is not None:
            found[record["id"]] = record
    if not found:
        return 0
    docs = storage.table("stories")
    next_id = max((int(k) for k in docs), default=0) + 1
    ops = []
    for n, record in enumerate(found.values()):
        try:
            doc: Record = msgspec.convert(record, StoryRecord)
        except msgspec.ValidationError:
            continue
        doc.intern()
        docs[str(next_id + n)] = doc
        ops.append((str(next_id + n), doc))
    if ops:
        storage.commit("stories", ops)
    return len(ops)
