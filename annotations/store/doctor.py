"""`wiredesk doctor`: check a data dir, and repair what can be repaired without losing anything.

Checks: nothing but regular files stands where the store's files belong; each TinyDB snapshot parses, each
journal replays and is the one its snapshot and head say (numbered in sequence, of the same file, as long as the
head says); the backups; every story body reads back and matches its id, and the pack holds no text stored by a
change the story index lacks; every annotation's story exists and its exact text still matches the story text.

Repairs (only with the write lock, and never deleting a byte — what is replaced or cut goes to `quarantine/`
first, a sound snapshot that is replaced to `backups/`):

- a folder, FIFO, device or link to one in place of a store file (the lock file included) is moved aside;
- an unreadable, empty or out-of-date snapshot is rebuilt from the newest good backup plus the journals kept
  since, so nothing acknowledged is lost as long as those journals are there;
- a damaged, missing, cut or foreign journal: the snapshot plus the changes it still holds in sequence become a
  new generation (see `annotations.store.rebuild`); what could not be recovered is said;
- stories whose index records were lost come back from the text pack, which keeps each story's record;
- annotations whose story is missing or whose text no longer matches move to a quarantine file;
- a story whose body is damaged is pointed at an intact copy of the same text, if the pack has one.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec

from annotations.store import journal
from annotations.store.atomic import atomic_output
from annotations.store.bodies import PACK_FILE, BodyPack
from annotations.store.files import QUARANTINE, StoreError, intruder, keep_in_quarantine
from annotations.store.listing import LIST_FILE
from annotations.store.lock import LOCK_FILE, DataDirLock
from annotations.store.rebuild import repair_file, restore_stories
from annotations.store.records import AnnotationRecord, Record, StoryRecord
from annotations.store.storage import JournaledStorage

__all__ = ["Report", "check", "repair"]

FILES: dict[str, tuple[str, type[Record]]] = {
    "stories.json": ("stories", StoryRecord),
    "annotations.json": ("annotations", AnnotationRecord),
}
#: Every file of the store at the top of a data dir (the lock file first: it must be a file to be taken).
STORE_FILES = (
    LOCK_FILE,
    *(Path(name).with_suffix(suffix).name for name in FILES for suffix in (".json", ".journal", ".head")),
    PACK_FILE,
    LIST_FILE,  # derived: the store ignores whatever stands in its place; repair moves it aside
)


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


def _storage(data_dir: Path, name: str, *, read_only: bool = True) -> JournaledStorage:
    table, record_type = FILES[name]
    return JournaledStorage(data_dir / name, types={table: record_type}, read_only=read_only)


def _load(storage: JournaledStorage) -> tuple[dict[str, Any] | None, str]:
    try:
        return storage.read(), ""
    except StoreError as exc:
        return None, str(exc)


def check(data_dir: Path) -> Report:
    """Look at everything; change nothing (not even the lock file: it only asks who holds it)."""
    report = Report()
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        report.problems.append(f"{data_dir} does not exist or is not a folder")
        return report
    try:
        holder = DataDirLock(data_dir).probe()
        if holder:
            report.notes.append(f"library in use: {data_dir} is open for writing by {holder} (reading works)")
    except StoreError as exc:
        report.problems.append(str(exc))
    tables: dict[str, dict[str, Any]] = {}
    seqs: dict[str, int] = {}
    try:  # read before the index: a writer stores a text only after the index changes before it
        last_text = BodyPack(data_dir, read_only=True).last_seq() or 0
    except StoreError:
        last_text = 0
    for name in FILES:
        storage = _storage(data_dir, name)
        data, error = _load(storage)
        if data is None:
            report.problems.append(error)
            continue
        table = FILES[name][0]
        tables[table], seqs[table] = _by_id(data.get(table, {})), storage.seq
        scan = _scan(storage)
        extra = f", journal: {len(scan)} change(s)" if scan else ""
        report.notes.append(f"{name}: {len(tables[table])} record(s), generation {storage.generation}{extra}")
        backups = storage.backups()
        if backups:
            report.notes.append(f"{name}: {len(backups)} backup generation(s), newest {backups[0][0]}")
    try:
        BodyPack(data_dir, read_only=True).size()
    except StoreError as exc:
        report.problems.append(str(exc))
        tables.pop("stories", None)
    if "stories" in tables:
        _check_bodies(data_dir, tables["stories"], report)
        _check_pack(data_dir, tables["stories"], last_text, seqs["stories"], report)
    if "stories" in tables and "annotations" in tables:
        _check_annotations(data_dir, tables["stories"], tables["annotations"], report)
    return report


def _scan(storage: JournaledStorage) -> list[bytes]:
    found = journal.scan(storage.journal_path)
    return found.changes if found.generation == storage.generation else []


def _by_id(docs: dict[str, Any]) -> dict[str, Any]:
    """A table's records keyed by their own `id` instead of TinyDB's document id."""
    return {rec.id: rec for rec in docs.values()}


def _doc_ids(docs: dict[str, Any]) -> dict[str, str]:
    """Our id -> TinyDB document id."""
    return {rec.id: doc_id for doc_id, rec in docs.items()}


def _story_text(pack: BodyPack, story_id: str, rec: StoryRecord) -> str | None:
    try:
        return pack.read(story_id, tuple(rec.body))[0]
    except StoreError:
        return None


def _check_bodies(data_dir: Path, stories: dict[str, Any], report: Report) -> None:
    pack = BodyPack(data_dir, read_only=True)
    bad = [sid for sid, rec in stories.items() if _story_text(pack, sid, rec) is None]
    for sid in bad:
        report.problems.append(f"story {sid[:8]}: its text in {PACK_FILE} is missing or damaged")
    if not bad:
        report.notes.append(f"{PACK_FILE}: all {len(stories)} story text(s) read back and match their ids")


def _check_pack(data_dir: Path, stories: dict[str, Any], known: int, seq: int, report: Report) -> None:
    """The pack against the index (which ends at change `seq`): a text stored by a change past the index's last is
    a lost change (texts of changes past `known`, the last when the check began, are a writer's at work); texts
    no story refers to are what interrupted imports leave (harmless)."""
    ahead, unused = 0, 0
    for _offset, _length, body in BodyPack(data_dir, read_only=True).scan():
        if body is None:
            continue
        number = body.get("seq")
        if isinstance(number, int) and seq + 1 < number <= known:
            ahead = max(ahead, number)
        if body.get("id") not in stories:
            unused += 1
    if ahead:
        report.problems.append(
            f"{PACK_FILE} holds texts stored by change {ahead} of the story index, which ends at change {seq}: "
            "the index lost changes"
        )
    elif unused:
        report.notes.append(f"{PACK_FILE}: {unused} text(s) no story uses (left by imports that were interrupted)")


def _bad_annotations(data_dir: Path, stories: dict[str, Any], annotations: dict[str, Any]) -> dict[str, str]:
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


def _check_annotations(data_dir: Path, stories: dict[str, Any], annotations: dict[str, Any], report: Report) -> None:
    bad = _bad_annotations(data_dir, stories, annotations)
    for ann_id, why in bad.items():
        report.problems.append(f"annotation {ann_id[:8]}: {why}")
    if not bad:
        report.notes.append(f"all {len(annotations)} annotation(s) match their story text")


# --- repair ---------------------------------------------------------------------------------------------------


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S")


def repair(data_dir: Path) -> Report:
    """Repair what `check` finds, then check again. Needs the write lock (StoreLockedError names its holder,
    ReadOnlyError says the data dir cannot be written)."""
    data_dir = Path(data_dir)
    report = Report()
    if not data_dir.is_dir():
        report.problems.append(f"{data_dir} does not exist or is not a folder")
        return report
    _move_intruder(data_dir, LOCK_FILE, report)  # a lock file that is no file cannot be taken
    lock = DataDirLock(data_dir)
    lock.acquire()  # raises StoreLockedError naming the writer
    try:
        for name in STORE_FILES[1:]:
            _move_intruder(data_dir, name, report)
        floor = max((b.get("seq") or 0 for _, _, b in BodyPack(data_dir, read_only=True).scan() if b), default=0)
        lost_stories = False
        for name in FILES:
            outcome = repair_file(data_dir, _storage(data_dir, name), floor if name == "stories.json" else 0)
            report.repaired.extend(outcome.repaired)
            report.problems.extend(outcome.problems)
            lost_stories = lost_stories or (outcome.lost and name == "stories.json")
        _repair_records(data_dir, report, restore=lost_stories)
    finally:
        lock.release()
    after = check(data_dir)
    after.repaired = report.repaired + after.repaired
    after.problems = report.problems + after.problems
    return after


def _move_intruder(data_dir: Path, name: str, report: Report) -> None:
    path = data_dir / name
    kind = intruder(path)
    if kind:
        moved = keep_in_quarantine(data_dir, path, move=True)
        report.repaired.append(f"{name} was {kind}, not a file; moved to {moved}")


def _repair_records(data_dir: Path, report: Report, *, restore: bool) -> None:
    stories_store = _storage(data_dir, "stories.json")
    annotations_store = _storage(data_dir, "annotations.json")
    stories, _ = _load(stories_store)
    annotations, _ = _load(annotations_store)
    if stories is None or annotations is None:
        return
    stories_table = _by_id(stories.get("stories", {}))
    if restore:
        writer = _storage(data_dir, "stories.json", read_only=False)
        try:
            count = restore_stories(data_dir, writer, set(stories_table))
        finally:
            writer.close()
        if count:
            report.repaired.append(f"{count} story(ies) restored to the index from the texts in {PACK_FILE}")
            stories_table = _by_id(_storage(data_dir, "stories.json").read().get("stories", {}))
    _repair_bodies(data_dir, stories_table, report)
    by_id = _by_id(annotations.get("annotations", {}))
    bad = _bad_annotations(data_dir, stories_table, by_id)
    if not bad:
        return
    moved = {ann_id: by_id[ann_id] for ann_id in bad}
    folder = data_dir / QUARANTINE
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / f"annotations-{_stamp()}.json"
    with atomic_output(target, binary=True) as fh:
        fh.write(msgspec.json.encode({"annotations": moved, "why": bad}))
    writer = _storage(data_dir, "annotations.json", read_only=False)
    docs = writer.table("annotations")
    doc_ids = _doc_ids(docs)
    gone = [doc_ids[ann_id] for ann_id in bad if ann_id in doc_ids]
    for doc_id in gone:
        docs.pop(doc_id, None)
    writer.commit("annotations", [(doc_id, None) for doc_id in gone])
    writer.close()
    report.repaired.append(f"{len(bad)} annotation(s) that no longer fit their story moved to {target}")


def _repair_bodies(data_dir: Path, stories: dict[str, Any], report: Report) -> None:
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
    writer = _storage(data_dir, "stories.json", read_only=False)
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
