"""Re-anchoring benchmark (issue 15 §4): annotations carried across generated story versions, scored on the truth.

    python bench/bench_carry.py [--chains 2000] [--seed 1] [--held-out 4,5,6,7] [--record]

Each chain (bench/make_versions.py) gives 2-4 steps old version -> new version with ~20 annotations and the truth
for each. `annotations.carry.place` places them; a placement is
- right: `carried` to the truth span of an annotation whose text is unchanged, or `changed` to the truth span of
  one whose passage was edited;
- misplaced: carried or changed to any span that is not its truth (an annotation that is gone counts as
  misplaced if it is placed at all). Goal: 0;
- an orphan otherwise (right when the truth is `gone`, a miss when it is not).
Time: `place` per story version (median, p95) against baselines run on the same pairs in the same run:
`str.find` of every annotation's text, and `difflib.SequenceMatcher` over the two texts' words.
`--held-out` seeds (never tuned on) are run the same way and reported one line each.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # this checkout's code, not the installed one

from common import median, percentile
from make_versions import Step, make_chains
from sections import record_section

from annotations.carry import place


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    by_edit: Counter[str] = field(default_factory=Counter)
    times: list[float] = field(default_factory=list)
    find: list[float] = field(default_factory=list)
    difflib: list[float] = field(default_factory=list)
    misplaced: list[str] = field(default_factory=list)


def score(step: Step, tally: Tally, source: str = "") -> None:
    started = time.perf_counter()
    placed = place(step.old, step.new, step.spans)
    tally.times.append(time.perf_counter() - started)
    started = time.perf_counter()
    for sp in step.spans:
        step.new.find(sp.exact)
    tally.find.append(time.perf_counter() - started)
    started = time.perf_counter()
    difflib.SequenceMatcher(None, step.old.split(), step.new.split(), autojunk=False).get_opcodes()
    tally.difflib.append(time.perf_counter() - started)
    c = tally.counts
    for sp, truth, p in zip(step.spans, step.truth, placed, strict=True):
        c[f"truth {truth.state}"] += 1
        if p.state == "orphan":
            c[f"orphan, truth {truth.state}"] += 1
            c["orphan with candidates"] += bool(p.candidates)
            if truth.state != "gone" and any((k.start, k.end) == (truth.start, truth.end) for k in p.candidates):
                c["orphan, truth among candidates"] += 1
            continue
        right = truth.state != "gone" and (p.start, p.end) == (truth.start, truth.end)
        right = right and (p.state == "carried") == (truth.state == "same")
        if right:
            c[f"right {p.state}"] += 1
            c[f"method {p.method}"] += 1
        else:
            c["misplaced"] += 1
            c[f"misplaced {p.state}"] += 1
            c[f"misplaced in {source} chains"] += 1
            for kind in step.edits:
                tally.by_edit[kind] += 1
            got = step.new[p.start or 0 : p.end or 0]
            want = step.new[truth.start : truth.end] if truth.start is not None else "(gone)"
            tally.misplaced.append(f"{p.state}/{p.method} {sp.exact[:50]!r} -> {got[:50]!r}; truth {want[:50]!r}")


def run(chains: int, seed: int) -> Tally:
    tally = Tally()
    for chain in make_chains(chains, seed):
        for step in chain.steps:
            tally.counts["steps"] += 1
            tally.counts[f"steps of {chain.base.rstrip('0123456789')} chains"] += 1
            score(step, tally, chain.base.rstrip("0123456789"))
    return tally


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.2f} %" if d else "-"


def report(tally: Tally, chains: int, seed: int) -> str:
    c = tally.counts
    same, changed, gone = c["truth same"], c["truth changed"], c["truth gone"]
    ms = [t * 1000 for t in tally.times]
    find = [t * 1000 for t in tally.find]
    dl = [t * 1000 for t in tally.difflib]
    rows = [
        f"- chains: {chains} (seed {seed}), story versions carried: {c['steps']}, annotations: {same + changed + gone}"
        f" (text unchanged {same}, passage edited {changed}, gone {gone})",
        f"- carried to the right place: {c['right carried']} / {same} = **{_pct(c['right carried'], same)}**"
        " of the annotations whose text survives (goal >= 99 %)",
        f"- misplaced: **{c['misplaced']}** (goal 0): {c['misplaced carried']} carried,"
        f" {c['misplaced changed']} changed;"
        f" {c['misplaced in gold chains']} in the {c['steps of gold chains']} versions of the hand-written stories,"
        f" {c['misplaced in made chains']} in the {c['steps of made chains']} of the generated ones",
        f"- changed detected at the right span: {c['right changed']} / {changed} = {_pct(c['right changed'], changed)}",
        f"- orphans: {c['orphan, truth gone']} right (of {gone} gone), {c['orphan, truth same']} of unchanged text,"
        f" {c['orphan, truth changed']} of edited passages; {c['orphan with candidates']} orphans offer candidates,"
        f" the truth among them for {c['orphan, truth among candidates']}",
        f"- methods of the right placements: exact {c['method exact']}, diff {c['method diff']}, context"
        f" {c['method context']}, fuzzy {c['method fuzzy']}",
        f"- time per story version (~20 annotations): median {median(ms):.2f} ms, p95 {percentile(ms, 0.95):.2f} ms"
        f" (goal <= 20 ms); baselines on the same pairs: `str.find` of each text {median(find):.3f} ms,"
        f" `difflib.SequenceMatcher` over the words {median(dl):.2f} ms median"
        f" ({median(ms) / median(dl):.2f}x difflib)",
    ]
    if tally.misplaced:
        rows.append(f"- misplaced under edits: {dict(tally.by_edit)}")
    return "\n".join(rows)


def held_out_line(tally: Tally, seed: int) -> str:
    """One line for a seed never tuned on: carried right, misplaced, changed detected."""
    c = tally.counts
    same, changed = c["truth same"], c["truth changed"]
    return (
        f"- held out, seed {seed}: annotations {same + changed + c['truth gone']}, carried right"
        f" {_pct(c['right carried'], same)}, misplaced **{c['misplaced']}** ({c['misplaced carried']} carried,"
        f" {c['misplaced changed']} changed), changed detected {_pct(c['right changed'], changed)}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chains", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=10, help="print this many misplacements")
    parser.add_argument("--held-out", default="", help="comma-separated seeds also run, one line each")
    parser.add_argument("--record", action="store_true", help="write the section in bench/RESULTS.md")
    args = parser.parse_args(argv)
    tally = run(args.chains, args.seed)
    body = report(tally, args.chains, args.seed)
    print(body)
    for line in tally.misplaced[: args.show]:
        print("  ", line)
    seeds = [int(s) for s in args.held_out.split(",") if s.strip()]
    for seed in seeds:
        held = run(args.chains, seed)
        line = held_out_line(held, seed)
        body += "\n" + line
        print(line)
        for miss in held.misplaced[: args.show]:
            print("  ", miss)
    if args.record:
        command = f"python bench/bench_carry.py --chains {args.chains} --seed {args.seed}"
        command += f" --held-out {args.held_out}" if seeds else ""
        record_section("Re-anchoring (issue 15)", command, body)


if __name__ == "__main__":
    main()
