"""A TinyDB storage that never loses an acknowledged save: snapshot + journal, compacted atomically.

The data lives in memory. Each committed change is appended to `NAME.journal` as one checksummed line and
fsync'd before the save is acknowledged, so a save costs one small append whatever the library's size.
Opening reads the snapshot (`NAME.json`, plain TinyDB JSON) and replays the journal. Compaction writes a
new snapshot to a temp file, fsyncs it, renames it into place and fsyncs the folder; the replaced snapshot
and its journal go to `backups/` (a few generations), where `wiredesk doctor --repair` finds them. The
snapshot's last field (`crc32`, in the `wiredesk` table) is a checksum of every byte before it, so damage
anywhere in it is found, never read as other data.

A snapshot that cannot be read is never treated as empty and never overwritten: opening stops with a
message naming it. A snapshot or journal changed by another program is never overwritten either.
"""

from __future__ import annotations

import contextlib
import os
import re
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import msgspec
from tinydb.storages import Storage

from annotations.store import journal
from annotations.store.atomic import atomic_output, fsync_dir
from annotations.store.records import Record, RecordError

__all__ = ["META_TABLE", "JournaledStorage", "StoreError", "decode_snapshot", "encode_snapshot"]

#: The TinyDB table holding the snapshot's generation number.
META_TABLE = "wiredesk"
FORMAT = 1
DOCTOR = "`wiredesk doctor --repair` restores the last good backup"
# A snapshot ends with `,"crc32":"XXXXXXXX"}}}`: the CRC-32 of every byte before the hex digits.
_CRC_HEAD = b',"crc32":"'
_CRC_TAIL = b'"}}}'
_CRC_SIZE = 8 + len(_CRC_TAIL)


class StoreError(Exception):
    """The store cannot be read or written; the message is one line naming the file."""


def _checksummed(raw: bytes, path: Path) -> bool:
    """Whether `raw` ends with a snapshot checksum; raises StoreError if it does and the checksum is wrong."""
    if not raw.endswith(_CRC_TAIL) or raw[-_CRC_SIZE - len(_CRC_HEAD) : -_CRC_SIZE] != _CRC_HEAD:
        return False
    try:
        crc = int(raw[-_CRC_SIZE : -len(_CRC_TAIL)], 16)
    except ValueError:
        crc = -1
    if crc != zlib.crc32(raw[:-_CRC_SIZE]):
        raise StoreError(f"{path} is damaged (its checksum does not match); it was left untouched — {DOCTOR}")
    return True


def decode_snapshot(raw: bytes, types: Mapping[str, type[Record] | None], path: Path) -> tuple[dict, int]:
    """The tables of a snapshot, documents decoded to their record types, and its generation.

    A snapshot without the `wiredesk` table (written by plain TinyDB or an older wiredesk) is generation 0 and
    has no checksum; one with it must carry a matching checksum."""
    if not raw.strip():
        raise StoreError(f"{path} is empty ({len(raw)} bytes); it was left untouched — {DOCTOR}")
    checksummed = _checksummed(raw, path)
    try:
        top = msgspec.json.decode(raw, type=dict[str, dict[str, msgspec.Raw]])
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise StoreError(f"{path} is unreadable ({exc}); it was left untouched — {DOCTOR}") from None
    generation = 0
    if META_TABLE in top:
        meta = top.pop(META_TABLE)
        try:
            if not checksummed:
                raise ValueError("its checksum is missing")
            generation = msgspec.json.decode(meta["1"], type=dict[str, Any])["generation"]
            if not isinstance(generation, int) or generation < 0:
                raise ValueError(f"bad generation {generation!r}")
        except (msgspec.DecodeError, KeyError, ValueError) as exc:
            raise StoreError(f"{path} is damaged ({exc}); it was left untouched — {DOCTOR}") from None
    tables: dict[str, dict[str, Any]] = {}
    for name, docs in top.items():
        record_type = types.get(name)
        try:
            if record_type is None:
                tables[name] = {k: msgspec.json.decode(v, type=dict[str, Any]) for k, v in docs.items()}
            else:
                tables[name] = _decode_records(docs, record_type)
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:
            raise StoreError(f"{path} holds a damaged record in table {name!r} ({exc}); {DOCTOR}") from None
    return tables, generation


_CHUNK = 2000


def _decode_records(docs: dict[str, msgspec.Raw], record_type: type[Record]) -> dict[str, Any]:
    """Decode a table's documents a few thousand at a time: one C call per chunk is fast, and the GIL is
    released between chunks, so an app loading in the background stays responsive."""
    decode = msgspec.json.Decoder(list[record_type]).decode  # type: ignore[valid-type]
    items = list(docs.items())
    table: dict[str, Any] = {}
    for i in range(0, len(items), _CHUNK):
        chunk = items[i : i + _CHUNK]
        for (doc_id, _), record in zip(chunk, decode(b"[" + b",".join(raw for _, raw in chunk) + b"]"), strict=True):
            record.intern()
            table[doc_id] = record
    return table


def encode_snapshot(tables: Mapping[str, Mapping[str, Any]], generation: int) -> bytes:
    """Plain TinyDB JSON for `tables`, with the generation and the checksum last, in the `wiredesk` table."""
    top = {name: docs for name, docs in tables.items() if name != META_TABLE}
    top[META_TABLE] = {"1": {"format": FORMAT, "generation": generation}}
    head = msgspec.json.encode(top)[: -len(b"}}}")] + _CRC_HEAD
    return head + b"%08x" % zlib.crc32(head) + _CRC_TAIL


class JournaledStorage(Storage):
    """TinyDB storage over `NAME.json` + `NAME.journal`. Writes go through `commit` (see `TrackedTable`)."""

    def __init__(
        self,
        path: Path,
        *,
        types: Mapping[str, type[Record] | None] | None = None,
        read_only: bool = False,
        keep_backups: int = 3,
        compact_min_bytes: int = 4 << 20,
        compact_ratio: float = 0.5,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.journal_path = self.path.with_suffix(".journal")
        self.backup_dir = self.path.parent / "backups"
        self.types = dict(types or {})
        self.read_only = read_only
        self.keep_backups = keep_backups
        self.compact_min_bytes = compact_min_bytes
        self.compact_ratio = compact_ratio
        self.generation = 0
        self.compaction_error = ""
        self._broken = ""  # set when a compaction stopped between the new snapshot and the new journal
        self._data: dict[str, dict[str, Any]] | None = None
        self._journal: journal.Journal | None = None
        self._snapshot_stat: tuple[int, int, int] | None = None
        self._next_compaction = 0
        self._pending: list[tuple[list[list[Any]], Callable[[], None] | None]] | None = None

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

    def _read_snapshot(self) -> tuple[tuple[int, int, int] | None, dict, int]:
        stat = self._stat(self.path)
        if stat is None:
            return None, {}, 0
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        tables, generation = decode_snapshot(raw, self.types, self.path)
        return stat, tables, generation

    def _load(self) -> None:
        for _attempt in range(3):  # a writer may compact between our reads of the snapshot and the journal
            stat, tables, generation = self._read_snapshot()
            found = journal.scan(self.journal_path)
            if not self.read_only:
                break
            newer = found.generation is not None and found.generation > generation
            if not newer and self._stat(self.path) == stat:  # no compaction replaced the snapshot meanwhile
                break
        if found.status == "corrupt":
            raise StoreError(f"{self.journal_path}: {found.problem}; it was left untouched — run `wiredesk doctor`")
        if found.generation is not None and found.generation > generation:
            raise StoreError(
                f"{self.journal_path} continues a newer snapshot than {self.path} (generation "
                f"{found.generation} > {generation}); both were left untouched — run `wiredesk doctor`"
            )
        if found.generation == generation:
            for change in found.changes:
                self.apply_change(tables, change)
        self._data, self.generation, self._snapshot_stat = tables, generation, stat
        if self.read_only:
            return
        try:
            if found.generation is not None and found.generation < generation:
                self._archive_journal(found.generation)  # a compaction stopped before it moved the old journal away
                found = journal.JournalScan()
            self._journal = journal.Journal(self.journal_path, generation, valid_end=found.valid_end)
        except OSError as exc:
            raise StoreError(f"cannot open {self.journal_path} for writing: {exc.strerror or exc}") from None
        self._next_compaction = self._compaction_threshold()

    def apply_change(self, tables: dict[str, dict[str, Any]], change: bytes) -> None:
        """Apply one journal change line to `tables` (idempotent: each op sets a document's final state)."""
        try:
            ops = msgspec.json.decode(change, type=dict[str, list[tuple[str, str, msgspec.Raw]]])["ops"]
            for table, doc_id, raw_doc in ops:
                docs = tables.setdefault(table, {})
                if bytes(raw_doc) == b"null":
                    docs.pop(doc_id, None)
                    continue
                record_type = self.types.get(table)
                doc = msgspec.json.decode(raw_doc, type=record_type or dict[str, Any])
                if record_type is not None:
                    doc.intern()
                docs[doc_id] = doc
        except (msgspec.DecodeError, UnicodeDecodeError, KeyError) as exc:
            problem = f"holds a change that cannot be applied ({exc})"
            raise StoreError(f"{self.journal_path} {problem}; run `wiredesk doctor`") from None

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

    def _append(self, ops: list[list[Any]]) -> None:
        if self.read_only or self._journal is None:
            raise StoreError(f"{self.path} is open read-only; nothing was saved")
        if self._broken:
            raise StoreError(self._broken)
        try:
            self._journal.append({"ops": ops})
        except OSError as exc:
            raise StoreError(f"could not save to {self.journal_path}: {exc.strerror or exc}") from None
        if self._journal.size >= self._next_compaction:
            try:
                self.compact()
            except (StoreError, OSError) as exc:  # the change itself is safe in the journal
                self.compaction_error = str(exc)
                self._next_compaction = self._journal.size + self.compact_min_bytes

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
        return 0 if self._journal is None else max(self._journal.size - self._journal_header_size(), 0)

    def _journal_header_size(self) -> int:
        return len(journal.encode_line({"journal": journal.FORMAT, "generation": self.generation}))

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
        new_generation = self.generation + 1
        payload = encode_snapshot(self.read(), new_generation)
        try:
            self.backup_dir.mkdir(mode=0o700, exist_ok=True)
            if self._snapshot_stat is not None:
                kept = self._backup_name(self.generation, ".json")
                if not kept.exists():
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
        old_generation, self.generation = self.generation, new_generation
        try:
            self._journal.close()
            self._archive_journal(old_generation)
            self._journal = journal.Journal(self.journal_path, new_generation)
        except OSError as exc:
            self._broken = (
                f"could not start {self.journal_path} after writing {self.path} ({exc.strerror or exc}); "
                "nothing more can be saved until the library is opened again"
            )
            raise StoreError(self._broken) from None
        self._next_compaction = self._compaction_threshold()
        self._prune_backups()
        if failure:
            raise StoreError(failure)

    def _backup_name(self, generation: int, suffix: str) -> Path:
        return self.backup_dir / f"{self.path.stem}.{generation:06d}{suffix}"

    def _archive_journal(self, generation: int) -> None:
        self.backup_dir.mkdir(mode=0o700, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.replace(self.journal_path, self._backup_name(generation, ".journal"))
        fsync_dir(self.backup_dir)
        fsync_dir(self.path.parent)

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
