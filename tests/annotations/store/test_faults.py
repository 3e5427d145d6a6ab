"""Fault injection: a write, fsync, rename, hard link or folder fsync fails (ENOSPC, EIO) at the Nth call.

For every store operation and every kind of call, the Nth call fails for each N the operation makes (and once
more, N past the last, where nothing fails). Each time: the operation raises StoreError with a one-line
message — or, for a compaction inside a save, the save succeeds and `compaction_error` says what failed —;
memory holds exactly what was acknowledged; a later save either works or is refused cleanly; a fresh Store
on the dir holds exactly what was acknowledged; no snapshot is a partial file and no temp file is left behind.

ENOSPC faults stick (a full disk stays full: every later call of that kind fails too); EIO faults strike once.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

import annotations.store.atomic
import annotations.store.bodies
import annotations.store.files
import annotations.store.storage
from annotations.model import Annotation
from annotations.store import Store
from annotations.store.storage import StoreError, decode_snapshot
from stories.model import Story
from tests.store_support import STORY_A, STORY_B, add_story, make_story, put, remove, tag_text

KINDS = ("write", "fsync", "rename", "link", "dirsync")
State = tuple[dict[str, dict], dict[str, str]]  # annotations by id, story headlines by id


class Faults:
    """Counts the store's calls of each kind while armed, and makes the `n`th call of `kind` fail."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.armed = False
        self.counts: Counter[str] = Counter()
        self.kind, self.n, self.err, self.sticky, self.fired = "", 0, 0, False, 0
        real_write, real_fdatasync, real_fsync = os.write, os.fdatasync, os.fsync
        real_replace, real_link, real_fdopen = os.replace, os.link, os.fdopen
        real_fsync_dir = annotations.store.atomic.fsync_dir
        faults = self

        def write(fd: int, data: Any) -> int:
            self.hit("write")
            return real_write(fd, data)

        def fdatasync(fd: int) -> None:
            self.hit("fsync")
            real_fdatasync(fd)

        def fsync(fd: int) -> None:
            if not stat.S_ISDIR(os.fstat(fd).st_mode):  # a folder's fsync is counted as "dirsync"
                self.hit("fsync")
            real_fsync(fd)

        def replace_(src: Any, dst: Any) -> None:
            self.hit("rename")
            real_replace(src, dst)

        def link(src: Any, dst: Any) -> None:
            self.hit("link")
            real_link(src, dst)

        def fsync_dir(folder: Path) -> None:
            self.hit("dirsync")
            real_fsync_dir(folder)

        class File:
            """A file from `os.fdopen` (as `atomic_output` writes snapshots) whose writes can fail."""

            def __init__(self, fh: Any) -> None:
                self._fh = fh

            def write(self, data: Any) -> int:
                faults.hit("write")
                return self._fh.write(data)

            def __enter__(self) -> File:
                self._fh.__enter__()
                return self

            def __exit__(self, *exc: object) -> None:
                self._fh.__exit__(*exc)

            def __getattr__(self, name: str) -> Any:
                return getattr(self._fh, name)

        monkeypatch.setattr(os, "write", write)
        monkeypatch.setattr(os, "fdatasync", fdatasync)
        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace_)
        monkeypatch.setattr(os, "link", link)
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: File(real_fdopen(*a, **k)))
        for module in (
            annotations.store.atomic,
            annotations.store.files,
            annotations.store.storage,
            annotations.store.bodies,
        ):
            monkeypatch.setattr(module, "fsync_dir", fsync_dir)

    def hit(self, kind: str) -> None:
        if not self.armed:
            return
        self.counts[kind] += 1
        if kind == self.kind and (self.counts[kind] == self.n or (self.sticky and self.counts[kind] > self.n)):
            self.fired += 1
            raise OSError(self.err, os.strerror(self.err))

    @contextlib.contextmanager
    def failing(self, kind: str = "", n: int = 0, err: int = 0) -> Iterator[None]:
        """Count calls (and fail the `n`th of `kind`) inside the block."""
        self.counts.clear()
        self.kind, self.n, self.err, self.sticky, self.fired = kind, n, err, err == errno.ENOSPC, 0
        self.armed = True
        try:
            yield
        finally:
            self.armed = False


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Faults:
    return Faults(monkeypatch)


# --- the library each case starts from ------------------------------------------------------------------------

ANN_IDS = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(10)]


def _fixed(ann: Annotation, ann_id: str) -> Annotation:
    return replace(ann, id=ann_id)


def _build_template(folder: Path) -> None:
    """Two stories; annotations in a snapshot (with a backup generation) and more in the journal."""
    with Store(folder) as store:
        store.add_stories([STORY_A, STORY_B])
        for i, exact in enumerate(["We will not wait", "Mayor Ada Quist", "4 million crowns"]):
            put(store, _fixed(tag_text(STORY_A, exact, note=f"note {i}"), ANN_IDS[i]))
    with Store(folder) as store:  # one compaction: a snapshot of generation 1 and a backup
        put(store, _fixed(tag_text(STORY_B, "Ferry services"), ANN_IDS[3]))
        store.close(compact=True)
    with Store(folder) as store:  # and some saves in the journal
        for i, exact in enumerate(["two-day strike", "resumed", "Tuesday"], 4):
            put(store, _fixed(tag_text(STORY_B, exact, kind="claim"), ANN_IDS[i]))
        remove(store, ANN_IDS[1])


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template") / "lib"
    _build_template(folder)
    return folder


def state(store: Store) -> State:
    return {a.id: a.to_dict() for a in store.annotations()}, {e.id: e.meta.headline for e in store.entries()}


def with_annotation(before: State, ann: Annotation) -> State:
    return {**before[0], ann.id: ann.to_dict()}, before[1]


def with_stories(before: State, stories: list[Story]) -> State:
    return before[0], {**before[1], **{s.id: s.headline for s in stories}}


# --- the operations -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """`prepare(store)` (not faulted) returns the faulted action and the state once it succeeded."""

    name: str
    prepare: Callable[[Store], tuple[Callable[[], object], Callable[[State], State]]]
    compact_min_bytes: int | None = None  # small: the save compacts when its line is in the journal
    start: Callable[[Path], None] | None = None  # makes the data dir to start from (default: the template)
    load: bool = True  # read the annotations before the action
    closes: bool = False  # the action closes the store


STORY_C = make_story("The harbour board delayed the dredging vote by a month.", headline="Dredging vote delayed")
STORY_D = make_story("Fishermen say the silt has cut their catch by a third.", headline="Silt cuts catch")


def _insert(store: Store) -> tuple[Callable[[], object], Callable[[State], State]]:
    ann = _fixed(tag_text(STORY_A, "the council said", note="new"), ANN_IDS[8])
    return lambda: put(store, ann), lambda s: with_annotation(s, ann)


def _update(store: Store) -> tuple[Callable[[], object], Callable[[State], State]]:
    ann = store.annotation(ANN_IDS[0])
    assert ann is not None
    ann = ann.edited(note="edited", kind="claim")
    return lambda: put(store, ann), lambda s: with_annotation(s, ann)


def _remove(store: Store) -> tuple[Callable[[], object], Callable[[State], State]]:
    def without(s: State) -> State:
        return {k: v for k, v in s[0].items() if k != ANN_IDS[4]}, s[1]

    return lambda: remove(store, ANN_IDS[4]), without


def _add_story(store: Store) -> tuple[Callable[[], object], Callable[[State], State]]:
    return lambda: add_story(store, STORY_C), lambda s: with_stories(s, [STORY_C])


def _add_stories(store: Store) -> tuple[Callable[[], object], Callable[[State], State]]:
    batch = [STORY_C, STORY_A, STORY_D]  # STORY_A is already there
    return lambda: store.add_stories(batch), lambda s: with_stories(s, batch)


def _first_story(store: Store) -> tuple[Callable[[], object], Callable[[State], State]]:
    return lambda: add_story(store, STORY_A), lambda s: with_stories(s, [STORY_A])


def _compact_on_close(store: Store) -> tuple[Callable[[], object], Callable[[State], State]]:
    return lambda: store.close(compact=True), lambda s: s


def _first_annotation(store: Store) -> tuple[Callable[[], object], Callable[[State], State]]:
    """The annotations were never opened: this put creates their journal, then saves into it."""
    ann = _fixed(tag_text(STORY_A, "Mayor Ada Quist"), ANN_IDS[9])
    return lambda: put(store, ann), lambda s: with_annotation(s, ann)


def _one_story(folder: Path) -> None:
    with Store(folder) as store:  # the annotations are never opened: no annotations.journal yet
        add_story(store, STORY_A)


SCENARIOS = [
    Scenario("put (insert)", _insert),
    Scenario("put (update)", _update),
    Scenario("remove", _remove),
    Scenario("add_story", _add_story),
    Scenario("add_stories", _add_stories),
    Scenario("add_story to a new library (creates the pack)", _first_story, start=lambda folder: None),
    Scenario("put creating the annotations journal", _first_annotation, start=_one_story, load=False),
    Scenario("close(compact=True)", _compact_on_close, closes=True),
    Scenario("put that triggers a compaction", _insert, compact_min_bytes=256),
    Scenario("remove that triggers a compaction", _remove, compact_min_bytes=256),
    Scenario("add_stories that triggers a compaction", _add_stories, compact_min_bytes=256),
]

FOLLOW_STORY = make_story("The union said the deal was fair to everyone.", headline="Deal struck")
FOLLOW_UP = _fixed(tag_text(FOLLOW_STORY, "fair to everyone", note="after the fault"), "ffffffff-0000-4000-8000-0000")


def _storages(store: Store) -> list[Any]:
    store._index()  # a store opened from stories.list opens its index on first need: open it before the faults
    return [db.storage for db in store._dbs()]


def _check_files(folder: Path) -> None:
    leftovers = [p.relative_to(folder).as_posix() for p in folder.rglob("*.tmp")]
    assert leftovers == [], "temp files left behind"
    for snapshot in [*folder.glob("*.json"), *folder.glob("backups/*.json")]:
        decode_snapshot(snapshot.read_bytes(), {}, snapshot)  # raises if partial or damaged


def _run_case(folder: Path, template: Path, scenario: Scenario, faults: Faults, kind: str, n: int, err: int) -> str:
    """One faulted run of `scenario`; returns what happened, for the summary."""
    if scenario.start is None:
        shutil.copytree(template, folder)
    else:
        scenario.start(folder)
    with Store(folder, read_only=True) as reader:
        before = state(reader)
    store = Store(folder, compact_min_bytes=scenario.compact_min_bytes)
    if scenario.load:
        store.load_annotations()
    assert store.annotations_loaded == scenario.load
    action, expect = scenario.prepare(store)
    generations = [s.generation for s in _storages(store)]
    error: StoreError | None = None
    with faults.failing(kind, n, err):
        try:
            action()
        except StoreError as exc:  # anything else (a raw OSError) fails the test
            error = exc
    acknowledged = before if error is not None else expect(before)
    compaction_errors = [s.compaction_error for s in _storages(store) if s.compaction_error]
    compacted = [s.generation for s in _storages(store)] != generations
    if error is not None:
        assert faults.fired, f"failed with no fault: {error}"
        message = str(error)
        assert message and "\n" not in message and "Traceback" not in message
        outcome = "refused"
    elif faults.fired:
        outcome = "compaction failed, save kept" if compaction_errors else "fault survived"
    else:
        outcome = "no fault"
    if scenario.compact_min_bytes and error is None:
        assert compacted or compaction_errors, "the save should have compacted, or said why not"
    if not scenario.closes:
        assert state(store) == acknowledged, "memory differs from what was acknowledged"
        try:  # the store goes on: later saves work, or are refused cleanly
            add_story(store, FOLLOW_STORY)
            acknowledged = with_stories(acknowledged, [FOLLOW_STORY])
            put(store, FOLLOW_UP)
            acknowledged = with_annotation(acknowledged, FOLLOW_UP)
            assert state(store) == acknowledged
        except StoreError as exc:
            assert "\n" not in str(exc)
            assert state(store) == acknowledged
            outcome += ", next save refused"
        with contextlib.suppress(StoreError):
            store.close()
    _check_files(folder)
    with Store(folder, read_only=True) as fresh:
        assert state(fresh) == acknowledged, "a fresh read-only store differs from what was acknowledged"
    with Store(folder) as fresh:
        assert state(fresh) == acknowledged, "a fresh store differs from what was acknowledged"
        add_story(fresh, FOLLOW_STORY)  # and it saves again
        put(fresh, FOLLOW_UP.edited(note="reopened"))
    _check_files(folder)
    return outcome


KNOWN_BUGS: dict[tuple[str, str], str] = {}  # (scenario, fault) -> why, for a bug not fixed yet (marked xfail)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_a_failing_call_loses_nothing(
    request: pytest.FixtureRequest, tmp_path: Path, template: Path, faults: Faults, scenario: Scenario, kind: str
) -> None:
    if (scenario.name, kind) in KNOWN_BUGS:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[scenario.name, kind]))
    outcomes: Counter[str] = Counter()
    n = 1
    while True:
        err = errno.ENOSPC if n % 2 else errno.EIO
        try:
            outcomes[_run_case(tmp_path / f"case{n}", template, scenario, faults, kind, n, err)] += 1
        except AssertionError as exc:
            raise AssertionError(f"{kind} call {n} failing with {errno.errorcode[err]}: {exc}") from exc
        if not faults.fired:  # N is past the operation's last call of this kind: every N was tried
            break
        n += 1
    assert outcomes["no fault"] == 1, outcomes


def _stale_journal(folder: Path, template: Path) -> None:
    """A compaction renamed its snapshot into place and stopped before it moved the old journal away."""
    shutil.copytree(template, folder)
    with Store(folder) as store:
        store.load_annotations()
        generation = store.tags.storage.generation
        head = (folder / "annotations.head").read_bytes()  # the head moves on only once the new journal is in place
        store.close(compact=True)
    shutil.copy(folder / "backups" / f"annotations.{generation:06d}.journal", folder / "annotations.journal")
    (folder / "annotations.head").write_bytes(head)


def _torn_journal(folder: Path, template: Path) -> None:
    """The writer died in the middle of a journal line."""
    shutil.copytree(template, folder)
    with (folder / "annotations.journal").open("ab") as fh:
        fh.write(b'0badc0de {"ops": [["annot')


OPENINGS = {
    "a new library": lambda folder, template: None,
    "a library whose compaction stopped before moving its journal": _stale_journal,
    "a library whose journal ends in a torn line": _torn_journal,
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("start", list(OPENINGS))
def test_opening_with_a_failing_call_loses_nothing(
    tmp_path: Path, template: Path, faults: Faults, start: str, kind: str
) -> None:
    """Opening writes too (a new journal's header, a stale journal moved away, a torn line cut off)."""
    n = 1
    while True:
        folder = tmp_path / f"case{n}"
        OPENINGS[start](folder, template)
        with Store(folder, read_only=True) as reader:
            before = state(reader)
        with faults.failing(kind, n, errno.ENOSPC if n % 2 else errno.EIO):
            try:
                store = Store(folder)
                try:
                    store.load_annotations()
                finally:
                    store.close()
            except StoreError as exc:
                assert faults.fired and "\n" not in str(exc)
        _check_files(folder)
        with Store(folder) as fresh:
            assert state(fresh) == before, f"{kind} call {n}"
            add_story(fresh, FOLLOW_STORY)
            put(fresh, FOLLOW_UP)
        with Store(folder, read_only=True) as fresh:
            assert state(fresh) == with_annotation(with_stories(before, [FOLLOW_STORY]), FOLLOW_UP)
        if not faults.fired:
            break
        n += 1


def test_every_kind_of_call_is_reached(tmp_path: Path, template: Path, faults: Faults) -> None:
    """The injection reaches the store's calls: a put writes and fsyncs its journal; a compaction writes,
    fsyncs, links, renames and fsyncs folders; a first story fsyncs the folder that gains the pack."""
    shutil.copytree(template, tmp_path / "lib")
    with Store(tmp_path / "lib") as store:
        store.load_annotations()
        with faults.failing():
            put(store, _fixed(tag_text(STORY_A, "the council said"), ANN_IDS[8]))
        assert faults.counts["write"] == 1 and faults.counts["fsync"] == 1
        with faults.failing():
            store.close(compact=True)
        assert all(faults.counts[k] >= 1 for k in KINDS), faults.counts
    with Store(tmp_path / "new") as store, faults.failing():
        add_story(store, STORY_A)
    assert faults.counts["dirsync"] == 1


def test_a_full_disk_refuses_saves_until_space_returns(tmp_path: Path, template: Path, faults: Faults) -> None:
    shutil.copytree(template, tmp_path / "lib")
    with Store(tmp_path / "lib") as store:
        before = state(store)
        with faults.failing("write", 1, errno.ENOSPC):
            for i in range(3):
                with pytest.raises(StoreError, match="No space left on device"):
                    put(store, _fixed(tag_text(STORY_A, "the council said"), ANN_IDS[8]))
                with pytest.raises(StoreError, match="No space left on device"):
                    remove(store, ANN_IDS[0])
                with pytest.raises(StoreError, match="No space left on device"):
                    add_story(store, STORY_C)
                assert state(store) == before, i
        ann = _fixed(tag_text(STORY_A, "the council said"), ANN_IDS[8])
        put(store, ann)
        add_story(store, STORY_C)
    with Store(tmp_path / "lib") as store:
        assert state(store) == with_stories(with_annotation(before, ann), [STORY_C])
