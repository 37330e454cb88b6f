"""Fifty runs that report at once, from fifty processes, all land on itsm/ops: the branch
moves by compare-and-swap and a run that lost the race commits again on the new tip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import BASE, write
from tests.history_repos import git, published

RUNS = 50
ROUTINE = {"apiVersion": "itsm/v1", "kind": "Routine", "id": "batch", "name": "Batch",
           "service": "web", "team": "ops", "schedule": {"cron": "* * * * *"},
           "timezone": "UTC", "grace": "5m"}


@pytest.mark.slow
def test_fifty_concurrent_checkins_are_all_recorded(tmp_path: Path) -> None:
    files = tmp_path / "files"
    shutil.copytree(BASE, files)
    write(files, ROUTINE)
    _, repo = published(tmp_path / "git", files)
    environment = {**os.environ, "ITSM_BOT_NAME": "itsm bot",
                   "ITSM_BOT_EMAIL": "bot@example.com", "ITSM_NO_CACHE": "1"}
    started = [subprocess.Popen(
        [sys.executable, "-m", "itsm_as_code", "ops", "checkin", "batch", "--status", "ok",
         "--at", f"2026-11-22T09:{index // 60:02d}:{index % 60:02d}Z",
         "--now", "2026-11-22T10:00:00Z", "--commit"],
        cwd=repo, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for index in range(RUNS)]
    outcomes = [process.communicate(timeout=300) for process in started]
    errors = [error for _, error in outcomes if error]
    assert [process.returncode for process in started] == [0] * RUNS, errors[:3]
    listed = git(repo, "ls-tree", "-r", "--name-only", "itsm/ops").splitlines()
    assert len(listed) == RUNS
    assert git(repo, "rev-list", "--count", "itsm/ops") == str(RUNS)
    assert sorted(path.split("/")[-1][:16] for path in listed) == sorted(
        f"20261122T09{index // 60:02d}{index % 60:02d}Z" for index in range(RUNS))
    check = subprocess.run(
        [sys.executable, "-m", "itsm_as_code", "ops", "check", "--now", "2026-11-22T09:00:50Z",
         "--format", "json"], cwd=repo, env=environment, capture_output=True, text=True,
        check=False)
    assert '"state": "ok"' in check.stdout
