"""Sourcing tables at a million annotations: `annotations.stats` against a plain Python pass over the same records.

    python bench/bench_stats.py --library DIR [--runs 3] [--record]

DIR: a library made by `bench/make_library.py DIR --stories 20000 --annotations 1000000 --linked` (it is opened
writable: one annotation is edited and the edit undone, to time a table after a change). In this process, the
annotations loaded once (timed, for context), for every figure the same selection, each timed as the median of
`--runs`:

- `plain`: the baseline, a pass over the store's records of the selected stories counting the same table
  (merges followed, types read per entry, each story's metadata read once per pass), as a script would;
- `first`: the first table of a fresh `StatsIndex` (reads every annotation into its columns);
- `next`: a table after the first (`by` actor, type, agency, section, week; the dashboard's whole `overview`),
  each run given a fresh copy of the selection (as a newly typed filter gives);
- `after an edit`: one annotation changed through the history, then the table (caught up incrementally).

Selections: every story; `agency:Reuters` (a sixth); `since:2025-07-01` (about half). Every figure's counts are
checked equal to the baseline's. The goal (issue 18 §1): any table after the first ≤ 300 ms.
`--record` puts the table in bench/RESULTS.md, a section of its own (replacing an earlier run of it).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Set
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DIR, machine, markdown, median

HEADING = "## Sourcing tables at 1M annotations (issue 18, bench/bench_stats.py)"
SELECTIONS = ("", "agency:Reuters", "since:2025-07-01")
TABLES = ("actor", "type", "agency", "section", "week")
GOAL_MS = 300.0


NOTES = (
    "Reading it: the machine is shared (2 cores, other sessions' test runs), so the wall clock includes waiting for a "
    "core; the CPU column is what a figure costs. The first table reads every annotation into the columns (a pass "
    "like the baseline's, plus the story metadata), once per process; every later one is numpy over those columns, "
    "the dashboard's row all of its figures (speakers, types, agencies, weekly series, officials, pairs quoted "
    "together, speakers a story). "
    "After an edit only the edited story's rows are read again. Library: `python bench/make_library.py DIR "
    "--stories 20000 --annotations 1000000 --linked` (a story runs out of spans now and then: 997,433 made)."
)


def plain_table(
    store, by: str, stories: Set[str] | None, annotators: Set[str] | None = None
) -> Counter[tuple[str, str]]:
    """(group key, kind) -> count over the store's records (of `annotators`, when given): the baseline, written as
    a script would."""
    from annotations.actors import follow_merges
    from annotations.search.find import _entries
    from annotations.stats.index import LINK_OF, _week

    registry = store.registry()
    entries = _entries(store)
    found: Counter[tuple[str, str]] = Counter()
    for sid, records in store.records_by_story().items():
        if stories is not None and sid not in stories:
            continue
        entry = entries.get(sid)
        meta = entry.read_meta() if entry is not None and by in ("agency", "section") else None
        for rec in records.values():
            if annotators is not None and (rec.annotator or "") not in annotators:
                continue
            if by in ("actor", "type"):
                actor = follow_merges(registry, getattr(rec, LINK_OF[rec.kind]))
                key = "" if actor is None else actor.id if by == "actor" else actor.type
            elif by == "week":
                key = _week(entry.day) if entry is not None else ""
            else:
                key = (getattr(meta, by) or "") if meta is not None else ""
            found[key, rec.kind] += 1
    return found


def fresh(stories: frozenset[str] | None) -> frozenset[str] | None:
    """A copy of the selection, so that no run reuses the mask an earlier run made of it (a new filter's case)."""
    return None if stories is None else frozenset(stories)


def counted(rows) -> Counter[tuple[str, str]]:
    return Counter({(row.key, kind): n for row in rows for kind, n in row.counts.items() if n})


#: CPU milliseconds of the last `timed` call (median): beside the wall clock, on a machine others share.
CPU = [0.0]


def timed(func: Callable[[], object], runs: int) -> tuple[float, object]:
    took, cpu, result = [], [], None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = func()
        took.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - started_cpu))
    CPU[0] = median(cpu)
    return median(took), result


def run(library: Path, runs: int) -> tuple[list[list[str]], list[str]]:
    from annotations.history import History
    from annotations.stats import StatsIndex, overview, select
    from annotations.store import Store

    notes = []
    rows: list[list[str]] = []
    with Store(library, lean=True) as store:
        started = time.perf_counter()
        store.load_annotations()
        loaded = time.perf_counter() - started
        n = sum(len(r) for r in store.records_by_story().values())
        notes.append(f"{n:,} annotations in {len(store):,} stories, loaded in {loaded:.1f} s (context)")
        stats = StatsIndex(store)
        started = time.perf_counter()
        first = stats.table("actor", kind="quote")
        first_ms = 1000 * (time.perf_counter() - started)
        plain_ms, _ = timed(lambda: plain_table(store, "actor", None), 1)
        rows.append(
            ["every story", "actor (first: builds the columns)", f"{plain_ms:,.0f}", f"{first_ms:,.0f}", "", ""]
        )
        assert first
        for text in SELECTIONS:
            chosen = select(store, text).stories
            label = text or "every story"
            if chosen is not None:
                label += f" ({len(chosen):,} stories)"
            for by in TABLES:
                plain_ms, expected = timed(lambda by=by, chosen=chosen: plain_table(store, by, chosen), runs)
                next_ms, got = timed(lambda by=by, chosen=chosen: stats.table(by, stories=fresh(chosen)), runs)
                assert counted(got) == expected, (by, text)
                rows.append(
                    [label, by, f"{plain_ms:,.0f}", f"{next_ms:,.1f}", f"{CPU[0]:,.1f}", f"{plain_ms / next_ms:,.0f}×"]
                )
            plain_all = sum(timed(lambda by=by, chosen=chosen: plain_table(store, by, chosen), 1)[0] for by in TABLES)
            dash_ms, _ = timed(lambda chosen=chosen: overview(stats, fresh(chosen)), runs)
            rows.append(
                [
                    label,
                    "dashboard `overview` (every figure)",
                    f"~{plain_all:,.0f}",
                    f"{dash_ms:,.1f}",
                    f"{CPU[0]:,.1f}",
                    "",
                ]
            )
        names = sorted(stats.annotator_names())
        one = frozenset(names[:1])  # a layer: the annotations of one annotator name
        plain_ms, expected = timed(lambda: plain_table(store, "actor", None, one), runs)
        next_ms, got = timed(lambda: stats.table("actor", annotators=one), runs)
        assert counted(got) == expected
        share = sum(expected.values()) / max(n, 1)
        label = f"every story, one annotator layer ({share:.0%} of the annotations)"
        rows.append(
            [label, "actor", f"{plain_ms:,.0f}", f"{next_ms:,.1f}", f"{CPU[0]:,.1f}", f"{plain_ms / next_ms:,.0f}×"]
        )
        history = History(store)
        some = next(iter(store.records_by_story().values()))
        ann = store.annotation(next(iter(some)))
        assert ann is not None
        edits, edits_cpu = [], []
        for form in ("direct", "indirect", "partial"):
            if ann.kind != "quote":
                break
            history.edit(ann.edited(form=form))
            started, started_cpu = time.perf_counter(), time.process_time()
            stats.table("actor")
            edits.append(1000 * (time.perf_counter() - started))
            edits_cpu.append(1000 * (time.process_time() - started_cpu))
            history.undo()
        if not edits:  # not a quote: edit its note instead
            history.edit(ann.edited(note="bench edit"))
            started, started_cpu = time.perf_counter(), time.process_time()
            stats.table("actor")
            edits.append(1000 * (time.perf_counter() - started))
            edits_cpu.append(1000 * (time.process_time() - started_cpu))
            history.undo()
        plain_ms, expected = timed(lambda: plain_table(store, "actor", None), 1)
        assert counted(stats.table("actor")) == expected
        after = [f"{median(edits):,.1f}", f"{median(edits_cpu):,.1f}", ""]
        rows.append(["every story", "actor, after an edit (caught up, then counted)", f"{plain_ms:,.0f}", *after])
    return rows, notes


def _machine(library: Path) -> str:
    found = machine(library)
    return f"{found['cpu']}, {found['ram']}, {found['python']}, commit {found['commit']}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args(argv)
    rows, notes = run(args.library, args.runs)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    worst = max(float(r[3].replace(",", "")) for r in rows[1:])
    verdict = "met" if worst <= GOAL_MS else "NOT met"
    text = "\n".join(
        [
            f"{HEADING}, run {when}",
            "",
            f"Machine: {_machine(args.library)}. "
            + "; ".join(notes)
            + f". Median of {args.runs} runs (ms); same process, same "
            "selection, counts checked equal to the baseline's. `plain`: a Python pass over the store's records of "
            "the selected stories (bench/bench_stats.py `plain_table`); `stats`: `StatsIndex.table`.",
            "",
            markdown(rows, ["selection", "table", "plain ms", "stats ms", "stats CPU ms", "ratio"]),
            "",
            f"Goal (any table after the first ≤ {GOAL_MS:.0f} ms): {verdict} (slowest {worst:,.1f} ms).",
            "",
            NOTES,
            "",
        ]
    )
    print(text)
    if args.record:
        results = BENCH_DIR / "RESULTS.md"
        old = results.read_text(encoding="utf-8")
        start = old.find(HEADING)
        if start >= 0:
            end = old.find("\n## ", start + 1)
            old = old[:start] + old[end + 1 if end >= 0 else len(old) :]
        first = old.find("\n## ")
        results.write_text(old[: first + 1] + text + "\n" + old[first + 1 :], encoding="utf-8")


if __name__ == "__main__":
    main()
