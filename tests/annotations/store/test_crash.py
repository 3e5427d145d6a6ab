"""Kill -9 at any instant never leaves the store unreadable and never loses an acknowledged save.

A child process (`crash_child.py`) saves in a loop and reports each acknowledged operation; it is killed with
SIGKILL at seeded random moments — during start-up, after some saves — and at seeded points it stops at itself:
before a step of a compaction, between a story's body and its index record. The store is reopened (read-only,
then writable) and compared with what was acknowledged. Where the kills land is checked only where the child
placed them, so a busy machine cannot make the test fail. `bench/crash_loop.py` runs the same loop for hundreds
of trials.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from annotations.store import Store
from tests.crash_harness import COMPACTION_STEPS, Kill, Model, TrialResult, plan, run_trial

CHAINS = 4  # data dirs, crashed in parallel
KILLS_PER_CHAIN = 8  # each trial reopens the dir the previous kill left


def _chain(base: Path, index: int, mode: str, kills: int) -> list[TrialResult]:
    rng = random.Random(20240 + index)
    data_dir, model, results = base / f"lib{index}", Model(), []
    for trial in range(kills):
        result, model = run_trial(
            data_dir, model, mode, rng.randrange(1 << 30), plan(rng, trial, mode), compact_after=trial % 3 == 2
        )
        results.append(result)
    return results


def _failures(results: list[TrialResult]) -> list[str]:
    return [f"trial {i} ({r.kill.describe()}): {'; '.join(r.problems)}" for i, r in enumerate(results) if r.problems]


def test_kill_at_random_moments_never_loses_an_acknowledged_save(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(_chain, tmp_path, i, "annotations", KILLS_PER_CHAIN) for i in range(CHAINS)]
        results = [r for f in futures for r in f.result()]
    assert len(results) >= 30
    assert _failures(results) == []
    # The kills landed where they should: inside compactions (temp snapshot written or renamed, the old journal
    # not yet kept in backups/, the new one not yet in place...), each inside a save; and after saves.
    inside = [r for r in results if r.kill.stop]
    assert len(inside) == len(results) // 2
    assert all(r.mid_compaction and r.in_flight for r in inside), [r.kill.describe() for r in inside]
    assert {r.kill.stop[1] for r in inside if r.kill.stop} == set(range(1, COMPACTION_STEPS + 1))
    assert sum(r.acknowledged for r in results) > 100


def test_kill_while_importing_stories(tmp_path: Path) -> None:
    results = _chain(tmp_path, 9, "stories", 6)
    assert _failures(results) == []
    assert sum(r.acknowledged for r in results) > 10


def test_kill_between_story_bodies_and_their_index_records(tmp_path: Path) -> None:
    data_dir, model = tmp_path / "lib", Model()
    result, model = run_trial(data_dir, model, "stories", 1, Kill("A", 3, 0.0))
    assert result.problems == []
    for seed in (2, 3):
        result, model = run_trial(data_dir, model, "stories", seed, Kill("B", 1), pause_after_bodies=True)
        assert result.problems == []
        assert result.acknowledged == 0 and result.in_flight  # killed with the bodies written, the index not
    pack = (data_dir / "texts.pack").read_bytes()
    assert pack.count(b"\n") > len(model.stories)  # the orphan bodies are there, and harmless
    with Store(data_dir) as store:
        assert {e.id for e in store.entries()} == model.stories.keys()
        for story_id in model.stories:
            assert store.story(story_id).id == story_id
    # The interrupted imports run again: now they land, and read back.
    result, model = run_trial(data_dir, model, "stories", 2, Kill("A", 2, 0.0))
    assert result.problems == []


@pytest.mark.parametrize(
    ("mutant", "kill", "what"),
    [
        ("torn-snapshot", Kill("P", 1), "unreadable"),
        ("early-ack", Kill("P", 1), "lost"),
    ],
)
def test_the_harness_catches_a_store_that_breaks_its_promise(
    tmp_path: Path, mutant: str, kill: Kill, what: str
) -> None:
    """A snapshot written in place, or a save acknowledged before it is made: the checks above would see it."""
    result, _ = run_trial(tmp_path / "lib", Model(), "annotations", 7, kill, mutant=mutant)
    assert result.problems
    if what == "unreadable":
        assert result.unreadable
    else:
        assert result.lost + result.resurrected >= 1
