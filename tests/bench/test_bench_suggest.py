"""bench/bench_suggest.py: the goals table and its section in RESULTS.md (the runs themselves are the lead's)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    if "bench_suggest" not in sys.modules:
        sys.path.insert(0, str(ROOT / "bench"))  # its own imports (common, score) are bench/'s siblings
        spec = importlib.util.spec_from_file_location("bench_suggest", ROOT / "bench" / "bench_suggest.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_suggest"] = module
        spec.loader.exec_module(module)
    return sys.modules["bench_suggest"]


def test_record_keeps_one_section_above_the_runs_marker(bench: ModuleType, tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(f"# Benchmark results\n\n## Hand-written\n\ntext\n\n{bench.MARKER}\n\n## Run 1\n\nold\n")
    bench.record(f"{bench.SECTION}, run A\n\nearlier figures", results)
    bench.record(f"{bench.SECTION}, run B\n\nsecond", results)
    text = results.read_text()
    assert text.count(bench.SECTION) == 1 and "second" in text and "earlier figures" not in text
    assert text.index("## Hand-written") < text.index(bench.SECTION) < text.index(bench.MARKER) < text.index("## Run 1")


def test_the_table_puts_each_goal_beside_the_cold_and_warm_figures(bench: ModuleType) -> None:
    score = sys.modules["score"]
    item = score.Item("quote", 0, 10, form="direct", name="A")
    gold = score.GoldStory("x" * 64, "001.txt", "", [item])
    cold = score.score_story(gold, [])
    warm = score.score_story(gold, [item])
    speed = {"words": 1000, "ms_per_1000_words": 12.0, "baseline_ms_per_1000_words": 0.5}
    lib = {
        "stories": 5000,
        "registry": 3,
        "suggestions": 9,
        "jobs": 2,
        "stories_per_s": 150.0,
        "all_cores_stories_per_s": 180.0,
        "one_process_stories_per_s": 100.0,
        "baseline_stories_per_s": 3000.0,
    }
    text = bench.tables(cold, warm, speed, lib)
    assert "| direct quotes F1 | 0.000 | 1.000 | ≥ 0.97 | **no** | yes |" in text
    assert "| speaker right (matched direct quotes) | 0.000 | 1.000 | ≥ 0.92 | **no** | yes |" in text
    assert "| ms per 1,000 words | 12.00 |  | ≤ 30 | yes |  |" in text
    assert "| `suggest --all`, stories/s (5,000 stories) | 150 |  | ≥ 200 | **no** |  |" in text
    assert "24.0× the baseline" in text and "30.0× the baseline's time" in text
    assert "100 stories/s on one core, 180 on 2" in text
