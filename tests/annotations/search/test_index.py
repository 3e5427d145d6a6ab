"""The index file: built, kept in step with imports and notes, rebuilt when missing, damaged or foreign, never
trusted blindly, never replacing what is not a regular file; read-only libraries."""

from __future__ import annotations

import os
import random
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from annotations.importing import import_paths
from annotations.model import Annotation
from annotations.search import SearchIndex, find, parse_query
from annotations.search.index import INDEX_FILE
from annotations.store import Store
from tests.annotations.search.support import make_library


def hits(store: Store, index: SearchIndex, text: str) -> set[str]:
    found = find(store, index, parse_query(text))
    return {h.story_id for h in found.hits or []}


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    make_library(tmp_path / "lib", 40)
    return tmp_path / "lib"


def built(lib: Path) -> None:
    with Store(lib) as store:
        index = SearchIndex(store)
        index.ensure()
        assert index.ready and not index.problem
        index.close()


def test_ensure_builds_the_file_with_progress(lib: Path) -> None:
    seen: list[tuple[int, int]] = []
    with Store(lib) as store:
        index = SearchIndex(store)
        assert not index.ready
        index.ensure(lambda done, total: seen.append((done, total)))
        assert index.ready and (lib / INDEX_FILE).is_file()
        assert seen[0] == (0, 40) and seen[-1] == (40, 40)
        assert hits(store, index, "fishing")
        index.close()


def test_a_second_ensure_reuses_the_file(lib: Path) -> None:
    built(lib)
    before = os.stat(lib / INDEX_FILE)
    with Store(lib) as store:
        index = SearchIndex(store)
        index.ensure(lambda done, total: pytest.fail("nothing to index"))
        assert index.ready
        index.close()
    after = os.stat(lib / INDEX_FILE)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_an_import_adds_its_stories_to_the_index(lib: Path, tmp_path: Path) -> None:
    built(lib)
    wire = tmp_path / "wire.txt"
    wire.write_text("Quokka census begins\n\nRangers counted every quokka on the island on Monday.\n")
    with Store(lib) as store:
        outcomes = list(import_paths(store, [wire]))
        assert [o.status for o in outcomes] == ["imported"]
        index = SearchIndex.of(store)  # the one the import reached: open now, without an ensure
        assert index.ready
        assert hits(store, index, "quokka") == {outcomes[0].story.id}  # type: ignore[union-attr]
        index.close()


def test_stories_added_behind_its_back_are_caught_up_in_place(lib: Path) -> None:
    built(lib)
    inode = os.stat(lib / INDEX_FILE).st_ino
    rng = random.Random(99)
    from tests.annotations.search.support import make_story

    extra = make_story(rng, 1000)
    with Store(lib) as store:
        store.add_stories([extra])
        index = SearchIndex(store)
        index.ensure()
        assert index.ready
        assert extra.id in hits(store, index, "1000")
        index.close()
    assert os.stat(lib / INDEX_FILE).st_ino == inode  # caught up, not rebuilt


def test_notes_are_caught_up_by_ensure(lib: Path) -> None:
    built(lib)
    with Store(lib) as store:
        index = SearchIndex(store)
        index.ensure()
        story_id = sorted(store.story_ids)[0]
        story = store.story(story_id)
        ann = Annotation.new(story, "quote", 0, 5, note="zanzibar archipelago", annotator="t")
        store.apply([(None, ann)])
        assert hits(store, index, "zanzibar") == set()  # not yet: notes catch up lazily
        index.ensure()
        assert hits(store, index, "zanzibar") == {story_id}
        store.apply([(ann, None)])
        index.ensure()
        assert hits(store, index, "zanzibar") == set()
        index.close()


def _truncate(path: Path) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(os.path.getsize(path) // 2 + 100)


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(50_000))


def _other_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = 'wiredesk-search-0' WHERE key = 'schema'")
    db.commit()
    db.close()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _foreign(path: Path) -> None:
    other = path.parent.parent / "other"
    make_library(other, 5, seed=3)
    built(other)
    os.replace(other / INDEX_FILE, path)


@pytest.mark.parametrize("damage", [_truncate, _random_bytes, _other_schema, _empty, _foreign, Path.unlink])
def test_a_missing_damaged_or_foreign_file_is_rebuilt(lib: Path, damage: Callable[[Path], object]) -> None:
    built(lib)
    damage(lib / INDEX_FILE)
    with Store(lib) as store:
        expected = {sid for sid in store.story_ids if "fishing" in store.story(sid).text.lower()}
        index = SearchIndex(store)
        index.ensure()
        assert index.ready and not index.problem
        assert hits(store, index, "fishing") == expected
        index.close()
    assert not [p for p in lib.iterdir() if p.name.endswith(".tmp")]


def test_damage_found_while_searching_falls_back_and_the_next_ensure_rebuilds(lib: Path) -> None:
    built(lib)
    with Store(lib) as store:
        index = SearchIndex(store)
        index.ensure()
        size = os.path.getsize(lib / INDEX_FILE)
        with open(lib / INDEX_FILE, "r+b") as fh:  # every page but the first: garbage
            fh.seek(4096)
            fh.write(random.Random(2).randbytes(size - 4096))
        found = find(store, index, parse_query("fishing"))
        assert found.notes and "search index cannot be read" in found.notes[0]
        assert found.hits is not None  # headlines, meanwhile
        assert not index.ready
        index.ensure()
        assert index.ready and hits(store, index, "fishing")
        index.close()


def _directory(path: Path) -> None:
    path.mkdir()
    (path / "keep").write_text("mine")


def _symlink(path: Path) -> None:
    target = path.parent.parent / "elsewhere.sqlite"
    target.write_bytes(b"not yours")
    path.symlink_to(target)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize("intruder", [_directory, _symlink, _fifo])
def test_what_is_not_a_regular_file_is_never_replaced(lib: Path, intruder: Callable[[Path], object]) -> None:
    intruder(lib / INDEX_FILE)
    before = os.lstat(lib / INDEX_FILE)
    with Store(lib) as store:
        index = SearchIndex(store)
        index.ensure()
        assert not index.ready
        assert index.problem.startswith(str(lib / INDEX_FILE)) and "never replaced" in index.problem
        assert "\n" not in index.problem
        found = find(store, index, parse_query("fishing"))
        assert found.hits is not None and any("never replaced" in n for n in found.notes)
        index.rebuild()
        assert not index.ready
    after = os.lstat(lib / INDEX_FILE)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert not [p for p in lib.iterdir() if p.name.endswith(".tmp")]
    if (lib / INDEX_FILE).is_symlink():
        assert (lib.parent / "elsewhere.sqlite").read_bytes() == b"not yours"


def test_a_read_only_library_uses_a_file_in_step_as_it_is(lib: Path) -> None:
    built(lib)
    before = os.stat(lib / INDEX_FILE)
    with Store(lib, read_only=True) as store:
        index = SearchIndex(store)
        index.ensure()
        assert index.ready and not index.note
        assert hits(store, index, "fishing")
        index.close()
    after = os.stat(lib / INDEX_FILE)
    assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)


def test_a_read_only_library_builds_a_missing_index_in_memory(lib: Path) -> None:
    with Store(lib, read_only=True) as store:
        index = SearchIndex(store)
        index.ensure()
        assert index.ready and "read-only" in index.note
        assert hits(store, index, "fishing")
        index.close()
    assert not (lib / INDEX_FILE).exists()


def test_a_read_only_library_catches_up_in_memory(lib: Path) -> None:
    built(lib)
    with Store(lib) as store:
        story = store.story(sorted(store.story_ids)[0])
        store.apply([(None, Annotation.new(story, "quote", 0, 5, note="zanzibar", annotator="t"))])
    before = (lib / INDEX_FILE).read_bytes()
    with Store(lib, read_only=True) as store:
        index = SearchIndex(store)
        index.ensure()
        assert index.ready and "in memory" in index.note
        assert hits(store, index, "zanzibar") == {story.id}
        index.close()
    assert (lib / INDEX_FILE).read_bytes() == before


def test_of_gives_one_index_per_store(lib: Path) -> None:
    with Store(lib) as store:
        assert SearchIndex.of(store) is SearchIndex.of(store)
        with Store(lib.parent / "other") as other:
            assert SearchIndex.of(other) is not SearchIndex.of(store)


def test_searching_while_a_worker_builds_never_waits_and_close_stops_the_build(lib: Path) -> None:
    started, proceed = threading.Event(), threading.Event()

    def progress(done: int, total: int) -> None:
        if done == 0:
            started.set()
            assert proceed.wait(timeout=60)

    with Store(lib) as store:
        index = SearchIndex(store)
        worker = threading.Thread(target=index.ensure, args=(progress,))
        worker.start()
        assert started.wait(timeout=60)
        assert not index.ready
        found = find(store, index, parse_query("fishing"))
        assert found.notes == ("searching headlines only: the body index is being built",)
        index.close()  # the app quits: never waits for the build
        proceed.set()
        worker.join(timeout=60)
        assert not worker.is_alive() and not index.ready
    assert not (lib / INDEX_FILE).exists()
    assert not [p for p in lib.iterdir() if p.name.endswith(".tmp")]


def test_a_build_in_a_worker_becomes_ready_for_the_searching_thread(lib: Path) -> None:
    with Store(lib) as store:
        index = SearchIndex(store)
        worker = threading.Thread(target=index.ensure)
        worker.start()
        worker.join(timeout=120)
        assert index.ready and hits(store, index, "fishing")
        index.close()
