"""The git merge driver for the repository's `.jsonl` files: `python -m annotations.sync.driver %O %A %B %P`.

Git calls it with the common ancestor, ours (the result goes here) and theirs; it merges record by record
(`records.merge3`), replaces ours atomically, and appends the conflicts it found to the file named by
$WIREDESK_SYNC_CONFLICTS (else `.git/wiredesk-conflicts.jsonl` in the working copy, where git runs it), for the
sync to record. It exits 0 when the file merged (conflicts are kept, not left to git: ours stays in the file and
both values are listed), 1 with one line on stderr when an input is not a file sync wrote; then nothing is written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from annotations.sync.git import SyncError
from annotations.sync.records import CONFLICTS_ENV, MAX_FILE, dump, load, merge3
from stories.text import clean_line

__all__ = ["CONFLICTS_ENV", "main", "merge_files"]


def _read(path: Path, name: str) -> bytes:
    try:
        if path.is_symlink() or not path.is_file():
            raise SyncError(f"{clean_line(name)}: git gave the merge driver something other than a file")
        if path.stat().st_size > MAX_FILE:
            raise SyncError(f"{clean_line(name)} is larger than a sync file can be ({MAX_FILE:,} bytes)")
        return path.read_bytes()
    except OSError as exc:
        raise SyncError(f"{clean_line(name)} cannot be read: {exc.strerror or exc}") from None


def merge_files(base: Path, ours: Path, theirs: Path, name: str, conflicts: Path) -> int:
    """Merge the three versions of the repository file `name`; ours is replaced by the result. How many conflicts
    were appended to `conflicts`. SyncError (nothing written) if an input is not a sync file."""
    merged = merge3(name, load(_read(base, name), name), load(_read(ours, name), name), load(_read(theirs, name), name))
    tmp = conflicts.with_name("wiredesk-merge.tmp")  # beside the conflicts, in .git: never committed
    try:
        with open(tmp, "wb") as fh:
            fh.write(dump(merged.records.values()))
            fh.flush()
            os.fsync(fh.fileno())
        if merged.conflicts:
            with open(conflicts, "ab") as fh:
                fh.write(dump(merged.conflicts))
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, ours)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SyncError(f"the merge of {clean_line(name)} could not be written: {exc.strerror or exc}") from None
    return len(merged.conflicts)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 4:
        print("usage: python -m annotations.sync.driver BASE OURS THEIRS PATH", file=sys.stderr)
        return 2
    base, ours, theirs, name = args
    conflicts = Path(os.environ.get(CONFLICTS_ENV) or Path(".git") / "wiredesk-conflicts.jsonl")
    try:
        merge_files(Path(base), Path(ours), Path(theirs), name, conflicts)
    except SyncError as exc:
        print(f"wiredesk merge driver: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
