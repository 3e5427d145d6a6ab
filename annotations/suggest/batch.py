"""Suggesting over many stories at once: `suggest_each` runs `suggest` on worker processes (one per core) while the
caller writes out the last results, and gives the results back in the stories' order.

Each story travels with something of the caller's (`extra`: what the library says about it), and a `finish`
function turns (story, extra, suggestions, registry) into what the caller wants, in the worker: suggestions never
have to travel back, only what is made of them. `suggest_read` takes keys and a `read` function giving each key's
(story, extra): forked workers read them themselves (they share the caller's open library), so only the keys travel
out. The work goes out in small chunks with a bounded number in flight, so a library of any size costs the memory
of a few chunks. One process (no pool) when asked for one job, for a handful of stories, or when a spaCy back end
is used (it cannot be sent to a worker, and runs its own threads). A pool that cannot start or breaks falls back to
this process: no story is lost to it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, TypeVar

from annotations.registry import Registry
from annotations.suggest.model import Suggestion
from stories.model import Story

if TYPE_CHECKING:
    from annotations.suggest.nlp import NlpBackend

__all__ = ["CHUNK", "MIN_PARALLEL", "default_jobs", "suggest_each", "suggest_many", "suggest_read"]

#: Stories a worker takes at a time: enough to outweigh the cost of sending them, few enough to keep order cheap.
CHUNK = 16
#: Fewer stories than this are suggested in this process: starting workers would cost more than it saves.
MIN_PARALLEL = 48

K = TypeVar("K")
X = TypeVar("X")
R = TypeVar("R")
#: What a worker makes of one story's suggestions (a module-level function or a picklable callable object).
Finish = Callable[[Story, Any, list[Suggestion], Registry], Any]
#: A key's story and extra (`suggest_read`).
Read = Callable[[Any], tuple[Story, Any]]

_worker: tuple[Registry, Finish, Read] | None = None  # a worker's registry, finish and read, set once when it starts


def default_jobs() -> int:
    """The cores this process may run on (at most 8)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def _start_worker(registry: Registry, finish: Finish, read: Read) -> None:
    global _worker
    _worker = (registry, finish, read)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no traceback per worker
    # what the worker inherited (the library read so far, the registry) lives as long as it does, and a story's
    # tokens live until it is done: the collector need not walk them every 700 new objects (~10 % of the time)
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def _finish_chunk(chunk: list[Any]) -> list[Any]:
    assert _worker is not None, "worker started without a registry"
    registry, finish, read = _worker
    return [_finish_one(read(key), registry, finish, None) for key in chunk]


def _finish_one(job: tuple[Story, Any], registry: Registry, finish: Finish, nlp: NlpBackend | None) -> Any:
    from annotations.suggest import suggest

    story, extra = job
    return finish(story, extra, suggest(story, registry, nlp=nlp), registry)


def _serial(
    keys: Iterable[Any], read: Read, registry: Registry, finish: Finish, nlp: NlpBackend | None
) -> Iterator[tuple[Any, Any]]:
    for key in keys:
        yield key, _finish_one(read(key), registry, finish, nlp)


def _context() -> multiprocessing.context.BaseContext:
    # fork: workers start at once with the suggester already imported; this runs from the CLI, with no threads
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _found(story: Story, extra: object, found: list[Suggestion], registry: Registry) -> list[Suggestion]:
    return found


def _given(job: tuple[Story, X]) -> tuple[Story, X]:
    return job


def suggest_many(
    stories: Iterable[Story],
    registry: Registry,
    *,
    jobs: int | None = None,
    nlp: NlpBackend | None = None,
    min_parallel: int | None = None,
) -> Iterator[tuple[Story, list[Suggestion]]]:
    """(story, `suggest(story, registry)`) for every story, in the order given (`suggest_each` without a finish)."""
    each = suggest_each(((s, None) for s in stories), registry, _found, jobs=jobs, nlp=nlp, min_parallel=min_parallel)
    yield from each


def suggest_each(
    work: Iterable[tuple[Story, X]],
    registry: Registry,
    finish: Callable[[Story, X, list[Suggestion], Registry], R],
    *,
    jobs: int | None = None,
    nlp: NlpBackend | None = None,
    min_parallel: int | None = None,
) -> Iterator[tuple[Story, R]]:
    """(story, `finish(story, extra, suggest(story, registry), registry)`) for every (story, extra) of `work`, in
    its order; on `jobs` worker processes (default: one per core) when there are at least `min_parallel` stories
    (default `MIN_PARALLEL`) and no `nlp` back end. `finish` and `extra` must pickle (a module-level function)."""
    each = suggest_read(work, _given, registry, finish, jobs=jobs, nlp=nlp, min_parallel=min_parallel)
    for (story, _), result in each:
        yield story, result


def suggest_read(
    keys: Iterable[K],
    read: Callable[[K], tuple[Story, X]],
    registry: Registry,
    finish: Callable[[Story, X, list[Suggestion], Registry], R],
    *,
    jobs: int | None = None,
    nlp: NlpBackend | None = None,
    min_parallel: int | None = None,
) -> Iterator[tuple[K, R]]:
    """(key, `finish(story, extra, suggest(story, registry), registry)`) for every key, (story, extra) being
    `read(key)`, in the keys' order; on workers as `suggest_each`. Forked workers call `read` themselves (it may
    use what this process has open, such as a store); elsewhere it is called here. Keys, `finish` and `extra`
    must pickle."""
    jobs = default_jobs() if jobs is None else max(1, jobs)
    min_parallel = MIN_PARALLEL if min_parallel is None else max(1, min_parallel)
    source = iter(keys)
    head = list(islice(source, min_parallel))
    if jobs == 1 or nlp is not None or len(head) < min_parallel:
        yield from _serial(chain(head, source), read, registry, finish, nlp)
        return
    yield from _parallel(chain(head, source), read, registry, finish, jobs)


def _parallel(
    source: Iterator[Any], read: Read, registry: Registry, finish: Finish, jobs: int
) -> Iterator[tuple[Any, Any]]:
    in_flight: deque[tuple[list[Any], Future[list[Any]] | None]] = deque()
    from annotations.suggest import actors, claims, quotes  # noqa: F401 - loaded before the workers fork, once

    context = _context()
    forked = context.get_start_method() == "fork"  # the workers share what `read` reads from: they call it
    try:
        pool = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_start_worker, initargs=(registry, finish, read if forked else _given)
        )
    except (OSError, ValueError):  # no processes to be had here: this one does the work
        yield from _serial(source, read, registry, finish, None)
        return
    broken = False
    try:
        while True:
            while not broken and len(in_flight) < 2 * jobs:
                chunk = list(islice(source, CHUNK))
                if not chunk:
                    break
                try:
                    in_flight.append((chunk, pool.submit(_finish_chunk, chunk if forked else list(map(read, chunk)))))
                except (BrokenProcessPool, RuntimeError):
                    broken = True
                    in_flight.append((chunk, None))
            if not in_flight:
                if broken and (rest := list(islice(source, CHUNK))):
                    in_flight.append((rest, None))
                    continue
                return
            chunk, future = in_flight.popleft()
            results: list[Any] | None = None
            if future is not None:
                try:
                    results = future.result()
                except BrokenProcessPool:  # a worker died (killed, out of memory): the rest is done here
                    broken = True
            if results is None:
                yield from _serial(chunk, read, registry, finish, None)
            else:
                yield from zip(chunk, results, strict=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
