"""Suggesting over many stories on worker processes: the same suggestions as one process, in order, read by forked
workers themselves, and no story lost when the pool cannot start or breaks."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import pytest

import annotations.suggest.batch as batch
from annotations.actors import Actor
from annotations.registry import Registry
from annotations.suggest import suggest
from annotations.suggest.batch import suggest_many, suggest_read
from annotations.suggest.model import Suggestion
from stories.model import Story
from tests.store_support import make_story

REGISTRY = Registry([Actor(id="a" * 32, name="Ada Quist", type="person", aliases=("Mayor Quist",))])


def stories(n: int) -> list[Story]:
    return [
        make_story(
            f"“We will not wait another {k} years,” Mayor Ada Quist said on Monday.",
            f"The Harbour Agency said {k} ships had left. Quist told reporters talks would resume.",
            headline=f"Port story {k}",
        )
        for k in range(n)
    ]


def test_many_stories_on_two_processes_give_what_one_gives_in_order() -> None:
    given = stories(30)
    expected = [(story.id, suggest(story, REGISTRY)) for story in given]
    got = [(story.id, found) for story, found in suggest_many(given, REGISTRY, jobs=2, min_parallel=2)]
    assert got == expected
    assert all(found for _, found in got)  # something was found: the comparison is not between empty lists


def test_few_stories_or_one_job_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: Any, **kwargs: Any) -> Iterator[tuple[Story, list[Any]]]:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(batch, "_parallel", no_pool)
    given = stories(5)
    assert len(list(suggest_many(given, REGISTRY, jobs=2))) == 5  # fewer than MIN_PARALLEL
    assert len(list(suggest_many(given, REGISTRY, jobs=1, min_parallel=1))) == 5


def test_a_pool_that_cannot_start_falls_back_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: Any, **kwargs: Any) -> None:
        raise OSError("no more processes")

    monkeypatch.setattr(batch, "ProcessPoolExecutor", refused)
    given = stories(6)
    got = list(suggest_many(given, REGISTRY, jobs=2, min_parallel=1))
    assert [s.id for s, _ in got] == [s.id for s in given]
    assert [found for _, found in got] == [suggest(s, REGISTRY) for s in given]


class _BreakingPool:
    """A pool whose workers die after the first chunk."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.calls = 0

    def submit(self, fn: Any, chunk: list[tuple[Story, Any]]) -> Any:
        from concurrent.futures import Future

        self.calls += 1
        future: Future[Any] = Future()
        if self.calls == 1:
            future.set_result([suggest(story, REGISTRY) for story, _ in chunk])
        elif self.calls == 2:
            future.set_exception(BrokenProcessPool("a worker was killed"))
        else:
            raise BrokenProcessPool("the pool is broken")
        return future

    def shutdown(self, **kwargs: Any) -> None:
        pass


def test_a_pool_that_breaks_loses_no_story(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "ProcessPoolExecutor", _BreakingPool)
    given = stories(batch.CHUNK * 3 + 5)
    got = list(suggest_many(given, REGISTRY, jobs=2, min_parallel=1))
    assert [s.id for s, _ in got] == [s.id for s in given]
    assert [found for _, found in got] == [suggest(s, REGISTRY) for s in given]


def test_a_spacy_back_end_keeps_the_work_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    class Backend:
        def entities(self, text: str) -> list[tuple[int, int, str]]:
            return []

    def no_pool(*args: Any, **kwargs: Any) -> Iterator[tuple[Story, list[Any]]]:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(batch, "_parallel", no_pool)
    assert len(list(suggest_many(stories(4), REGISTRY, jobs=2, nlp=Backend(), min_parallel=1))) == 4  # type: ignore[arg-type]


def _where(story: Story, pid: int, found: list[Suggestion], registry: Registry) -> tuple[int, list[Suggestion]]:
    return pid, found


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_forked_workers_read_their_stories_themselves() -> None:
    given = {s.id: s for s in stories(8)}

    def read(story_id: str) -> tuple[Story, int]:  # a closure: it cannot be sent, a forked worker has it
        return given[story_id], os.getpid()

    got = list(suggest_read(list(given), read, REGISTRY, _where, jobs=2, min_parallel=1))
    assert [key for key, _ in got] == list(given)
    assert all(pid != os.getpid() for _, (pid, _) in got)
    assert [found for _, (_, found) in got] == [suggest(s, REGISTRY) for s in given.values()]


def test_workers_that_are_not_forked_get_stories_read_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "_context", lambda: multiprocessing.get_context("spawn"))
    given = {s.id: s for s in stories(3)}
    got = list(suggest_read(list(given), lambda i: (given[i], os.getpid()), REGISTRY, _where, jobs=2, min_parallel=1))
    assert [(key, pid) for key, (pid, _) in got] == [(key, os.getpid()) for key in given]
    assert [found for _, (_, found) in got] == [suggest(s, REGISTRY) for s in given.values()]
