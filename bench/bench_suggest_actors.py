"""Actor finder benchmark: `find_actors` on a 1,000-word story with a registry of 2,000 entries.

    python bench/bench_suggest_actors.py [--repeat 200]

The story is made of the actor fixtures' paragraphs (tests/fixtures/suggest/a-*.txt, markup taken out); the
registry holds 1,500 people and 500 organisations with aliases. Times are CPU time of this process (the machine is
shared), median of the runs; the baseline in the same run is one pass of `re.finditer(r"\\w+")` over the text, so
the ratio says how many such passes the finder costs. Goal (issue 13): at most 10 ms a story, and the same time
with an empty registry as with 2,000 entries (one dict lookup per word, not one scan per entry).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from annotations.actors import Actor  # noqa: E402  (after the path is set)
from annotations.registry import Registry  # noqa: E402
from annotations.suggest.actors import find_actors  # noqa: E402
from annotations.suggest.context import Context  # noqa: E402
from annotations.suggest.matcher import registry_matcher  # noqa: E402
from stories.model import Story, StoryBuilder, StoryMeta  # noqa: E402

GOAL_MS = 10.0
_MARK = re.compile(r"\[([^\]]+)\]\{[^}]*\}")


def story(words: int = 1000) -> Story:
    paragraphs = []
    for path in sorted((REPO / "tests" / "fixtures" / "suggest").glob("a-*.txt")):
        body = _MARK.sub(lambda m: m.group(1), path.read_text("utf-8").split("---\n", 1)[1])
        paragraphs += [p for p in body.split("\n\n") if p.strip()]
    builder, count, i = StoryBuilder(), 0, 0
    builder.add("headline", "Benchmark story")
    while count < words:
        builder.add("paragraph", paragraphs[i % len(paragraphs)])
        count += len(paragraphs[i % len(paragraphs)].split())
        i += 1
    return builder.build(StoryMeta(headline=""))


def registry(size: int = 2000) -> Registry:
    rng = random.Random(13)
    first = "Ivo Dana Toma Lena Anders Elin Karl Mira Nadia Bruno Petra Jan Yelena Dmitry Olga Hakan".split()
    people = [Actor.new(f"{rng.choice(first)} Surname{i}", "person") for i in range(size * 3 // 4)]
    bodies = [Actor.new(f"Agency {i} Council", "organisation", aliases=(f"AC{i}",)) for i in range(size // 4)]
    return Registry(people + bodies)


def cpu_ms(call: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        call()  # type: ignore[operator]  # a callable
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    repeat = parser.parse_args().repeat
    s, big = story(), registry()
    start = time.process_time()
    registry_matcher(big)
    build = (time.process_time() - start) * 1000
    baseline = cpu_ms(lambda: sum(1 for _ in re.finditer(r"\w+", s.text)), repeat)
    full = cpu_ms(lambda: find_actors(Context(s, big)), repeat)
    empty = cpu_ms(lambda: find_actors(Context(s, Registry([]))), repeat)
    print(f"story: {len(s.text.split())} words; registry: {len(big.actors)} entries (index built once: {build:.1f} ms)")
    print(f"baseline (one regex pass over the words): {baseline:.3f} ms")
    print(f"find_actors, 2,000 entries: {full:.2f} ms ({full / baseline:.0f}x baseline; goal <= {GOAL_MS:.0f} ms)")
    print(f"find_actors, empty registry: {empty:.2f} ms ({full / empty:.2f}x of it with 2,000 entries)")


if __name__ == "__main__":
    main()
