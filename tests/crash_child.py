"""The crash harness's child: a process that saves in a loop (the parent side is tests/crash_harness.py).

Run as a script, this is the child (`python tests/crash_child.py DATA_DIR MODE SEED [--compact-min-bytes N]
[--slow-compaction] [--stop-at N:K] [--pause-after-bodies] [--mutant NAME]`). It opens a writable Store and
loops forever, printing one line per event on stdout, each with a single `os.write` (atomic on a pipe), so a
line the parent reads is whole:

- `O` — the store is open;
- `I {json}` — an operation is about to start (its intent: it may or may not land if the child dies now);
- `A` — that operation returned: it is acknowledged and must survive any crash from here on;
- `C` — a compaction is starting (the storage's `compact` is wrapped to say so; `--slow-compaction` pauses
  briefly before each of its steps, so that kills land inside it even on a fast disk);
- `B` — story bodies are durable, their index records are not written yet (`--pause-after-bodies` then waits);
- `P` — the child waits to be killed, exactly where the options asked: before step K (an fsync, link, rename or
  folder fsync) of its N-th compaction (`--stop-at N:K`), between bodies and index (`--pause-after-bodies`), or
  where a mutant breaks its promise. The parent kills it on that line, so where the kill lands never depends on
  how busy the machine is.

`--mutant` breaks the store on purpose, to show the checks catch it: `torn-snapshot` writes compacted
snapshots in place and stops halfway; `early-ack` acknowledges each save before making it (and stops after
the third, unmade).

MODE `annotations` adds, edits and removes annotations of a few stories (`inserts` only adds them); MODE
`stories` imports batches of stories with `add_stories` (some already in the library). The child imports only
the store and the story model, so it starts in a fraction of a second.

"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
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
_compactions = 0  # compactions started so far
_steps = 0  # steps of the compaction in progress
_stop_at: tuple[int, int] | None = None  # (compaction, step): pause just before that step


def _pause() -> None:
    """Say `P` and wait to be killed: the parent kills on that line, so the kill lands exactly here."""
    _say("P")
    threading.Event().wait()  # set by nobody: only the kill ends it


def _watch_compactions(storage: Any) -> None:
    real = storage.compact

    def compact() -> None:
        global _compacting, _compactions, _steps
        _say("C")
        _compacting, _steps = True, 0
        _compactions += 1
        try:
            real()
        finally:
            _compacting = False

    storage.compact = compact


def _instrument_compactions(stop_at: tuple[int, int] | None, slow: bool) -> None:
    """Count the steps of each compaction (fsync, link, rename, folder fsync): `stop_at` pauses before one of them
    (see `_pause`); `slow` waits half a millisecond before each, so a kill a few milliseconds after `C` lands
    inside it however fast the disk is. The steps themselves are unchanged."""
    global _stop_at
    import annotations.store.atomic
    import annotations.store.bodies
    import annotations.store.files
    import annotations.store.storage

    _stop_at = stop_at

    def counted(func: Any) -> Any:
        def step(*args: Any, **kwargs: Any) -> Any:
            global _steps
            if _compacting:
                _steps += 1
                if (_compactions, _steps) == _stop_at:
                    _pause()
                if slow:
                    time.sleep(0.0005)
            return func(*args, **kwargs)

        return step

    for name in ("fsync", "fdatasync", "link", "replace"):
        setattr(os, name, counted(getattr(os, name)))
    for module in (
        annotations.store.atomic,
        annotations.store.bodies,
        annotations.store.files,
        annotations.store.storage,
    ):
        module.fsync_dir = counted(module.fsync_dir)  # type: ignore[attr-defined]


def _break_store(mutant: str) -> None:
    """Make the store wrong in the way `mutant` names (see the module docstring)."""
    import contextlib

    import annotations.store.storage

    if mutant == "torn-snapshot":

        class _Slow:
            def __init__(self, fh: Any) -> None:
                self.fh = fh

            def write(self, data: bytes) -> None:
                self.fh.write(data[: len(data) // 2])
                self.fh.flush()
                _pause()  # killed here: half a snapshot, written in place

        @contextlib.contextmanager
        def in_place(path: Path, **_: Any) -> Any:
            with open(path, "wb") as fh:
                yield _Slow(fh)

        annotations.store.storage.atomic_output = in_place  # type: ignore[attr-defined]  # replaced on purpose
    elif mutant == "early-ack":
        global _say
        real_say, early = _say, []

        def say(line: str) -> None:
            if line.startswith("I "):
                real_say(line)
                real_say("A")
                early.append(line)
                if len(early) == 3:  # killed here: the third save acknowledged, never made
                    real_say("P")
                    threading.Event().wait()  # set by nobody: only the kill ends it
            elif line != "A":
                real_say(line)

        _say = say


def _annotations_loop(store: Any, rng: random.Random, seed: int, inserts_only: bool = False) -> None:
    from annotations.model import KINDS, Annotation

    stories = {e.id: store.story(e.id) for e in store.entries()}
    while len(stories) < 2:
        story = _story(rng, f"{seed}-{len(stories)}")
        _say("I " + json.dumps({"op": "stories", "stories": {story.id: story.headline}}))
        store.add_stories([story])
        _say("A")
        stories[story.id] = story
    current = {a.id: a for a in store.annotations()}
    while True:
        roll = 1.0 if inserts_only else rng.random()
        crowded = len(current) > 60
        if current and (roll < 0.15 or (crowded and roll < 0.6)):
            ann_id = rng.choice(sorted(current))
            _say("I " + json.dumps({"op": "del", "id": ann_id}))
            store.apply([(current[ann_id], None)])
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
            store.apply([(current.get(ann.id), ann)])
            current[ann.id] = ann
        _say("A")


def _stories_loop(store: Any, rng: random.Random, seed: int, pause_after_bodies: bool) -> None:
    real_append = store._bodies.append

    def append(stories: Any, **options: Any) -> Any:
        spans = real_append(stories, **options)
        _say("B")
        if pause_after_bodies:
            _pause()  # the parent kills us here
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
    parser.add_argument("--stop-at", metavar="N:K", help="wait to be killed before step K of compaction N")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from annotations.store import Store

    if args.slow_compaction or args.stop_at:
        stop = tuple(int(n) for n in args.stop_at.split(":")) if args.stop_at else None
        _instrument_compactions(stop, args.slow_compaction)  # type: ignore[arg-type]
    if args.mutant:
        _break_store(args.mutant)

    rng = random.Random(args.seed)
    store = Store(args.data_dir, compact_min_bytes=args.compact_min_bytes)
    store.load_annotations()
    _watch_compactions(store._index().storage)
    _watch_compactions(store.tags.storage)
    _say("O")
    if args.mode in ("annotations", "inserts"):
        _annotations_loop(store, rng, args.seed, inserts_only=args.mode == "inserts")
    else:
        _stories_loop(store, rng, args.seed, args.pause_after_bodies)


if __name__ == "__main__":
    child_main()
