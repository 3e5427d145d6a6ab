"""The suggester measured (issue 13): quality on the gold set and speed, with the goals beside the figures.

    python bench/bench_suggest.py [--record] [--rebuild] [--library-stories N] [--explain STORY]

Quality: `annotations.suggest.suggest(story, registry)` on every story of the gold set (bench/suggest/gold/gold.json,
built by bench/suggest/build_gold.py; `--rebuild` builds it first), twice: **cold** (an empty registry) and **warm**
(the registry holds the gold actors of the *other* stories, with the spellings they are mentioned by: leave-one-out,
the library has learned the people). Scored by bench/suggest/score.py: exact and >= 50 % overlap span matching.

Speed, against a baseline measured in the same run on the same texts: the baseline is `sentence_starts` plus a
word regex over the text (the least any suggester reads). ms per 1,000 words on the gold stories (cold registry,
best of 3), and stories/s over the 5,000-story bench library (`bench/.data/lib-100k`, built by `make_library.py`
as `run.py` builds it): `wiredesk suggest --all` as a user runs it, and read + suggest on one core and on all.

`--record` puts the figures in bench/RESULTS.md as a dated section above the runs marker (replacing the previous
section of this benchmark). Until the suggester finds anything, its figures are ~0: that is expected.
"""

from __future__ import annotations

import argparse
import compileall
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "suggest"))

import build_gold
import score
from common import BENCH_DIR, machine, markdown

from annotations.registry import Registry
from annotations.store import Store
from annotations.suggest import suggest
from annotations.suggest.batch import default_jobs, suggest_many, suggest_read
from annotations.suggest.model import Suggestion
from stories.model import Story
from stories.text import sentence_starts

RESULTS = BENCH_DIR / "RESULTS.md"
MARKER = "<!-- runs below are written by bench/run.py, newest first -->"
SECTION = "## Suggestions (issue 13)"
LIBRARY = (100_000, 5_000)  # annotations, stories: run.py's lib-100k
#: (label, group, what, goal): "f1" of the group (overlap), or "accuracy" of its attribute, or "recall".
GOALS = [
    ("direct quotes F1", "direct quotes", "f1", 0.97),
    ("speaker right (matched direct quotes)", "direct quotes", "accuracy", 0.92),
    ("indirect quotes F1", "indirect quotes", "f1", 0.70),
    ("actor mentions F1", "actor mentions", "f1", 0.90),
    ("actor type right (matched mentions)", "actor mentions", "accuracy", 0.85),
    ("claims recall", "claims", "recall", 0.60),
]
SPEED_GOALS = {"ms_per_1000_words": 30.0, "stories_per_s": 200.0}
_WORD = re.compile(r"\w+")
METHOD = (
    "Each story is suggested twice: **cold** (empty registry) and **warm** (a registry of the gold actors of the "
    "other stories, with the spellings they are mentioned by: leave-one-out). Spans match exactly or by >= 50 % "
    "overlap of the longer span, one-to-one, best overlap first; goals are judged on overlap. Speaker: the gold "
    "name or an alias (folded), or a word of the gold name no other actor of the story has; none is wrong. "
    "Details and `--explain STORY`: bench/suggest/score.py."
)


def baseline(story: Story) -> int:
    """The least a suggester reads: the sentence starts and every word of the text."""
    return len(sentence_starts(story.text, story.paragraphs())) + sum(1 for _ in _WORD.finditer(story.text))


def _timed(stories: Sequence[Story], work: Callable[[Story], object], rounds: int = 3) -> float:
    """Seconds for `work` over every story, best of `rounds`."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for story in stories:
            work(story)
        best = min(best, time.perf_counter() - started)
    return best


def story_speed(gold: score.Gold) -> dict[str, float]:
    """ms per 1,000 words: suggesting (cold registry) and the baseline, over the gold stories."""
    stories = [s.story for s in gold.stories]
    words = sum(len(s.text.split()) for s in stories)
    empty = Registry([])
    suggest_s = _timed(stories, lambda s: suggest(s, empty))
    base_s = _timed(stories, baseline)
    return {
        "words": words,
        "ms_per_1000_words": suggest_s * 1000 / words * 1000,
        "baseline_ms_per_1000_words": base_s * 1000 / words * 1000,
    }


def library_speed(limit: int | None, log: Callable[[str], None], fallback: Registry) -> dict[str, float]:
    """Stories/s over the bench library: `wiredesk suggest --all --format jsonl` run as a user runs it (on a copy
    of the library, output thrown away), and in this process read + suggest on one process (`suggest_many`) and on
    every core (`suggest_read`, what the command uses: the workers read the stories), beside read + baseline. The
    registry is the library's own, or `fallback` (the gold set's actors, written into the copy) when it has none,
    so that names are looked for."""
    from run import libraries  # the libraries run.py builds, stamped and kept in bench/.data/

    size, count = LIBRARY
    path = libraries(BENCH_DIR / ".data", False, log=log, sizes={size: count})[size]
    with tempfile.TemporaryDirectory(prefix="wiredesk-bench-suggest-") as tmp:
        copy = Path(tmp) / "library"
        shutil.copytree(path, copy)
        store = Store(copy)
        try:
            registry = Registry.of(store)
            if not registry.actors:
                store.apply([(None, actor) for actor in fallback.actors])  # the gold set's actors, in the copy
                registry = Registry.of(store)
            ids = [e.id for e in store.entries()][:limit]
        finally:
            store.close()
        store = Store(copy, read_only=True)
        try:
            base_s = _clock(lambda: [baseline(store.story(i)) for i in ids])
            one_s = _clock(lambda: [len(s) for _, s in suggest_many((store.story(i) for i in ids), registry, jobs=1)])
            found = 0

            def every_core() -> None:
                nonlocal found
                found = sum(n for _, n in suggest_read(ids, lambda i: (store.story(i), None), registry, _count))

            all_s = _clock(every_core)
        finally:
            store.close()
        command = [sys.executable, "-c", "from tui.cli import main; main()", "--data-dir", str(copy)]
        command += ["suggest", *(ids if limit else ["--all"]), "--format", "jsonl"]
        _bytecode()
        cli_s = _clock(lambda: subprocess.run(command, stdout=subprocess.DEVNULL, check=True))
    return {
        "stories": len(ids),
        "registry": len(registry.actors),
        "suggestions": found,
        "jobs": default_jobs(),
        "stories_per_s": len(ids) / cli_s,
        "all_cores_stories_per_s": len(ids) / all_s,
        "one_process_stories_per_s": len(ids) / one_s,
        "baseline_stories_per_s": len(ids) / base_s,
    }


def _bytecode() -> None:
    """The project's modules compiled, as an install leaves them: the command's start-up is not timed compiling the
    whole project (which it would be where PYTHONDONTWRITEBYTECODE is set, or after a change)."""
    import annotations
    import stories
    import tui

    for package in (annotations, stories, tui):
        for folder in package.__path__:
            compileall.compile_dir(folder, quiet=1)


def _count(story: Story, extra: object, found: list[Suggestion], registry: Registry) -> int:
    return len(found)


def _clock(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return max(time.perf_counter() - started, 1e-9)


def _figure(report: score.Report, group: str, what: str) -> float:
    counts = report.get(group, "overlap")
    return float(getattr(counts, what))


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def tables(cold: score.Report, warm: score.Report, speed: dict[str, float], lib: dict[str, float] | None) -> str:
    """The goals table, the full scores of both runs and the speed lines, as markdown."""
    rows = []
    for label, group, what, goal in GOALS:
        c, w = _figure(cold, group, what), _figure(warm, group, what)
        rows.append([label, f"{c:.3f}", f"{w:.3f}", f"≥ {goal:.2f}", _met(c >= goal), _met(w >= goal)])
    ms, goal_ms = speed["ms_per_1000_words"], SPEED_GOALS["ms_per_1000_words"]
    ratio = ms / speed["baseline_ms_per_1000_words"] if speed["baseline_ms_per_1000_words"] else float("inf")
    rows.append(["ms per 1,000 words", f"{ms:.2f}", "", f"≤ {goal_ms:.0f}", _met(ms <= goal_ms), ""])
    if lib is not None:
        rate, goal_rate = lib["stories_per_s"], SPEED_GOALS["stories_per_s"]
        rows.append(
            [
                f"`suggest --all`, stories/s ({lib['stories']:,} stories)",
                f"{rate:,.0f}",
                "",
                f"≥ {goal_rate:.0f}",
                _met(rate >= goal_rate),
                "",
            ]
        )
    parts = [
        markdown(rows, ["goal (overlap matching)", "cold", "warm", "goal", "met cold", "met warm"]),
        f"Cold registry ({cold.stories} stories):",
        score.markdown(score.table(cold)),
        "Warm registry (leave-one-out: the other stories' actors):",
        score.markdown(score.table(warm)),
        f"Speed on the gold stories ({speed['words']:,.0f} words, best of 3): suggest {ms:.2f} ms per 1,000 words; "
        f"baseline (`sentence_starts` + a word regex) {speed['baseline_ms_per_1000_words']:.3f} ms: {ratio:,.1f}× "
        "the baseline.",
    ]
    if lib is not None:
        lib_ratio = lib["baseline_stories_per_s"] / lib["one_process_stories_per_s"]
        parts.append(
            f"Bench library (`bench/.data/lib-100k`, {lib['stories']:,} stories; registry of {lib['registry']:,} "
            f"actors: the library's own, else the gold set's): `wiredesk suggest --all --format jsonl` "
            f"{lib['stories_per_s']:,.0f} stories/s (start-up and output included; {lib['jobs']} processes). "
            f"In one process: read + suggest {lib['one_process_stories_per_s']:,.0f} stories/s on one core, "
            f"{lib['all_cores_stories_per_s']:,.0f} on {lib['jobs']} ({lib['suggestions']:,} suggestions); "
            f"read + baseline {lib['baseline_stories_per_s']:,.0f} stories/s: suggesting on one core takes "
            f"{lib_ratio:,.1f}× the baseline's time."
        )
    return "\n\n".join(parts)


def record(text: str, path: Path = RESULTS) -> None:
    """Put `text` (a section starting with SECTION) above the runs marker, replacing the previous one."""
    old = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmark results\n\n{MARKER}\n"
    head, marker, runs = old.partition(MARKER)
    if not marker:
        head, runs = old.rstrip() + "\n\n", ""
    kept = re.split(r"(?m)^(?=## )", head)
    kept = [part for part in kept if not part.startswith(SECTION)]
    head = "".join(kept).rstrip() + "\n\n" + text.strip() + "\n\n"
    path.write_text(head + MARKER + runs, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="add the figures to bench/RESULTS.md")
    parser.add_argument("--rebuild", action="store_true", help="build gold.json from the stories first")
    parser.add_argument("--gold", type=Path, default=build_gold.GOLD_FILE, help="the gold set")
    parser.add_argument("--library-stories", type=int, metavar="N", help="only the first N library stories")
    parser.add_argument("--no-library", action="store_true", help="skip the 5,000-story library run")
    parser.add_argument("--explain", metavar="STORY", help="also list one story's misses (cold and warm)")
    args = parser.parse_args(argv)
    when = datetime.now(UTC)
    if args.rebuild or not args.gold.exists():
        counts = build_gold.build(build_gold.STORIES_DIR, args.gold)
        print(f"built {args.gold}: {counts}")
    gold = score.load_gold(args.gold)
    warm_registries = score.warm_registries(gold)
    cold, cold_found = score.run(gold)
    warm, warm_found = score.run(gold, warm_registries)
    if args.explain:
        story = gold.story(args.explain)
        for label, found in (("cold", cold_found), ("warm", warm_found)):
            print(f"--- {label}")
            print("\n".join(score.explain(story, found[story.id])))
    speed = story_speed(gold)
    gold_registry = Registry(list(gold.actors.values()))
    lib = None if args.no_library else library_speed(args.library_stories, print, gold_registry)
    items = [i for s in gold.stories for i in s.items]
    summary = (
        f"Gold set: {len(gold.stories)} stories, {sum(i.kind == 'quote' for i in items)} quotes, "
        f"{sum(i.kind == 'actor' for i in items)} actor mentions, {sum(i.kind == 'claim' for i in items)} claims "
        f"(bench/suggest/gold/, guidelines in bench/suggest/GOLD.md)."
    )
    body = summary + " " + METHOD + "\n\n" + tables(cold, warm, speed, lib)
    print(body)
    if args.record:
        info = machine(BENCH_DIR)
        lines = "\n".join(f"- {k}: {v}" for k, v in info.items() if k in ("cpu", "python", "commit"))
        record(
            f"{SECTION}, run {when:%Y-%m-%d %H:%M} UTC\n\n"
            f"`python bench/bench_suggest.py --record`\n\n{lines}\n\n{body}",
        )
        print(f"recorded in {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
