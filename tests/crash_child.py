"""The crash harness: a child process that saves in a loop, and the parent side that kills it and checks the store.

Run as a script, this is the child (`python tests/crash_child.py DATA_DIR MODE SEED [--compact-min-bytes N]
[--slow-compaction] [--pause-after-bodies] [--mutant NAME]`). It opens a writable Store and loops forever,
printing one line per event on stdout, each with a single `os.write` (atomic on a pipe), so a line the parent
reads is whole:

- `O` — the store is open;
- `I {json}` — an operation is about to start (its intent: it may or may not land if the child dies now);
- `A` — that operation returned: it is acknowledged and must survive any crash from here on;
- `C` — a compaction is starting (the storage's `compact` is wrapped to say so; `--slow-compaction` pauses
  briefly before each of its steps, so that kills land inside it even on a fast disk);
- `B` — story bodies are durable, their index records are not written yet (`--pause-after-bodies` then sleeps,
  so a kill lands exactly between the two).

`--mutant` breaks the store on purpose, to show the checks catch it: `torn-snapshot` writes compacted
snapshots in place, pausing halfway; `early-ack` acknowledges each save before making it.

MODE `annotations` adds, edits and removes annotations of a few stories (`inserts` only adds them); MODE
`stories` imports batches of stories with `add_stories` (some already in the library). The child imports only
the store and the story model, so it starts in a fraction of a second.

Imported (by tests/test_crash.py and bench/crash_loop.py), it gives `run_trial`: start a child on a data dir,
kill it with SIGKILL when a `Kill` condition is met, then reopen the store read-only and writable and compare
it with the acknowledged state (`Model`), which the trial updates for the next trial on the same dir.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
#: A compaction threshold small enough that the child compacts every few dozen saves.
SMALL_COMPACTION = 2048


# --- the child ------------------------------------------------------------------------------------------------


def _say(line: str) -> None:
    data = (line + "\n").encode()
    while data:
        data = data[os.write(1, data) :]


_WORDS = "the council harbour board said on Monday that ferry union vote plan river strike fishermen".split()


def _story(rng: random.Random, label: str) -> Any:
    from stories.model import StoryBuilder, StoryMeta

    builder = StoryBuilder()
    builder.add("headline", f"Story {label}")
    for _ in range(rng.randint(1, 3)):
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 40)))
        builder.add("paragraph", f"“{words.capitalize()},” {label} said.")
    return builder.build(StoryMeta(headline="", agency=rng.choice(["Reuters", "AP", None])))


def _note(rng: random.Random) -> str:
    return rng.choice(["", "ok", "check this", "Ünïcödé — “quoted”", "x" * rng.randint(0, 300)])


_compacting = False


def _watch_compactions(storage: Any) -> None:
    real = storage.compact

    def compact() -> None:
        global _compacting
        _say("C")
        _compacting = True
        try:
            real()
        finally:
            _compacting = False

    storage.compact = compact


def _slow_down_compactions() -> None:
    """Pause half a millisecond before each step of a compaction (fsync, link, rename, folder fsync), so a kill
    a few milliseconds after `C` lands inside it however fast the disk is. The steps themselves are unchanged."""
    import annotations.atomic
    import annotations.journal
    import annotations.storage

    def stalled(func: Any) -> Any:
        def step(*args: Any, **kwargs: Any) -> Any:
            if _compacting:
                time.sleep(0.0005)
            return func(*args, **kwargs)

        return step

    for name in ("fsync", "fdatasync", "link", "replace"):
        setattr(os, name, stalled(getattr(os, name)))
    for module in (annotations.atomic, annotations.journal, annotations.storage):
        module.fsync_dir = stalled(module.fsync_dir)  # type: ignore[attr-defined]


def _break_store(mutant: str) -> None:
    """Make the store wrong in the way `mutant` names (see the module docstring)."""
    import contextlib

    import annotations.storage

    if mutant == "torn-snapshot":

        class _Slow:
            def __init__(self, fh: Any) -> None:
                self.fh = fh

            def write(self, data: bytes) -> None:
                self.fh.write(data[: len(data) // 2])
                self.fh.flush()
                time.sleep(0.2)
                self.fh.write(data[len(data) // 2 :])

        @contextlib.contextmanager
        def in_place(path: Path, **_: Any) -> Any:
            with open(path, "wb") as fh:
                yield _Slow(fh)

        annotations.storage.atomic_output = in_place  # type: ignore[assignment]
    elif mutant == "early-ack":
        global _say
        real_say = _say

        def say(line: str) -> None:
            if line.startswith("I "):
                real_say(line)
                real_say("A")
                time.sleep(0.05)
            elif line != "A":
                real_say(line)

        _say = say


def _annotations_loop(store: Any, rng: random.Random, seed: int, inserts_only: bool = False) -> None:
    from annotations.model import KINDS, Annotation

    stories = {e.id: store.story(e.id) for e in store.entries()}
    while len(stories) < 2:
        story = _story(rng, f"{seed}-{len(stories)}")
        _say("I " + json.dumps({"op": "stories", "stories": {story.id: story.headline}}))
        store.add_story(story)
        _say("A")
        stories[story.id] = story
    current = {a.id: a for a in store.annotations()}
    while True:
        roll = 1.0 if inserts_only else rng.random()
        crowded = len(current) > 60
        if current and (roll < 0.15 or (crowded and roll < 0.6)):
            ann_id = rng.choice(sorted(current))
            _say("I " + json.dumps({"op": "del", "id": ann_id}))
            store.remove(ann_id)
            del current[ann_id]
        else:
            if current and roll < 0.4:
                ann = current[rng.choice(sorted(current))]
                ann = ann.edited(note=_note(rng), kind=rng.choice(KINDS))
            else:
                story = stories[rng.choice(sorted(stories))]
                start = rng.randrange(len(story.text) - 1)
                end = rng.randint(start + 1, min(len(story.text), start + 80))
                ann = Annotation.new(story, rng.choice(KINDS), start, end, note=_note(rng), annotator="crash")
            _say("I " + json.dumps({"op": "put", "ann": ann.to_dict()}))
            store.put(ann, stories[ann.story_id])
            current[ann.id] = ann
        _say("A")


def _stories_loop(store: Any, rng: random.Random, seed: int, pause_after_bodies: bool) -> None:
    real_append = store._bodies.append

    def append(stories: Any) -> Any:
        spans = real_append(stories)
        _say("B")
        if pause_after_bodies:
            time.sleep(10)  # the parent kills us here
        return spans

    store._bodies.append = append
    known = [e.id for e in store.entries()]
    stories: dict[str, Any] = {}
    n = 0
    while True:
        batch = []
        for _ in range(rng.randint(1, 5)):
            n += 1
            batch.append(_story(rng, f"{seed}-{n}"))
        if stories and rng.random() < 0.3:  # one already in the library: must be skipped, not duplicated
            batch.insert(rng.randrange(len(batch) + 1), stories[rng.choice(sorted(stories))])
        _say("I " + json.dumps({"op": "stories", "stories": {s.id: s.headline for s in batch}}))
        added = store.add_stories(batch)
        expected_new = [s.id not in known and s.id not in {b.id for b in batch[:i]} for i, s in enumerate(batch)]
        if added != expected_new:
            raise AssertionError(f"add_stories said {added}, expected {expected_new}")
        for story in batch:
            stories[story.id] = story
            known.append(story.id)
        _say("A")


def child_main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir")
    parser.add_argument("mode", choices=["annotations", "inserts", "stories"])
    parser.add_argument("seed", type=int)
    parser.add_argument("--compact-min-bytes", type=int, default=SMALL_COMPACTION)
    parser.add_argument("--pause-after-bodies", action="store_true")
    parser.add_argument("--mutant", choices=["torn-snapshot", "early-ack"])
    parser.add_argument("--slow-compaction", action="store_true", help="pause before each step of a compaction")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from annotations.store import Store

    if args.slow_compaction:
        _slow_down_compactions()
    if args.mutant:
        _break_store(args.mutant)

    rng = random.Random(args.seed)
    store = Store(args.data_dir, compact_min_bytes=args.compact_min_bytes)
    store.load_annotations()
    _watch_compactions(store._stories_db.storage)
    _watch_compactions(store._annotations_db.storage)
    _say("O")
    if args.mode in ("annotations", "inserts"):
        _annotations_loop(store, rng, args.seed, inserts_only=args.mode == "inserts")
    else:
        _stories_loop(store, rng, args.seed, args.pause_after_bodies)


# --- the parent -----------------------------------------------------------------------------------------------


@dataclass
class Model:
    """The acknowledged state of one data dir: annotations by id (as dicts), story headlines by id."""

    annotations: dict[str, dict] = field(default_factory=dict)
    stories: dict[str, str] = field(default_factory=dict)

    def applied(self, op: dict) -> Model:
        """The state after `op` (an intent line's payload)."""
        anns, stories = dict(self.annotations), dict(self.stories)
        if op["op"] == "put":
            anns[op["ann"]["id"]] = op["ann"]
        elif op["op"] == "del":
            anns.pop(op["id"], None)
        else:
            for story_id, headline in op["stories"].items():
                stories.setdefault(story_id, headline)
        return Model(anns, stories)


@dataclass(frozen=True)
class Kill:
    """When to kill the child: after `after_lines` lines of `kind` (O, A, C or B), plus `delay` seconds.

    `kind=""` kills `delay` seconds after the child was started, whatever it is doing (even starting up).
    """

    kind: str = ""
    after_lines: int = 0
    delay: float = 0.0

    def describe(self) -> str:
        if not self.kind:
            return f"{self.delay * 1000:.1f} ms after start"
        return f"{self.delay * 1000:.2f} ms after {self.kind} line {self.after_lines}"


@dataclass
class TrialResult:
    """What one kill left behind. `problems` must be empty."""

    kill: Kill
    acknowledged: int = 0
    compactions: int = 0
    in_flight: str = ""  # the operation that had started but was not acknowledged when the child died
    mid_compaction: bool = False  # the last thing the child said was that a compaction was starting
    leftovers: list[str] = field(default_factory=list)  # temp files the crash left in the data dir
    disk: str = ""  # what the crash left on disk, in short (see `disk_state`)
    problems: list[str] = field(default_factory=list)
    unreadable: bool = False
    lost: int = 0  # acknowledged saves missing or with other content
    resurrected: int = 0  # acknowledged removes whose annotation is back


def child_command(data_dir: Path, mode: str, seed: int, *extra: str) -> list[str]:
    return [sys.executable, str(HERE), str(data_dir), mode, str(seed), *extra]


def _run_child(cmd: list[str], kill: Kill, err_path: Path, timeout: float) -> tuple[list[str], int | None]:
    """Run the child until `kill` says (then SIGKILL it); its complete output lines and its own exit code
    (None when we killed it)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with err_path.open("wb") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env)
    started = time.monotonic()
    deadline = started + kill.delay if not kill.kind else None
    seen = 0
    buffer = b""
    scanned = 0  # bytes of `buffer` whose lines were looked at
    fd = proc.stdout.fileno()  # type: ignore[union-attr]
    os.set_blocking(fd, False)
    selector = selectors.DefaultSelector()
    selector.register(fd, selectors.EVENT_READ)
    try:
        while True:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            if now - started > timeout:
                raise RuntimeError(f"the child did not reach the kill point ({kill.describe()}) in {timeout} s")
            if not selector.select(min(deadline - now, 0.05) if deadline is not None else 0.05):
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break  # the child stopped by itself
            buffer += chunk
            while deadline is None and (end := buffer.find(b"\n", scanned)) != -1:
                if buffer[scanned : scanned + 1] == kill.kind.encode():
                    seen += 1
                    if seen == kill.after_lines:
                        deadline = time.monotonic() + kill.delay
                scanned = end + 1
        code = None
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        else:
            code = proc.returncode
        proc.wait()
        os.set_blocking(fd, True)
        buffer += proc.stdout.read()  # type: ignore[union-attr]  # lines written before it died count too
    finally:
        selector.close()
        proc.stdout.close()  # type: ignore[union-attr]
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if code is None and proc.returncode != -signal.SIGKILL:
        code = proc.returncode
    lines = buffer.decode().split("\n")
    return lines[:-1], code  # the last element is empty, or a partial line that was never completed


def disk_state(data_dir: Path, old_temp_files: frozenset[str] = frozenset()) -> str:
    """What a crash left, in short: per TinyDB file, how its journal stands to its snapshot; and temp files.

    `journal behind` (a compaction renamed its snapshot but had not yet moved the old journal away),
    `no journal` (moved away, new one not yet created), `torn` (a partial last line), `tmp` (a temp snapshot
    not in `old_temp_files`).
    """
    from annotations import journal
    from annotations.storage import StoreError, decode_snapshot

    if not data_dir.is_dir():
        return "no data dir"
    states = []
    for name in ("stories", "annotations"):
        snapshot, journal_path = data_dir / f"{name}.json", data_dir / f"{name}.journal"
        try:
            generation = decode_snapshot(snapshot.read_bytes(), {}, snapshot)[1] if snapshot.exists() else 0
        except StoreError:
            states.append(f"{name}: unreadable snapshot")
            continue
        scan = journal.scan(journal_path)
        if not journal_path.exists():
            states.append(f"{name}: no journal")
        elif scan.generation is not None and scan.generation < generation:
            states.append(f"{name}: journal behind")
        elif scan.status != "clean":
            states.append(f"{name}: {scan.status}")
    if {p.name for p in data_dir.rglob("*.tmp")} - old_temp_files:
        states.append("tmp")
    return ", ".join(states) or "clean"


def _files(data_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()}


def _compare(store: Any, model: Model, pending: Model | None, result: TrialResult, how: str) -> Model | None:
    """Check the store against the acknowledged state (or that state plus the in-flight operation).
    Returns the state it matches, or None (and records the problems)."""
    from annotations.store import StoreError

    actual_anns = {a.id: a.to_dict() for a in store.annotations()}
    actual_stories = {e.id: e.meta.headline for e in store.entries()}
    for candidate in (model, pending):
        if candidate is not None and actual_anns == candidate.annotations and actual_stories == candidate.stories:
            for story_id in actual_stories:
                try:
                    store.story(story_id)
                except StoreError as exc:
                    result.problems.append(f"{how}: story {story_id[:8]} cannot be read: {exc}")
                    result.lost += 1
            return candidate
    # No match: say precisely what differs from the acknowledged state.
    for ann_id, doc in model.annotations.items():
        if ann_id not in actual_anns:
            result.problems.append(f"{how}: acknowledged annotation {ann_id[:8]} is missing")
            result.lost += 1
        elif actual_anns[ann_id] != doc:
            allowed = pending is not None and pending.annotations.get(ann_id) == actual_anns[ann_id]
            if not allowed:
                result.problems.append(f"{how}: annotation {ann_id[:8]} differs from what was acknowledged")
                result.lost += 1
    for ann_id in actual_anns.keys() - model.annotations.keys():
        if pending is None or ann_id not in pending.annotations:
            result.problems.append(f"{how}: annotation {ann_id[:8]} was removed (or never saved) but is there")
            result.resurrected += 1
    for story_id in model.stories.keys() - actual_stories.keys():
        result.problems.append(f"{how}: acknowledged story {story_id[:8]} is missing")
        result.lost += 1
    extra_stories = actual_stories.keys() - model.stories.keys()
    if pending is None or not extra_stories <= pending.stories.keys():
        result.problems.extend(f"{how}: story {s[:8]} was never added but is there" for s in extra_stories)
    if not result.problems:  # differences each allowed on their own but not together (a half-applied operation)
        result.problems.append(
            f"{how}: the store holds neither the acknowledged state nor that plus {result.in_flight}"
        )
    return None


def check_store(
    data_dir: Path, model: Model, pending: Model | None, result: TrialResult, compact_after: bool, **store_args: Any
) -> Model:
    """Reopen the store read-only, then writable (compacting it on close if `compact_after`), and compare it with
    `model` each time; the state the store holds."""
    from annotations import doctor
    from annotations.store import Store, StoreError

    before = _files(data_dir)
    found: Model | None = model
    try:
        with Store(data_dir, read_only=True) as store:
            found = _compare(store, model, pending, result, "read-only")
        if _files(data_dir) != before:
            result.problems.append("opening read-only changed the files")
        report = doctor.check(data_dir)
        if data_dir.is_dir() and not report.healthy:
            result.problems.append(f"doctor: {'; '.join(report.problems)}")
        store = Store(data_dir, **store_args)
        try:
            found = _compare(store, model, pending, result, "writable")
        finally:
            store.close(compact=compact_after)
        if compact_after and found is not None:
            with Store(data_dir, read_only=True) as store:
                _compare(store, found, None, result, "compacted")
    except StoreError as exc:
        result.unreadable = True
        result.problems.append(f"the store does not open: {exc}")
    return found if found is not None else model


def run_trial(
    data_dir: Path,
    model: Model,
    mode: str,
    seed: int,
    kill: Kill,
    *,
    compact_min_bytes: int = SMALL_COMPACTION,
    pause_after_bodies: bool = False,
    compact_after: bool = False,
    slow_compaction: bool | None = None,
    mutant: str = "",
    timeout: float = 10.0,
) -> tuple[TrialResult, Model]:
    """Start a child on `data_dir`, kill it as `kill` says, check the store; the result and the new state.
    `compact_after` also compacts the reopened store on close and checks it once more. `slow_compaction`
    (by default: when the kill follows a `C` line) stretches compactions so the kill lands inside one."""
    extra = ["--compact-min-bytes", str(compact_min_bytes)]
    if slow_compaction or (slow_compaction is None and kill.kind == "C"):
        extra.append("--slow-compaction")
    if pause_after_bodies:
        extra.append("--pause-after-bodies")
    if mutant:
        extra += ["--mutant", mutant]
    err_path = data_dir.parent / f"{data_dir.name}.child-stderr"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    old_temp_files = frozenset(p.name for p in data_dir.rglob("*.tmp"))
    lines, code = _run_child(child_command(data_dir, mode, seed, *extra), kill, err_path, timeout)
    result = TrialResult(kill)
    if code is not None:
        error = err_path.read_text(errors="replace").strip().splitlines()
        result.problems.append(f"the child stopped by itself (exit {code}): {error[-1] if error else ''}")
    pending_op: dict | None = None
    for line in lines:
        tag, _, payload = line.partition(" ")
        if tag == "I":
            pending_op = json.loads(payload)
        elif tag == "A":
            assert pending_op is not None, "an acknowledgement without an operation"
            model = model.applied(pending_op)
            result.acknowledged += 1
            pending_op = None
        elif tag == "C":
            result.compactions += 1
    result.mid_compaction = bool(lines) and lines[-1] == "C"
    result.in_flight = json.dumps(pending_op)[:80] if pending_op else ""
    result.leftovers = sorted({p.name for p in data_dir.rglob("*.tmp")} - old_temp_files)
    result.disk = disk_state(data_dir, old_temp_files)
    pending = model.applied(pending_op) if pending_op else None
    state = check_store(data_dir, model, pending, result, compact_after, compact_min_bytes=compact_min_bytes)
    return result, state


def plan(rng: random.Random, trial: int, mode: str = "annotations") -> Kill:
    """A varied kill: early (during start-up or the first saves), after a number of saves, or just after a
    compaction started (compactions get rarer as a library of stories grows: there, the first one)."""
    choice = trial % 4
    if choice == 0:
        return Kill(delay=rng.uniform(0.0, 0.25))
    if choice == 1:
        return Kill("A", rng.randint(1, 120 if mode == "annotations" else 20), rng.uniform(0, 0.002))
    return Kill("C", rng.randint(1, 3) if mode == "annotations" else 1, rng.uniform(0, 0.004))


if __name__ == "__main__":
    child_main()
