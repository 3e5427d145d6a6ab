"""A damaged search index file, through the command: cut, random bytes, a folder, a symbolic link, a FIFO in its
place. A file is rebuilt without a word but the progress line; what is not a regular file is left alone and said
in one line; the library itself is never touched."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from annotations.search.index import INDEX_FILE
from tests.annotations.search.support import make_library
from tests.cli_support import assert_user_error, run
from tests.store_support import snapshot

pytestmark = pytest.mark.usefixtures("plain_terminal")


@pytest.fixture
def lib(data_dir: Path) -> Path:
    make_library(data_dir, 30)
    assert run(data_dir, "search", "fishing").exit_code == 0  # builds the index
    return data_dir


def store_files(lib: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(lib).items() if not name.startswith(INDEX_FILE)}


def _cut(path: Path) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(os.path.getsize(path) // 3)


def _random(path: Path) -> None:
    path.write_bytes(random.Random(5).randbytes(os.path.getsize(path)))


def _zeros(path: Path) -> None:
    path.write_bytes(bytes(os.path.getsize(path)))


@pytest.mark.parametrize("damage", [_cut, _random, _zeros])
def test_a_damaged_file_is_rebuilt(lib: Path, damage: Callable[[Path], None]) -> None:
    expected = run(lib, "search", "fishing", "--format", "json").stdout
    before = store_files(lib)
    damage(lib / INDEX_FILE)
    result = run(lib, "search", "fishing", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout == expected
    assert "search index: indexing 30 stories" in result.stderr
    assert store_files(lib) == before


def _folder(path: Path) -> None:
    path.mkdir()


def _link(path: Path) -> None:
    target = path.parent.parent / "target.sqlite"
    target.write_bytes(b"someone else's file")
    path.symlink_to(target)


def _dangling(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize("intruder", [_folder, _link, _dangling, _fifo])
def test_what_is_not_a_regular_file_is_left_alone(lib: Path, intruder: Callable[[Path], None]) -> None:
    os.unlink(lib / INDEX_FILE)
    intruder(lib / INDEX_FILE)
    before = os.lstat(lib / INDEX_FILE)
    line = assert_user_error(run(lib, "search", "fishing"), INDEX_FILE, "never replaced")
    assert line.isprintable()
    repair = run(lib, "doctor", "--repair")
    assert "search index: not rebuilt" in repair.stdout
    after = os.lstat(lib / INDEX_FILE)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    if intruder is _link:
        assert (lib.parent / "target.sqlite").read_bytes() == b"someone else's file"
