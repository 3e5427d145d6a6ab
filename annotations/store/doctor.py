"""`wiredesk doctor`: check a data dir, and repair what can be repaired without losing anything.

Checks: each TinyDB snapshot parses, each journal replays, the backups, every story body reads back and
matches its id, every annotation's story exists and its exact text still matches the story text.

Repairs (only with the write lock, and never deleting a byte — what is replaced or cut goes to
`quarantine/` first):

- an unreadable, empty or out-of-date snapshot is rebuilt from the newest good backup plus the journals kept
  since, so nothing acknowledged is lost as long as those journals are there;
- a damaged journal is cut back to its last good line (the rest is kept in quarantine);
- annotations whose story is missing or whose text no longer matches move to a quarantine file;
- a story whose body is damaged is pointed at an intact copy of the same text, if the pack has one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from annotations.store import journal
from annotations.store.atomic import atomic_output, fsync_dir
from annotations.store.bodies import PACK_FILE, BodyPack
from annotations.store.lock import DataDirLock
from annotations.store.records import AnnotationRecord, Record, StoryRecord
from annotations.store.storage import JournaledStorage, StoreError, decode_snapshot, encode_snapshot

__all__ = ["Report", "check", "repair"]

FILES: dict[str, tuple[str, type[Record]]] = {
    "stories.json": ("stories", StoryRecord),
    "annotations.json": ("annotations", AnnotationRecord),
}


@dataclass
class Report:
    """What the doctor found (`problems` make it unhealthy) and what it did."""

    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        return (
            [f"repaired {r}" for r in self.repaired]
            + [f"ok       {n}" for n in self.notes]
            + [f"PROBLEM  {p}" for p in self.problems]
        )


def _storage(data_dir: Path, name: str) -> JournaledStorage:
    table, record_type = FILES[name]
    return JournaledStorage(data_dir / name, types={table: record_type}, read_only=True)


def _load(storage: JournaledStorage) -> tuple[dict | None, str]:
    try:
        return storage.read(), ""
    except StoreError as exc:
        return None, str(exc)


def check(data_dir: Path) -> Report:
    """Look at everything; change nothing."""
    report = Report()
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        report.problems.append(f"{data_dir} does not exist or is not a folder")
        return report
    lock = DataDirLock(data_dir)
    try:
        lock.acquire()
        lock.release()
    except StoreError as exc:
        report.notes.append(f"library in use: {exc}")
    tables: dict[str, dict] = {}
    for name in FILES:
        storage = _storage(data_dir, name)
        data, error = _load(storage)
        if data is None:
            report.problems.append(error)
            continue
        table = FILES[name][0]
        tables[table] = _by_id(data.get(table, {}))
        scan = journal.scan(storage.journal_path)
        extra = f", journal: {len(scan.changes)} change(s)" if scan.changes else ""
        report.notes.append(f"{name}: {len(tables[table])} record(s), generation {storage.generation}{extra}")
        if scan.status == "torn":
            report.notes.append(f"{storage.journal_path.name}: {scan.problem}")
        backups = storage.backups()
        if backups:
            report.notes.append(f"{name}: {len(backups)} backup generation(s), newest {backups[0][0]}")
    if "stories" in tables:
        _check_bodies(data_dir, tables["stories"], report)
    if "stories" in tables and "annotations" in tables:
        _check_annotations(data_dir, tables["stories"], tables["annotations"], report)
    return report


def _by_id(docs: dict) -> dict:
    """A table's records keyed by their own `id` instead of TinyDB's document id."""
    return {rec.id: rec for rec in docs.values()}


def _doc_ids(docs: dict) -> dict[str, str]:
    """Our id -> TinyDB document id."""
    return {rec.id: doc_id for doc_id, rec in docs.items()}


def _story_text(pack: BodyPack, story_id: str, rec: StoryRecord) -> str | None:
    try:
        return pack.read(story_id, tuple(rec.body))[0]
    except StoreError:
        return None


def _check_bodies(data_dir: Path, stories: dict, report: Report) -> None:
    pack = BodyPack(data_dir, read_only=True)
    bad = [sid for sid, rec in stories.items() if _story_text(pack, sid, rec) is None]
    for sid in bad:
        report.problems.append(f"story {sid[:8]}: its text in {PACK_FILE} is missing or damaged")
    if not bad:
        report.notes.append(f"{PACK_FILE}: all {len(stories)} story text(s) read back and match their ids")


def _bad_annotations(data_dir: Path, stories: dict, annotations: dict) -> dict[str, str]:
    """Annotations that cannot stand: id -> why."""
    pack = BodyPack(data_dir, read_only=True)
    texts: dict[str, str | None] = {}
    bad = {}
    for ann_id, rec in annotations.items():
        if rec.story_id not in stories:
            bad[ann_id] = f"its story {rec.story_id[:8]} is not in the library"
            continue
        if rec.story_id not in texts:
            texts[rec.story_id] = _story_text(pack, rec.story_id, stories[rec.story_id])
        text = texts[rec.story_id]
        if text is not None and text[rec.start : rec.end] != rec.exact:
            bad[ann_id] = f"its text no longer matches story {rec.story_id[:8]} at {rec.start}-{rec.end}"
    return bad


def _check_annotations(data_dir: Path, stories: dict, annotations: dict, report: Report) -> None:
    bad = _bad_annotations(data_dir, stories, annotations)
    for ann_id, why in bad.items():
        report.problems.append(f"annotation {ann_id[:8]}: {why}")
    if not bad:
        report.notes.append(f"all {len(annotations)} annotation(s) match their story text")


# --- repair ---------------------------------------------------------------------------------------------------


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S")


def _quarantine(data_dir: Path, path: Path, *, move: bool) -> Path:
    folder = data_dir / "quarantine"
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / f"{path.name}.{_stamp()}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{path.name}.{_stamp()}.{n}"
    if move:
        os.replace(path, target)
    else:
        shutil.copy2(path, target)
    fsync_dir(folder)
    fsync_dir(path.parent)
    return target


def repair(data_dir: Path) -> Report:
    """Repair what `check` finds, then check again. Needs the write lock."""
    data_dir = Path(data_dir)
    report = Report()
    if not data_dir.is_dir():
        report.problems.append(f"{data_dir} does not exist or is not a folder")
        return report
    lock = DataDirLock(data_dir)
    lock.acquire()  # raises StoreLockedError naming the writer
    try:
        for name in FILES:
            _repair_file(data_dir, name, report)
        _repair_records(data_dir, report)
    finally:
        lock.release()
    after = check(data_dir)
    after.repaired = report.repaired + after.repaired
    after.problems = report.problems + after.problems
    return after


def _repair_file(data_dir: Path, name: str, report: Report) -> None:
    storage = _storage(data_dir, name)
    scan = journal.scan(storage.journal_path)
    if scan.status == "corrupt":
        kept = _quarantine(data_dir, storage.journal_path, move=False)
        with open(storage.journal_path, "r+b") as fh:
            fh.truncate(scan.valid_end)
            fh.flush()
            os.fsync(fh.fileno())
        report.repaired.append(
            f"{storage.journal_path.name}: {scan.problem}; cut back to its last good line (whole file kept as {kept})"
        )
        scan = journal.scan(storage.journal_path)
    data, error = _load(storage)
    if data is not None:
        return
    if not storage.path.exists() and scan.generation is None:
        report.problems.append(error)
        return
    _rebuild_snapshot(data_dir, storage, scan, report)


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


def _rebuild_snapshot(data_dir: Path, storage: JournaledStorage, scan: journal.JournalScan, report: Report) -> None:
    """Rebuild the snapshot the journal continues from the newest good backup and the journals kept since."""
    table, record_type = FILES[storage.path.name]
    types = {table: record_type}
    target = scan.generation
    journals = _kept_journals(storage)
    replayer = JournaledStorage(storage.path, types=types, read_only=True)
    for generation, snapshot in _bases(storage, journals, target):
        if target is not None and generation > target:
            continue
        try:
            tables = decode_snapshot(snapshot.read_bytes(), types, snapshot)[0] if snapshot else {table: {}}
        except (OSError, StoreError):
            continue
        gaps = []
        end = target if target is not None else max([generation, *journals]) + 1
        for g in range(generation, end):
            found = journal.scan(journals[g]) if g in journals else None
            if found is None or found.generation != g or found.status == "corrupt":
                gaps.append(g)
                continue
            try:
                for change in found.changes:
                    replayer.apply_change(tables, change)
            except StoreError:
                gaps.append(g)
        if storage.path.exists():
            moved = _quarantine(data_dir, storage.path, move=True)
            report.repaired.append(f"{storage.path.name} was unreadable; moved to {moved}")
        with atomic_output(storage.path, binary=True) as fh:
            fh.write(encode_snapshot(tables, end))
        lost = f"; the changes of generation(s) {gaps} were not in the backups" if gaps else ""
        source = f"backup generation {generation}" if snapshot else "an empty library (generation 0)"
        report.repaired.append(f"{storage.path.name} rebuilt from {source} and the journals kept since{lost}")
        return
    report.problems.append(f"{storage.path.name}: no readable backup to rebuild it from")


def _repair_records(data_dir: Path, report: Report) -> None:
    stories_store = _storage(data_dir, "stories.json")
    annotations_store = _storage(data_dir, "annotations.json")
    stories, _ = _load(stories_store)
    annotations, _ = _load(annotations_store)
    if stories is None or annotations is None:
        return
    stories_table = _by_id(stories.get("stories", {}))
    _repair_bodies(data_dir, stories_store, stories_table, report)
    by_id = _by_id(annotations.get("annotations", {}))
    bad = _bad_annotations(data_dir, stories_table, by_id)
    if not bad:
        return
    folder = data_dir / "quarantine"
    folder.mkdir(mode=0o700, exist_ok=True)
    moved = {ann_id: by_id[ann_id] for ann_id in bad}
    target = folder / f"annotations-{_stamp()}.json"
    with atomic_output(target, binary=True) as fh:
        fh.write(msgspec.json.encode({"annotations": moved, "why": bad}))
    writer = JournaledStorage(annotations_store.path, types={"annotations": AnnotationRecord})
    docs = writer.table("annotations")
    doc_ids = _doc_ids(docs)
    gone = [doc_ids[ann_id] for ann_id in bad if ann_id in doc_ids]
    for doc_id in gone:
        docs.pop(doc_id, None)
    writer.commit("annotations", [(doc_id, None) for doc_id in gone])
    writer.close()
    report.repaired.append(f"{len(bad)} annotation(s) that no longer fit their story moved to {target}")


def _repair_bodies(data_dir: Path, stories_store: JournaledStorage, stories: dict, report: Report) -> None:
    pack = BodyPack(data_dir, read_only=True)
    bad = [sid for sid, rec in stories.items() if _story_text(pack, sid, rec) is None]
    if not bad:
        return
    intact: dict[str, tuple[int, int]] = {}
    for offset, length, body in pack.scan():
        if body and body.get("id") in bad and body["id"] not in intact:
            with contextlib.suppress(StoreError):
                pack.read(body["id"], (offset, length))
                intact[body["id"]] = (offset, length)
    if not intact:
        return
    writer = JournaledStorage(stories_store.path, types={"stories": StoryRecord})
    docs = writer.table("stories")
    doc_ids = _doc_ids(docs)
    ops = []
    for sid, span in intact.items():
        doc_id = doc_ids[sid]
        docs[doc_id] = msgspec.structs.replace(docs[doc_id], body=span)
        ops.append((doc_id, docs[doc_id]))
    writer.commit("stories", ops)
    writer.close()
    report.repaired.append(f"{len(intact)} story text(s) pointed at an intact copy in {PACK_FILE}")
