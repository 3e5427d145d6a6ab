"""A short run of bench/fuzz.py (issue 11, "Measured"): every format, a fixed seed and count, no traceback, no
hang over the budget, no invalid story. The full run is `python bench/fuzz.py --record`."""

from __future__ import annotations

import importlib.util
import random
import sys
from collections import Counter
from types import ModuleType

import pytest

from stories.model import Block, Story, StoryError, StoryMeta
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_fuzz", ROOT / "bench" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_fuzz"] = module
    spec.loader.exec_module(module)
    return module


def test_a_short_fuzz_run_finds_no_traceback_hang_or_invalid_story(fuzz: ModuleType) -> None:
    report = fuzz.fuzz(count=30, seed=1312, budget=5.0, log=lambda *_: None)
    assert report.total("inputs") == 30 * len(fuzz.FORMATS)
    assert [(fmt, reason) for fmt, reason, _ in report.failures] == []
    assert report.total("traceback") == report.total("hang") == report.total("invalid") == 0
    assert report.total("stories") > 0 and report.total("refused") > 0  # both kinds of outcome were reached
    assert report.peak_mb > 0


def test_the_samples_come_from_the_projects_fixtures_and_generators_not_the_corpus(fuzz: ModuleType) -> None:
    seeds = fuzz.samples()
    assert set(seeds) == set(fuzz.FORMATS) and all(seeds.values())
    corpus = ROOT.parent / "shared" / "corpus"
    if corpus.is_dir():
        theirs = {p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
        assert not theirs & {s for found in seeds.values() for s in found}


def test_mutations_are_deterministic_for_a_seed(fuzz: ModuleType) -> None:
    seeds = fuzz.samples()
    made = [
        [fuzz.mutate(seeds[fmt][0], fmt, random.Random(f"7:{fmt}:{n}"), seeds["text"]) for n in range(5)]
        for fmt in fuzz.FORMATS
    ]
    again = [
        [fuzz.mutate(seeds[fmt][0], fmt, random.Random(f"7:{fmt}:{n}"), seeds["text"]) for n in range(5)]
        for fmt in fuzz.FORMATS
    ]
    assert made == again
    assert all(len(data) <= fuzz.MAX_INPUT for row in made for data in row)


class _Raising:
    """A stand-in for the sandbox whose parser fails in the given way."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def parse(self, data: bytes, source: str, fmt: str, budget: float) -> list[Story]:
        raise self.error


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (KeyError("headline"), "traceback"),
        (StoryError("gave up after 5 s: this RSS/Atom feed takes too long"), "hang"),
        (StoryError("two\nlines"), "invalid"),
        (StoryError("bell \x07 inside"), "invalid"),
        (StoryError("not well-formed XML (line 1, column 2)"), "refused"),
    ],
)
def test_the_harness_counts_each_failure_for_what_it_is(fuzz: ModuleType, error: Exception, kind: str) -> None:
    report, counts = fuzz.Report(5.0), Counter()
    fuzz._one(b"Title\n\nBody text.\n", "text", _Raising(error), report, counts)
    assert counts["inputs"] == 1 and counts[kind] == 1 and sum(counts.values()) == 2  # counted once
    assert len(report.failures) == (kind != "refused")


def test_invalid_stories_are_found(fuzz: ModuleType) -> None:
    text = "Headline\n\nBody"
    blocks = (Block("headline", 0, 8), Block("paragraph", 10, 14))
    good = Story.create(text, blocks, StoryMeta(headline="Headline"))
    assert fuzz.problems(good) == []
    assert "bad headline (0 characters)" in fuzz.problems(Story.create(text, blocks, StoryMeta(headline="")))
    spoofed = Story.create(text, blocks, StoryMeta(headline="Head", dateline="PARIS\u202e"))
    assert "metadata dateline not clean" in fuzz.problems(spoofed)
    hidden = Story.create("Head\u200bline\n\nBody", (Block("headline", 0, 9), Block("paragraph", 11, 15)), good.meta)
    assert "text not clean" in fuzz.problems(hidden)
