"""All process parallelism in one place: how many cores, a parallel map over chunks, one
job in a second process beside the caller's own work, and jobs shared by two processes
by turns.

Workers are forked, so they inherit what the parent loaded at no cost, and a job needs no
pickling: it is left in `_JOBS` before the fork and found there by the child. Where fork
is not available, or there are fewer than two cores, or too little work to pay for a process,
the work runs in the calling process, with the same results.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from itertools import count
from multiprocessing import get_context
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MAX_WORKERS = 8
_JOBS: dict[int, Callable[..., Any]] = {}
_KEYS = count()


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    return os.name == "posix" and cores() >= 2


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def map_chunks(job: Callable[[Sequence[T]], R], items: Sequence[T], *, chunk: int,
               parallel_from: int) -> Iterator[R]:
    """`job(chunk)` for each chunk of `items`, in order. In processes when there are at
    least `parallel_from` items and two cores; in this process otherwise."""
    chunks = chunked(items, chunk)
    workers = min(cores(), MAX_WORKERS, len(chunks))
    if len(items) < parallel_from or workers < 2 or not can_fork():
        yield from map(job, chunks)
        return
    key = next(_KEYS)
    _JOBS[key] = job
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
            yield from pool.map(partial(_run, key), chunks)
    finally:
        del _JOBS[key]


def beside(job: Callable[[], R], *, parallel: bool) -> Callable[[], R]:
    """Start `job` in a second process (when `parallel` and the machine allows it) while
    the caller goes on; call what this returns for its result. Without a second process,
    the job runs when the result is asked for."""
    if not (parallel and can_fork()):
        return job
    key = next(_KEYS)
    _JOBS[key] = job
    pool = ProcessPoolExecutor(1, mp_context=get_context("fork"))
    future = pool.submit(_run, key)

    def wait() -> R:
        try:
            with pool:
                result: R = future.result()
                return result
        finally:
            _JOBS.pop(key, None)

    return wait


def by_turns(jobs: Sequence[Callable[[], R]], *, parallel: bool) -> list[R]:
    """Every job's result, in the order of `jobs`. With `parallel` (and a machine that
    allows it), this process and a second one share the jobs by turns: each takes the
    next job nobody has taken, so jobs of very different lengths still keep both busy
    to the end. Only the second process's results are sent back."""
    if not (parallel and can_fork() and len(jobs) > 1):
        return [job() for job in jobs]
    taken = get_context("fork").Value("i", 0)  # in shared memory, with its lock

    def take() -> int:
        with taken.get_lock():
            turn: int = taken.value
            taken.value = turn + 1
            return turn

    def work() -> dict[int, R]:
        done: dict[int, R] = {}
        while (turn := take()) < len(jobs):
            done[turn] = jobs[turn]()
        return done

    other = beside(work, parallel=True)
    done = work()
    done.update(other())
    return [done[turn] for turn in range(len(jobs))]


def _run(key: int, *args: Any) -> Any:
    job: Callable[..., Any] = _JOBS[key]
    return job(*args)
