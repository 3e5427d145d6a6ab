"""A few generated version chains (bench/make_versions.py): the truth is consistent and nothing is misplaced."""

from __future__ import annotations

from types import ModuleType

import pytest

from annotations.carry import place
from tests.annotations.carry.support import bench


@pytest.fixture(scope="module")
def versions() -> ModuleType:
    return bench("make_versions")


def test_chains_are_deterministic_and_their_truth_holds(versions: ModuleType) -> None:
    chain = versions.make_chain(7, 1)
    assert chain == versions.make_chain(7, 1) and 2 <= len(chain.steps) <= 4
    for step in chain.steps:
        assert len(step.spans) == versions.PER_STORY
        for sp, truth in zip(step.spans, step.truth, strict=True):
            assert step.old[sp.start : sp.end] == sp.exact and truth.id == sp.id
            if truth.state == "same":
                assert step.new[truth.start : truth.end] == sp.exact
            elif truth.state == "changed":
                assert step.new[truth.start : truth.end] != sp.exact


def test_a_small_run_misplaces_nothing(versions: ModuleType) -> None:
    seen = {"same": 0, "changed": 0, "gone": 0}
    for chain in versions.make_chains(12, seed=11):
        for step in chain.steps:
            for truth, p in zip(step.truth, place(step.old, step.new, step.spans), strict=True):
                seen[truth.state] += 1
                if p.state == "orphan":
                    continue
                assert truth.state != "gone", (step.edits, p)
                assert (p.start, p.end) == (truth.start, truth.end), (step.edits, p, truth)
                assert (p.state == "carried") == (truth.state == "same")
    assert all(seen.values())  # every kind of truth came up


def test_the_bench_report_names_each_goal(versions: ModuleType) -> None:
    carry = bench("bench_carry")
    report = carry.report(carry.run(3, seed=2), 3, 2)
    for words in ("carried to the right place", "misplaced", "changed detected", "orphans", "median", "p95", "difflib"):
        assert words in report
