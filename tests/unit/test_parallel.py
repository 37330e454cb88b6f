"""The one place of process parallelism: jobs shared by two processes by turns."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from itsm_as_code.parallel import by_turns, can_fork

WAIT = 20.0  # seconds a job waits for the other process before it gives up


def _jobs(marker: Path) -> list[Callable[[], str]]:
    def waits() -> str:
        # Returns only once another job wrote the marker: run alone, by one process
        # taking the jobs one after the other, it would wait for nothing.
        deadline = time.monotonic() + WAIT
        while not marker.exists():
            if time.monotonic() > deadline:
                return "alone"
            time.sleep(0.01)
        return "met"

    def writes() -> str:
        marker.write_text(str(os.getpid()))
        return "wrote"

    return [waits, writes, lambda: "third", lambda: "fourth"]


@pytest.mark.skipif(not can_fork(), reason="one core, or no fork: the jobs run here")
def test_two_processes_take_the_jobs_by_turns(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    # "met": while one process waited in the first job, the other took the second.
    assert by_turns(_jobs(marker), parallel=True) == ["met", "wrote", "third", "fourth"]


def test_without_parallel_the_jobs_run_here_in_order(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    jobs = _jobs(marker)
    assert by_turns(jobs[1:], parallel=False) == ["wrote", "third", "fourth"]
    assert marker.read_text() == str(os.getpid())
    assert by_turns([], parallel=True) == []
