"""A TinyDB storage that never loses an acknowledged save: snapshot + journal, compacted atomically.

The data lives in memory. Each committed change is appended to `NAME.journal` as one checksummed, numbered line
and fsync'd before the save is acknowledged, so a save costs one small append whatever the library's size.
Opening reads the snapshot (`NAME.json`, plain TinyDB JSON) and replays the journal. Compaction writes a
new snapshot to a temp file, fsyncs it, renames it into place and fsyncs the folder; the replaced snapshot
and its journal go to `backups/` (a few generations), where `wiredesk doctor --repair` finds them. The
snapshot's last field (`crc32`, in the `wiredesk` table) is a checksum of every byte before it, so damage
anywhere in it is found, never read as other data.

The store knows what it should contain: the snapshot records how many changes it holds (`seq`) and which file
it is (`uid`); the journal's header continues from there and numbers every change; `NAME.head` records the last
acknowledged change. A journal that is missing, empty, cut short, spliced or taken from another library
therefore never reads as an empty or older library: opening stops with one line naming the file.

A snapshot that cannot be read is never treated as empty and never overwritten: opening stops with a
message naming it. A snapshot or journal changed by another program is never overwritten either.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from tinydb.storages import Storage

from annotations.store import journal
from annotations.store.atomic import atomic_output, fsync_dir, write_atomic
from annotations.store.files import StoreError, keep_in_quarantine, read_file
from annotations.store.journal import Head, HeadFile
from annotations.store.records import Record, RecordError
from annotations.store.snapshot import META_TABLE, SnapshotMeta, decode_snapshot, encode_snapshot

if TYPE_CHECKING:
    from annotations.store.lean import LeanRecords

__all__ = [
    "META_TABLE",
    "JournaledStorage",
    "SnapshotMeta",
    "StoreError",
    "decode_snapshot",
    "encode_snapshot",
    "new_uid",
]

LOOK = "it was left untouched — run `wiredesk doctor`"


class _Change(msgspec.Struct):
    ops: list[tuple[str, str, msgspec.Raw]]
    seq: int | None = None


def new_uid() -> str:
    """A fresh file id (32 hex digits)."""
    return uuid.uuid4().hex


class JournaledStorage(Storage):
    """TinyDB storage over `NAME.json` + `NAME.journal` (+ `NAME.head`). Writes go through `commit` (see
    `TrackedTable`)."""

    def __init__(
        self,
        path: Path,
        *,
        types: Mapping[str, type[Record] | None] | None = None,
        lean: Mapping[str, LeanRecords] | None = None,
        read_only: bool = False,
        keep_backups: int = 3,
        compact_min_bytes: int = 4 << 20,
        compact_ratio: float = 0.5,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.journal_path = self.path.with_suffix(".journal")
        self.head_path = self.path.with_suffix(".head")
        self.backup_dir = self.path.parent / "backups"
        self.types = dict(types or {})
        #: Tables whose records are held lean in memory (`annotations.store.lean`): shrunk as read, whole on disk.
        self.lean = dict(lean or {})
        self.read_only = read_only
        self.keep_backups = keep_backups
        self.compact_min_bytes = compact_min_bytes
        self.compact_ratio = compact_ratio
        self.generation = 0
        self.seq = 0  # changes saved so far: the number of the last one
        self.uid = ""  # which file this is ("" for a library written before sequence numbers, until it is saved)
        self.legacy = False  # the journal has no sequence numbers yet: the first save renumbers it
        self.compaction_error = ""
        self._broken = ""  # set when a compaction stopped between the new snapshot and the new journal
        self._data: dict[str, dict[str, Any]] | None = None
        self._journal: journal.Journal | None = None
        self._header_size = 0
        self._head: HeadFile | None = None
        self._snapshot_stat: tuple[int, int, int] | None = None
        self._next_compaction = 0
        self._pending: list[tuple[list[list[Any]], Callable[[], None] | None]] | None = None
        #: Called while the snapshot is decoded; raises (LoadCancelled) to stop a load that is no longer wanted.
        self.check: Callable[[], None] | None = None

    # --- reading ------------------------------------------------------------------------------------------

    def read(self) -> dict[str, dict[str, Any]]:
        """Every table by name. The tables are the live ones; the mapping of them is a copy, because TinyDB's
        `drop_table` deletes from it before it calls `write` (which may fail, or be refused)."""
        return dict(self._tables())

    def _tables(self) -> dict[str, dict[str, Any]]:
        if self._data is None:
            self._load()
        assert self._data is not None
        return self._data

    def table(self, name: str) -> dict[str, Any]:
        """The live documents of table `name` (created empty if missing), to change in memory before `commit`."""
        return self._tables().setdefault(name, {})

    def _stat(self, path: Path) -> tuple[int, int, int] | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _read_snapshot(self) -> tuple[tuple[int, int, int] | None, dict[str, dict[str, Any]], SnapshotMeta]:
        stat = self._stat(self.path)
        raw = read_file(self.path) if stat is not None else None
        if raw is None:
            return None, {}, SnapshotMeta()
        shrink = {name: lean.shrink for name, lean in self.lean.items()}
        tables, meta = decode_snapshot(raw, self.types, self.path, check=self.check, shrink=shrink)
        return stat, tables, meta

    def _load(self) -> None:
        for _attempt in range(3):  # a writer may compact between our reads of the snapshot and the journal
            head = journal.read_head(self.head_path)  # first: it never runs ahead of the journal read after it
            stat, tables, meta = self._read_snapshot()
            found = journal.scan(self.journal_path)
            if not self.read_only:
                break
            newer = found.generation is not None and found.generation > meta.generation
            if not newer and self._stat(self.path) == stat:  # no compaction replaced the snapshot meanwhile
                break
        if self.check is not None:
            self.check()  # last chance to stop: nothing is written before this
        journal.verify(self.path, meta.generation, meta.seq, meta.uid, found, head)
        seq = meta.seq
        if found.exists and found.generation == meta.generation:
            seq = self._replay(tables, found)
        self._data, self.generation, self._snapshot_stat = tables, meta.generation, stat
        self.seq, self.uid = seq or 0, meta.uid or found.uid
        self.legacy = found.exists and found.seq is None
        if self.read_only:
            return
        failure = ""
        try:
            if not self.uid and not self.legacy:  # a new library, or an old snapshot whose journal is gone
                self.uid = new_uid()
            if found.exists and found.generation is not None and found.generation < meta.generation:
                self._archive_journal(found.generation)  # a compaction stopped before it started the new journal
                failure = self._start_journal()
            else:
                if found.status == "torn":  # never acknowledged (the head says so): kept, then cut away
                    keep_in_quarantine(self.path.parent, self.journal_path, move=False, data=found.data)
                if found.exists:
                    self._journal = journal.Journal(self.journal_path, self.generation, valid_end=found.valid_end)
                    self._header_size = found.data.find(b"\n") + 1
                else:
                    failure = self._start_journal()
        except OSError as exc:
            raise StoreError(f"cannot open {self.journal_path} for writing: {exc.strerror or exc}") from None
        if not self.legacy:
            self._set_head(head)
        self._next_compaction = self._compaction_threshold()
        if failure:
            self.close()
            raise StoreError(failure)

    def _replay(self, tables: dict[str, dict[str, Any]], found: journal.JournalScan) -> int:
        """Apply a journal's changes to `tables`, checking their numbers; the number of the last one."""
        seq = found.seq or 0
        for change in found.changes:
            number = self.apply_change(tables, change, lean=True)
            if found.seq is None:
                seq += 1
                continue
            if number != seq + 1:
                raise StoreError(
                    f"{self.journal_path}: change {seq + 1} is numbered {number}: changes are missing or come from "
                    f"elsewhere; {LOOK}"
                )
            seq = number
        return seq

    def apply_change(self, tables: dict[str, dict[str, Any]], change: bytes, *, lean: bool = False) -> int | None:
        """Apply one journal change line to `tables` (idempotent: each op sets a document's final state); its
        number (None in a journal written before sequence numbers). With `lean`, the records of lean tables are
        shrunk (for this storage's own tables only: nothing else makes them whole again)."""
        try:
            decoded = msgspec.json.decode(change, type=_Change)
            for table, doc_id, raw_doc in decoded.ops:
                docs = tables.setdefault(table, {})
                if bytes(raw_doc) == b"null":
                    docs.pop(doc_id, None)
                    continue
                record_type = self.types.get(table)
                doc: Any = msgspec.json.decode(raw_doc, type=record_type or dict[str, Any])
                if record_type is not None:
                    doc.intern()
                    if lean and table in self.lean:
                        self.lean[table].shrink(doc)
                docs[doc_id] = doc
        except (msgspec.DecodeError, UnicodeDecodeError, KeyError) as exc:
            problem = f"holds a change that cannot be applied ({exc})"
            raise StoreError(f"{self.journal_path} {problem}; run `wiredesk doctor`") from None
        return decoded.seq

    # --- writing ------------------------------------------------------------------------------------------

    def commit(self, table: str, ops: list[tuple[str, Any]], undo: Callable[[], None] | None = None) -> None:
        """Make changes already applied in memory durable: one journal line, fsync'd. Raises StoreError.

        Inside `transaction()` the line is written when the transaction ends, together with the others; `undo`
        then puts memory back if that write fails.
        """
        if self._pending is not None:
            self._pending.append(([[table, doc_id, doc] for doc_id, doc in ops], undo))
            return
        self._append([[table, doc_id, doc] for doc_id, doc in ops])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Commits made inside (to any table) are saved as one journal line at the end: all of them or none."""
        if self._pending is not None:  # nested: part of the outer transaction
            yield
            return
        self._pending = []
        try:
            yield
        except BaseException:
            pending, self._pending = self._pending, None
            _undo(pending)
            raise
        pending, self._pending = self._pending, None
        ops = [op for lines, _ in pending for op in lines]
        if not ops:
            return
        try:
            self._append(ops)
        except BaseException:
            _undo(pending)
            raise

    @property
    def in_transaction(self) -> bool:
        """Whether commits now wait for the end of a `transaction()` (their records not yet written)."""
        return self._pending is not None

    def _append(self, ops: list[list[Any]]) -> None:
        if self.read_only or self._journal is None:
            raise StoreError(f"{self.path} is open read-only; nothing was saved")
        if self._broken:
            raise StoreError(self._broken)
        try:
            if self._journal.stat()[1] != self._journal.size:
                raise StoreError(
                    f"{self.journal_path} was changed by another program; nothing was saved — run `wiredesk doctor`"
                )
            if self.legacy:
                self._renumber()
            self._journal.append({"seq": self.seq + 1, "ops": ops})
        except OSError as exc:
            raise StoreError(f"could not save to {self.journal_path}: {exc.strerror or exc}") from None
        self.seq += 1
        self._set_head()
        if self._journal.size >= self._next_compaction:
            try:
                self.compact()
            except (StoreError, OSError) as exc:  # the change itself is safe in the journal
                self.compaction_error = str(exc)
                self._next_compaction = self._journal.size + self.compact_min_bytes

    def _renumber(self) -> None:
        """Give a journal written before sequence numbers its numbers (and this file its id): the same changes,
        rewritten atomically with a numbered header, before the first new change is added to it."""
        assert self._journal is not None
        found = journal.scan(self.journal_path)
        if found.generation != self.generation or found.status != "clean" or found.size != self._journal.size:
            raise StoreError(f"{self.journal_path} was changed by another program; nothing was saved")
        uid = self.uid or new_uid()
        lines = [journal.encode_line(journal.header(self.generation, 0, uid))]
        for seq, change in enumerate(found.changes, 1):
            lines.append(journal.encode_line({"seq": seq, "ops": msgspec.json.decode(change, type=_Change).ops}))
        write_atomic(self.journal_path, b"".join(lines))
        self._journal.close()
        self._journal = journal.Journal(self.journal_path, self.generation)
        self._header_size = len(lines[0])
        self.uid, self.seq, self.legacy = uid, len(found.changes), False

    def _start_journal(self) -> str:
        """Put a new journal (only its header) in place, whole: over a stale one, or where there is none. Returns
        what failed after it was renamed into place (the folder's fsync), to report once it is in use."""
        line = journal.encode_line(journal.header(self.generation, self.seq, self.uid))
        failure = ""
        try:
            write_atomic(self.journal_path, line)
        except OSError as exc:
            if read_file(self.journal_path) != line:  # not in place: nothing changed
                raise
            failure = f"could not make {self.journal_path} durable: {exc.strerror or exc}"
        self._journal = journal.Journal(self.journal_path, self.generation)
        self._header_size = len(line)
        return failure

    def _set_head(self, on_disk: Head | None = None) -> None:
        """Record the last change in the head file (created if missing; a head that cannot be written only
        makes the next check less strict)."""
        head = Head(self.uid, self.generation, self.seq)
        if self._head is not None:
            if head != self._head.head:
                self._head.set(head)
            return
        with contextlib.suppress(OSError, StoreError):
            self._head = HeadFile(self.head_path, head, existing=on_disk)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Replace everything (TinyDB calls this to drop tables): a compaction with the new data."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only; nothing was saved")
        before, generation = self._tables(), self.generation
        self._data = {
            name: {k: _as_record(v, self.types.get(name)) for k, v in docs.items()} for name, docs in data.items()
        }
        try:
            self.compact()
        except BaseException:
            if self.generation == generation:  # the new snapshot did not replace the old one: neither does memory
                self._data = before
            raise

    @property
    def journal_bytes(self) -> int:
        """Bytes of changes in the journal beyond its header."""
        return 0 if self._journal is None else max(self._journal.size - self._header_size, 0)

    def _compaction_threshold(self) -> int:
        snapshot = self._snapshot_stat[1] if self._snapshot_stat else 0
        return max(self.compact_min_bytes, int(snapshot * self.compact_ratio))

    def _check_unchanged(self) -> None:
        """Refuse to compact over files someone else changed since we read or wrote them."""
        if self._stat(self.path) != self._snapshot_stat:
            raise StoreError(f"{self.path} was changed by another program; not overwriting it — run `wiredesk doctor`")
        assert self._journal is not None
        on_disk = self._stat(self.journal_path)
        if on_disk is None or (on_disk[0], on_disk[1]) != self._journal.stat() or on_disk[1] != self._journal.size:
            raise StoreError(
                f"{self.journal_path} was changed by another program; not overwriting it — run `wiredesk doctor`"
            )

    def compact(self) -> None:
        """Write a new snapshot of everything, then start an empty journal; the old pair goes to backups/."""
        if self.read_only or self._journal is None:
            raise StoreError(f"{self.path} is open read-only")
        if self._broken:
            raise StoreError(self._broken)
        self._check_unchanged()
        new_generation, uid = self.generation + 1, self.uid or new_uid()
        full = {name: lean.full for name, lean in self.lean.items()}
        payload = encode_snapshot(self.read(), new_generation, seq=self.seq, uid=uid, full=full)
        try:
            self.backup_dir.mkdir(mode=0o700, exist_ok=True)
            if self._snapshot_stat is not None:
                kept = self._backup_name(self.generation, ".json")
                if not os.path.lexists(kept):
                    try:
                        os.link(self.path, kept)
                    except OSError:  # no hard links here: copy instead
                        with atomic_output(kept, binary=True) as fh:
                            fh.write(self.path.read_bytes())
        except OSError as exc:
            raise StoreError(f"could not back up {self.path} in {self.backup_dir}: {exc.strerror or exc}") from None
        failure = ""
        try:
            with atomic_output(self.path, binary=True) as fh:
                fh.write(payload)
        except OSError as exc:
            failure = f"could not write {self.path}: {exc.strerror or exc}"
            if self._stat(self.path) == self._snapshot_stat:  # the old snapshot is still in place
                raise StoreError(failure) from None
            # The new snapshot was renamed into place (only the folder's fsync failed): its journal must follow,
            # or later saves would go to a journal that the next open treats as stale.
        self._snapshot_stat = self._stat(self.path)
        old_generation, self.generation, self.uid = self.generation, new_generation, uid
        try:
            self._journal.close()
            self._archive_journal(old_generation)
            failure = self._start_journal() or failure
        except (OSError, StoreError) as exc:
            self._broken = (
                f"could not start {self.journal_path} after writing {self.path} ({getattr(exc, 'strerror', 0) or exc}"
                "); nothing more can be saved until the library is opened again"
            )
            raise StoreError(self._broken) from None
        self.legacy = False
        self._set_head()
        self._next_compaction = self._compaction_threshold()
        self._prune_backups()
        if failure:
            raise StoreError(failure)

    def _backup_name(self, generation: int, suffix: str) -> Path:
        return self.backup_dir / f"{self.path.stem}.{generation:06d}{suffix}"

    def _archive_journal(self, generation: int) -> None:
        """Keep the journal of `generation` in backups/ (a hard link, or a copy), before a new one replaces it."""
        self.backup_dir.mkdir(mode=0o700, exist_ok=True)
        kept = self._backup_name(generation, ".journal")
        if os.path.lexists(kept):
            if not os.path.samefile(kept, self.journal_path):  # another file by that name: keep ours as well
                keep_in_quarantine(self.path.parent, self.journal_path, move=False)
        else:
            try:
                os.link(self.journal_path, kept)
            except FileNotFoundError:
                return
            except OSError:  # no hard links here: copy instead
                data = read_file(self.journal_path)
                if data is None:
                    return
                with atomic_output(kept, binary=True) as fh:
                    fh.write(data)
        fsync_dir(self.backup_dir)

    def backups(self) -> list[tuple[int, Path, Path | None]]:
        """Kept generations, newest first: (generation, snapshot, its journal if kept)."""
        found: dict[int, dict[str, Path]] = {}
        pattern = re.compile(rf"^{re.escape(self.path.stem)}\.(\d+)(\.json|\.journal)$")
        if self.backup_dir.is_dir():
            for p in self.backup_dir.iterdir():
                if m := pattern.match(p.name):
                    found.setdefault(int(m[1]), {})[m[2]] = p
        return [(g, f[".json"], f.get(".journal")) for g, f in sorted(found.items(), reverse=True) if ".json" in f]

    def _prune_backups(self) -> None:
        for _generation, snapshot, journal_file in self.backups()[self.keep_backups :]:
            for p in (snapshot, journal_file):
                if p is not None:
                    with contextlib.suppress(OSError):
                        p.unlink()

    def close(self, compact: bool = False) -> None:
        """Close; with `compact`, first fold the journal into a new snapshot if it holds any change."""
        try:
            if compact and self._journal is not None and self.journal_bytes > 0:
                self.compact()
        finally:
            if self._journal is not None:
                self._journal.close()
                self._journal = None
            if self._head is not None:
                self._head.close()
                self._head = None


def _undo(pending: list[tuple[list[list[Any]], Callable[[], None] | None]]) -> None:
    for _ops, undo in reversed(pending):
        if undo is not None:
            undo()


def _as_record(value: Any, record_type: type[Record] | None) -> Any:
    from annotations.store.records import to_record

    try:
        return to_record(value, record_type)
    except RecordError as exc:
        raise StoreError(str(exc)) from None
