"""A hostile or broken seen-files cache (`annotations/store/seen_files.py`) costs the cache, never the import.

Damaged: rebuilt empty (every file parsed again). A link, a folder or a FIFO in its place: never read, never
replaced, the import goes on without remembering. Huge: not read. Lies (ids of stories the library lacks): the
files are parsed. Bounded: the oldest entries go.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotations import importing
from annotations.importing import import_paths
from annotations.store import Store, seen_files
from annotations.store.seen_files import SEEN_FILE, SeenFiles, file_key

TEXT = """Pilots end overtime ban {n}

PORTVALE, May 2 (Reuters) - Harbour pilots ended a two-week overtime ban on Friday, part {n}.
"""


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, list[str]]:
    """(data dir, folder of 3 files, names parsed): the files imported once already."""
    files = tmp_path / "in"
    files.mkdir()
    for n in range(3):
        (files / f"s{n}.txt").write_text(TEXT.format(n=n), "utf-8")
    data = tmp_path / "data"
    with Store(data) as store:
        assert {o.status for o in import_paths(store, [files], budget=10)} == {"imported"}
    parsed: list[str] = []
    real = importing.parse_bytes
    monkeypatch.setattr(
        importing, "parse_bytes", lambda d, s=None, *a, **k: (parsed.append(str(s)), real(d, s, *a, **k))[1]
    )
    return data, files, parsed


def _reimport(data: Path, files: Path) -> list[str]:
    with Store(data) as store:
        return [o.status for o in import_paths(store, [files], budget=10)]


def test_the_cache_works_before_it_is_damaged(library: tuple[Path, Path, list[str]]) -> None:
    data, files, parsed = library
    assert _reimport(data, files) == ["present"] * 3
    assert parsed == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-7],  # a torn last line
        lambda b: b + b'["zz",["x"]]\n',  # a key and an id that are no hex digests
        lambda b: b.replace(b"wiredesk_seen_files", b"other_cache"),  # another file's header
        lambda b: b"\x00" * len(b),
        lambda b: b"",
        lambda b: b + b"[" * 100_000 + b"\n",  # deep nesting
        lambda b: b + b'["' + b"a" * 32 + b'",[' + b",".join([b'"' + b"b" * 64 + b'"'] * 1001) + b"]]\n",  # too many
        lambda b: b + b'["' + b"a" * 32 + b'",[]]\n',  # no story
    ],
    ids=["torn", "not-hex", "header", "zeros", "empty", "nesting", "too-many-ids", "no-ids"],
)
def test_a_damaged_file_is_rebuilt_empty(library: tuple[Path, Path, list[str]], damage) -> None:
    data, files, parsed = library
    path = data / SEEN_FILE
    path.write_bytes(damage(path.read_bytes()))
    assert len(SeenFiles(data)) == 0
    assert _reimport(data, files) == ["present"] * 3
    assert len(parsed) == 3  # parsed again, the store says present
    assert len(SeenFiles(data)) == 3  # and remembered again, in a clean file
    assert _reimport(data, files) == ["present"] * 3
    assert len(parsed) == 3


def test_a_huge_file_is_not_read(library: tuple[Path, Path, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    data, files, parsed = library
    with (data / SEEN_FILE).open("r+b") as fh:
        fh.truncate(seen_files.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    read: list[int] = []
    real = seen_files._read_all
    monkeypatch.setattr(seen_files, "_read_all", lambda fd, limit: (read.append(fd), real(fd, limit))[1])
    assert _reimport(data, files) == ["present"] * 3
    assert read == [] and len(parsed) == 3
    assert (data / SEEN_FILE).stat().st_size < 1000  # rebuilt small


@pytest.mark.parametrize("kind", ["link-to-file", "link-to-zero", "folder", "fifo"])
def test_something_else_in_its_place_is_neither_read_nor_replaced(
    library: tuple[Path, Path, list[str]], tmp_path: Path, kind: str
) -> None:
    data, files, parsed = library
    path = data / SEEN_FILE
    elsewhere = tmp_path / "elsewhere.jsonl"
    elsewhere.write_bytes(path.read_bytes())  # a valid cache, but not where the cache goes
    path.unlink()
    if kind == "link-to-file":
        path.symlink_to(elsewhere)
    elif kind == "link-to-zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)
    assert _reimport(data, files) == ["present"] * 3  # no hang on the FIFO, no endless read of /dev/zero
    assert len(parsed) == 3  # the link's target was not trusted
    assert elsewhere.read_bytes().count(b"\n") == 4  # nor written through
    assert path.is_symlink() if kind.startswith("link") else (path.is_dir() or path.is_fifo())
    assert _reimport(data, files) == ["present"] * 3
    assert len(parsed) == 6


def test_lying_ids_mean_parsing(library: tuple[Path, Path, list[str]]) -> None:
    data, files, parsed = library
    seen = SeenFiles(data)
    for name in ("s0.txt", "s1.txt"):
        seen.add(file_key((files / name).read_bytes(), None), ["f" * 64])
    seen.save()
    assert _reimport(data, files) == ["present"] * 3
    assert sorted(parsed) == ["s0.txt", "s1.txt"]


def test_it_stays_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seen_files, "MAX_WEIGHT", 100)
    seen = SeenFiles(tmp_path)
    for n in range(200):
        seen.add(f"{n:032x}", [f"{n:064x}"])
        if n % 10 == 9:
            seen.save()
    again = SeenFiles(tmp_path)
    assert 0 < len(again) <= 50
    assert again.get(f"{199:032x}") == (f"{199:064x}",)  # the newest kept, the oldest gone
    assert again.get(f"{0:032x}") is None
    assert (tmp_path / SEEN_FILE).read_bytes().count(b"\n") <= 51
