"""What changed between two versions (`stories.diff.diff_versions`), timed against a plain word diff.

    python bench/bench_diff.py [--runs 20] [--record]

Version pairs are made here from generated text (a fixed seed; no corpus): a story of N words in paragraphs of
about 40, and its update with the edits wires make: a paragraph inserted on top, one deleted, one moved, a
sentence reworded in three others, a figure corrected; plus the worst case, a story rewritten whole (no
paragraph in common). Each pair is diffed `--runs` times; the figure is the median. The baseline, in the same
run on the same pairs: rapidfuzz's Indel opcodes over the two texts' whole word lists (a plain word diff, in
C++, without paragraphs, moves or a summary). The goal (issue 15): two 5,000-word versions well under 100 ms.
`--record` puts the table in bench/RESULTS.md above the issue 13 section (in place of an earlier one).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import markdown, median
from rapidfuzz.distance import Indel
from sections import record_section

from stories.diff import diff_versions

TITLE = "Version diff (bench/bench_diff.py)"
WORDS = (
    "the port union said workers strike talks on Monday Tuesday officials cargo ships vessels million tonnes "
    "a of to in and would could government minister pay offer fair deal container traffic authority shipping "
    "lines divert Antwerp Hamburg Rotterdam week since after before about than more less halted resumed"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, words: int = 40) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(_sentence(rng))
    return " ".join(out)


def make_pair(words: int, seed: int) -> tuple[str, str]:
    """A story of about `words` words and its update."""
    rng = random.Random(seed)
    old = [_paragraph(rng) for _ in range(max(6, words // 40))]
    new = list(old)
    new.insert(0, _paragraph(rng))  # a new top
    del new[len(new) // 2]  # a paragraph deleted
    new.insert(len(new) - 1, new.pop(2))  # one moved down
    for k in rng.sample(range(3, len(new) - 2), 3):  # a sentence reworded in three
        sentences = new[k].split(". ")
        sentences[0] = _sentence(rng).rstrip(".")
        new[k] = ". ".join(sentences)
    new[1] = new[1].replace(" ", " 470 ", 1)  # a figure
    return "\n\n".join(old), "\n\n".join(new)


def rewrite_pair(words: int, seed: int) -> tuple[str, str]:
    rng = random.Random(seed)
    count = max(6, words // 40)
    return "\n\n".join(_paragraph(rng) for _ in range(count)), "\n\n".join(_paragraph(rng) for _ in range(count))


def _plain_word_diff(old: str, new: str) -> object:
    return Indel.opcodes(old.split(), new.split())


def _timed(func: Callable[[str, str], object], old: str, new: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func(old, new)
        times.append(time.perf_counter() - started)
    return median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    rows = []
    cases = [(f"update, {n:,} words", make_pair(n, n)) for n in (500, 5_000, 20_000)]
    cases += [(f"rewritten whole, {n:,} words", rewrite_pair(n, n)) for n in (5_000,)]
    for label, (old, new) in cases:
        mine = _timed(diff_versions, old, new, args.runs)
        base = _timed(_plain_word_diff, old, new, args.runs)
        summary = diff_versions(old, new).summary
        rows.append([label, f"{mine:.1f}", f"{base:.1f}", f"{mine / base:.2f}x", summary.label()])
        print(f"{label}: {mine:.1f} ms (plain word diff {base:.1f} ms, {mine / base:.2f}x) · {summary.label()}")
    table = markdown(rows, ["pair", "diff_versions ms", "word diff ms (baseline)", "ratio", "found"])
    body = (
        "Median of the runs on this machine. Baseline: rapidfuzz Indel opcodes over the whole texts' word lists, "
        "same pairs, same run. Goal: two 5,000-word versions well under 100 ms.\n\n" + table
    )
    if args.record:
        record_section(TITLE, f"python bench/bench_diff.py --runs {args.runs} --record", body)


if __name__ == "__main__":
    main()
