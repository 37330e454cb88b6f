"""`itsm new` takes the work tree's lock: several at once, as real processes, each get
their own id and every file is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from itsm_as_code.worklock import work_tree_lock
from itsm_as_code.yamlsafe import load
from tests.helpers import example_repo, run_itsm

RUNS = 6


def _new_incident(root: Path, title: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "itsm_as_code", "new", "incident", "--title", title,
         "--service", "web", "--at", "2026-11-24T09:00:00+01:00"],
        cwd=root, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_new_incidents_at_once_get_distinct_ids_and_all_are_written(tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo")
    # Held here until every process has started and read nothing yet: they then all
    # reach the lock together, the race this test is about.
    with work_tree_lock(root):
        runs = [_new_incident(root, f"Outage {index}") for index in range(RUNS)]
    said = [run.communicate(timeout=120)[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0] * RUNS, said
    files = sorted((root / "records/incidents/2026/11").glob("*.yaml"))
    assert [path.stem for path in files] == [f"INC-{number:04d}" for number in range(2, 8)]
    titles = {load(path.read_text(encoding="utf-8"), 100)["title"] for path in files}
    assert titles == {f"Outage {index}" for index in range(RUNS)}
    assert run_itsm("validate", cwd=root).lines == [f"ok: {11 + RUNS} records valid"]

