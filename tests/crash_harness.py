"""The crash harness's parent side: start `crash_child.py`, SIGKILL it, reopen the store and compare.

`run_trial` starts a child on a data dir, kills it when a `Kill` condition is met, then reopens the store
read-only and writable and compares it with the acknowledged state (`Model`), which the trial updates for the
next trial on the same dir. Used by tests/annotations/store/test_crash.py, tests/annotations/store/test_lock.py
and bench/crash_loop.py.
"""

from __future__ import annotations

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

from tests.crash_child import HERE, ROOT, SMALL_COMPACTION


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
    """When to kill the child: after `after_lines` lines of `kind` (O, A, C, B or P), plus `delay` seconds.

    `kind=""` kills `delay` seconds after the child was started, whatever it is doing (even starting up).
    `stop=(n, k)` has the child wait before step k of its n-th compaction (and say `P`): it is killed there.
    """

    kind: str = ""
    after_lines: int = 0
    delay: float = 0.0
    stop: tuple[int, int] | None = None

    def describe(self) -> str:
        if self.stop:
            return f"before step {self.stop[1]} of compaction {self.stop[0]}"
        if not self.kind:
            return f"{self.delay * 1000:.1f} ms after start"
        return f"{self.delay * 1000:.2f} ms after {self.kind} line {self.after_lines}"

    @classmethod
    def inside_compaction(cls, compaction: int, step: int) -> Kill:
        return cls("P", 1, 0.0, (compaction, step))


@dataclass
class TrialResult:
    """What one kill left behind. `problems` must be empty."""

    kill: Kill
    acknowledged: int = 0
    compactions: int = 0
    in_flight: str = ""  # the operation that had started but was not acknowledged when the child died
    mid_compaction: bool = False  # a compaction had started since the child's last acknowledged save
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
    from annotations.store import journal
    from annotations.store.storage import StoreError, decode_snapshot

    if not data_dir.is_dir():
        return "no data dir"
    states = []
    for name in ("stories", "annotations"):
        snapshot, journal_path = data_dir / f"{name}.json", data_dir / f"{name}.journal"
        try:
            generation = decode_snapshot(snapshot.read_bytes(), {}, snapshot)[1].generation if snapshot.exists() else 0
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
    from annotations.store import Store, StoreError, doctor

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
    timeout: float = 120.0,
) -> tuple[TrialResult, Model]:
    """Start a child on `data_dir`, kill it as `kill` says, check the store; the result and the new state.
    `compact_after` also compacts the reopened store on close and checks it once more. `slow_compaction`
    (by default: when the kill follows a `C` line) stretches compactions so the kill lands inside one."""
    extra = ["--compact-min-bytes", str(compact_min_bytes)]
    if slow_compaction or (slow_compaction is None and kill.kind == "C"):
        extra.append("--slow-compaction")
    if kill.stop:
        extra += ["--stop-at", f"{kill.stop[0]}:{kill.stop[1]}"]
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
    since_ack = lines[max((i for i, line in enumerate(lines) if line == "A"), default=-1) + 1 :]
    result.mid_compaction = "C" in since_ack
    result.in_flight = json.dumps(pending_op)[:80] if pending_op else ""
    result.leftovers = sorted({p.name for p in data_dir.rglob("*.tmp")} - old_temp_files)
    result.disk = disk_state(data_dir, old_temp_files)
    pending = model.applied(pending_op) if pending_op else None
    state = check_store(data_dir, model, pending, result, compact_after, compact_min_bytes=compact_min_bytes)
    return result, state


#: Every compaction makes at least this many steps (fsync, link, rename, folder fsync): a stop before any of
#: them is always reached.
COMPACTION_STEPS = 8


def plan(rng: random.Random, trial: int, mode: str = "annotations") -> Kill:
    """A varied kill: early (during start-up or the first saves), after a number of saves, or inside a
    compaction, before one of its steps (compactions get rarer as a library of stories grows: there, the first
    one). Kills inside compactions are placed by the child itself, so they land there however busy the machine."""
    choice = trial % 4
    if choice == 0:
        return Kill(delay=rng.uniform(0.0, 0.25))
    if choice == 1:
        return Kill("A", rng.randint(1, 120 if mode == "annotations" else 20), rng.uniform(0, 0.002))
    return Kill.inside_compaction(rng.randint(1, 3) if mode == "annotations" else 1, rng.randint(1, COMPACTION_STEPS))
