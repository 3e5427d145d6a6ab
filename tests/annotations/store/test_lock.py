"""One writer per data dir: a second writer is refused by name, readers work meanwhile, a dead writer's lock
is free again, and nothing the first writer saved is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import annotations.store.storage
from annotations.store import Store, StoreError, StoreLockedError
from annotations.store.lock import LOCK_FILE
from tests.cli_support import HARBOUR, assert_user_error, run
from tests.crash_harness import child_command
from tests.store_support import STORY_A, add_story, put, tag_text

ROOT = Path(__file__).resolve().parents[3]

# A writer in another process: opens the store, adds a story, then obeys its stdin ("save N": N annotations,
# each id printed once saved; end of input: close). Imports only the store, so it starts fast.
HOLDER = """
import os, sys
from annotations.model import Annotation
from annotations.store import Store
from stories.model import StoryBuilder, StoryMeta

store = Store(sys.argv[1])
builder = StoryBuilder()
builder.add("headline", "Harbour board delays dredging vote")
builder.add("paragraph", "The harbour board on Tuesday delayed a vote on dredging the silted channel.")
story = builder.build(StoryMeta(headline=""))
store.add_stories([story])
print("ready", os.getpid(), story.id, flush=True)
for line in sys.stdin:
    count = int(line.split()[1])
    for i in range(count):
        ann = Annotation.new(story, "quote", 4, 18, note=f"holder {i}", annotator="holder")
        store.apply([(None, ann)])
        print("saved", ann.id, flush=True)
    print("done", flush=True)
store.close()
print("closed", flush=True)
"""


class Holder:
    """The other process, holding the write lock."""

    def __init__(self, data_dir: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(data_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        words = self._line().split()
        assert words[0] == "ready", words
        self.pid, self.story_id = int(words[1]), words[2]
        self.saved: list[str] = []  # acknowledged annotation ids

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            assert self.proc.stderr is not None
            raise AssertionError(f"the holder died: {self.proc.stderr.read()}")
        return line

    def save(self, count: int) -> list[str]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"save {count}\n")
        self.proc.stdin.flush()
        ids = []
        while (line := self._line()) != "done\n":
            ids.append(line.split()[1])
        self.saved += ids
        return ids

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self._line() == "closed\n"
        self.proc.wait(timeout=10)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)


@pytest.fixture
def holder(data_dir: Path) -> Iterator[Holder]:
    held = Holder(data_dir)
    yield held
    if held.proc.poll() is None:
        held.kill()
    for stream in (held.proc.stdin, held.proc.stdout, held.proc.stderr):
        if stream is not None:
            stream.close()


def _annotation_ids(data_dir: Path) -> set[str]:
    with Store(data_dir, read_only=True) as store:
        return {a.id for a in store.annotations()}


def test_a_second_writer_is_refused_by_name_and_the_first_loses_nothing(data_dir: Path, holder: Holder) -> None:
    holder.save(3)
    with pytest.raises(StoreLockedError) as refused:
        Store(data_dir)
    message = str(refused.value)
    assert f"pid {holder.pid}" in message and str(data_dir) in message
    assert "\n" not in message
    with pytest.raises(StoreLockedError):  # refused again: the failed attempt left nothing behind
        Store(data_dir)
    holder.save(3)  # the first writer goes on saving
    holder.close()
    assert _annotation_ids(data_dir) == set(holder.saved)
    with Store(data_dir) as store:  # and once it has closed, the library is free
        assert {a.id for a in store.annotations()} == set(holder.saved)


def test_readers_work_meanwhile_and_see_every_save(data_dir: Path, holder: Holder) -> None:
    for _ in range(3):
        holder.save(2)
        with Store(data_dir, read_only=True) as reader:
            assert {a.id for a in reader.annotations()} == set(holder.saved)
            assert [e.id for e in reader.entries()] == [holder.story_id]
            assert reader.story(holder.story_id).headline == "Harbour board delays dredging vote"
            assert f"pid {holder.pid}" in reader.writer
            with pytest.raises(StoreError, match="read-only"):
                add_story(reader, STORY_A)


def test_the_cli_refuses_to_write_but_reads(data_dir: Path, holder: Holder, tmp_path: Path) -> None:
    holder.save(2)
    story = holder.story_id[:8]
    line = assert_user_error(run(data_dir, "annotate", story, "--kind", "actor", "--text", "harbour board"))
    assert f"pid {holder.pid}" in line
    (tmp_path / "harbour.txt").write_text(HARBOUR, "utf-8")
    line = assert_user_error(run(data_dir, "import", str(tmp_path / "harbour.txt")))
    assert f"pid {holder.pid}" in line

    listed = run(data_dir, "list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert [(s["id"], s["counts"]["quote"]) for s in json.loads(listed.stdout)] == [(holder.story_id, 2)]
    shown = run(data_dir, "show", story, "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert {a["id"] for a in json.loads(shown.stdout)["annotations"]} == set(holder.saved)
    exported = run(data_dir, "export", "--format", "json")
    assert exported.exit_code == 0, exported.output
    assert all(ann_id in exported.stdout for ann_id in holder.saved)

    holder.save(1)  # nothing the refused commands did got in the way
    holder.close()
    assert _annotation_ids(data_dir) == set(holder.saved)
    with Store(data_dir, read_only=True) as store:
        assert len(store) == 1


def test_a_dead_writers_lock_is_taken_over_and_its_saves_kept(data_dir: Path, holder: Holder) -> None:
    holder.save(4)
    holder.kill()
    assert json.loads((data_dir / LOCK_FILE).read_text())["pid"] == holder.pid  # still names the dead one
    with Store(data_dir) as store:
        assert {a.id for a in store.annotations()} == set(holder.saved)
        ann = tag_text(store.story(holder.story_id), "harbour board", kind="actor")
        put(store, ann)
        assert json.loads((data_dir / LOCK_FILE).read_text())["pid"] == os.getpid()
        with pytest.raises(StoreLockedError, match=f"pid {os.getpid()}"):
            Store(data_dir)  # and it is ours now: the next writer is refused
    assert _annotation_ids(data_dir) == {*holder.saved, ann.id}


def test_a_lock_file_left_without_its_lock_is_free(data_dir: Path) -> None:
    """A lock file naming a process that is gone (or holding junk) does not stop anyone: only the OS lock counts."""
    data_dir.mkdir(parents=True)
    for junk in ('{"pid": 999999, "host": "elsewhere", "since": "2020-01-01", "command": "wiredesk"}', "\x00garbage"):
        (data_dir / LOCK_FILE).write_text(junk)
        with Store(data_dir) as store:
            add_story(store, STORY_A)
        assert json.loads((data_dir / LOCK_FILE).read_text())["pid"] == os.getpid()


def test_a_holder_that_cannot_be_named_is_still_refused(data_dir: Path, holder: Holder) -> None:
    (data_dir / LOCK_FILE).write_text("not json")  # the writer's details are lost; its OS lock is not
    with pytest.raises(StoreLockedError, match="another wiredesk process"):
        Store(data_dir)
    holder.save(1)
    holder.close()
    assert _annotation_ids(data_dir) == set(holder.saved)


def test_a_reader_opening_during_a_compaction_sees_every_save(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader reads the snapshot; the writer compacts (new snapshot renamed in, a new journal renamed over the
    old one) just before the reader reads the journal. The reader must not show the old snapshot without the old
    journal's saves (nor take the new journal for a damaged one)."""
    writer = Store(data_dir)
    add_story(writer, STORY_A)
    writer.close(compact=True)  # the story and an empty journal: the annotations below live only in the journal
    writer = Store(data_dir)
    saved = []
    for exact in ("We will not wait", "Mayor Ada Quist", "4 million crowns"):
        ann = tag_text(STORY_A, exact)
        put(writer, ann)
        saved.append(ann.id)
    real_scan = annotations.store.storage.journal.scan
    interleaved = []

    def scan_during_compaction(path: Path) -> object:
        if path.name == "annotations.journal" and not interleaved:
            interleaved.append(path)
            writer.close(compact=True)
        return real_scan(path)

    monkeypatch.setattr(annotations.store.storage.journal, "scan", scan_during_compaction)
    with Store(data_dir, read_only=True) as reader:
        found = {a.id for a in reader.annotations()}
    assert interleaved
    assert found == set(saved)


def test_readers_opening_while_a_writer_saves_and_compacts_see_every_acknowledged_save(data_dir: Path) -> None:
    """Each reader sees at least every save acknowledged before it opened, and nothing never saved."""
    writer = subprocess.Popen(
        child_command(data_dir, "inserts", 5, "--compact-min-bytes", "2048", "--slow-compaction"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    acknowledged: set[str] = set()
    intended: set[str] = set()  # every id the writer started to save
    pending: list[str] = []  # the id being saved, if any
    compactions = []
    guard = threading.Lock()

    def follow() -> None:
        assert writer.stdout is not None
        for raw in writer.stdout:
            tag, _, payload = raw.decode().rstrip("\n").partition(" ")
            with guard:
                if tag == "I":
                    pending[:] = [json.loads(payload)["ann"]["id"]] if "ann" in payload else []
                    intended.update(pending)
                elif tag == "A":
                    acknowledged.update(pending)
                    pending.clear()
                elif tag == "C":
                    compactions.append(tag)

    follower = threading.Thread(target=follow, daemon=True)
    follower.start()
    views = []
    try:
        stuck = time.monotonic() + 600  # a safety net for a writer that stopped: the loop waits on counts
        while len(compactions) < 10 or len(views) < 100:
            assert writer.poll() is None and time.monotonic() < stuck, "the writer stopped saving"
            with guard:
                before = set(acknowledged)
            if not (data_dir / "annotations.journal").exists():
                continue  # the writer has not opened its annotations yet
            with Store(data_dir, read_only=True) as reader:
                seen = {a.id for a in reader.annotations()}
            assert before <= seen, f"{len(before - seen)} acknowledged save(s) missing"
            views.append(seen)
        assert len(views) >= 100 and len(compactions) >= 10, (len(views), len(compactions))
        writer.kill()
        follower.join(timeout=5)  # every line the writer wrote has been read
        for seen in views:
            assert seen <= intended, "a reader saw a save that was never made"
    finally:
        writer.kill()
        writer.wait()
        follower.join(timeout=5)
        for stream in (writer.stdout, writer.stderr):
            if stream is not None:
                stream.close()
