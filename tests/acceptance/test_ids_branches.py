"""Ids that never collide: `itsm new` sees the ids of every branch, and validation flags
two records sharing an id after a merge."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import BASE, run_itsm
from tests.history_repos import History

NEW = ("new", "incident", "--title", "Website slow", "--service", "web", "--at",
       "2026-11-22T10:00:00+01:00")


@pytest.fixture
def history(tmp_path: Path) -> History:
    """The base example (which holds INC-0001) committed on main."""
    h = History(tmp_path / "repo")
    files: dict[str, str | None] = {
        path.relative_to(BASE).as_posix(): path.read_text(encoding="utf-8")
        for path in BASE.rglob("*") if path.is_file()
    }
    h.commit("2026-11-20T09:00:00+01:00", "Records", files)
    h.checkout()
    return h


def _new_on(history: History, branch: str) -> str:
    """Check `branch` out, allocate an incident there and commit it; return its id."""
    history.checkout(branch)
    result = run_itsm(*NEW, cwd=history.path)
    assert result.code == 0, result.stderr
    created = result.stdout.split()[1].rstrip(":")
    path = result.stdout.split()[2]
    history.commit("2026-11-22T10:01:00+01:00", f"Open {created}",
                   {path: (history.path / path).read_text()}, branch=branch)
    return created


def test_two_branches_allocating_ids_get_two_different_ids(history: History) -> None:
    history.branch("alice")
    history.branch("bob")
    assert _new_on(history, "alice") == "INC-0002"
    assert _new_on(history, "bob") == "INC-0003"
    history.checkout("main")
    assert run_itsm(*NEW, cwd=history.path).stdout.startswith("created INC-0004: ")


def test_remote_tracking_branches_count(history: History) -> None:
    history.branch("pushed")
    history.commit("2026-11-21T09:00:00+01:00", "Open INC-0041", {
        "records/incidents/2026/11/INC-0041.yaml": "kind: Incident\nid: INC-0041\n",
    }, branch="pushed")
    target = history.repo.references["refs/heads/pushed"].target
    history.repo.references.create("refs/remotes/origin/pushed", target)
    history.repo.references["refs/heads/pushed"].delete()
    result = run_itsm(*NEW, cwd=history.path)
    assert result.stdout == "created INC-0042: records/incidents/2026/11/INC-0042.yaml\n"


def test_outside_git_the_work_tree_decides(tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "plain")
    result = run_itsm(*NEW, cwd=tmp_path / "plain")
    assert result.stdout == "created INC-0002: records/incidents/2026/11/INC-0002.yaml\n"


def test_a_merge_of_two_branches_that_took_the_same_id_is_flagged(history: History) -> None:
    """Two people who allocate without seeing each other's branch (neither pushed yet)
    get the same id; the merge brings both files, and validation refuses it."""
    incident = (BASE / "records/incidents/INC-0001.yaml").read_text(encoding="utf-8")
    history.branch("alice")
    history.branch("bob")
    for branch, month in (("alice", "10"), ("bob", "11")):
        history.commit("2026-11-22T10:00:00+01:00", "Open INC-0005", {
            f"records/incidents/2026/{month}/INC-0005.yaml":
                incident.replace("id: INC-0001", "id: INC-0005"),
        }, branch=branch)
    history.commit("2026-11-22T11:00:00+01:00", "Merge alice", {}, branch="main",
                   merge="alice")
    history.commit("2026-11-22T11:05:00+01:00", "Merge bob", {}, branch="main", merge="bob")
    history.checkout("main")
    result = run_itsm("validate", cwd=history.path)
    assert result.code == 1
    flagged = [line for line in result.lines if line.endswith("[id-unique]")]
    assert len(flagged) == 2
    assert {line.split(":")[0] for line in flagged} == {
        "records/incidents/2026/10/INC-0005.yaml", "records/incidents/2026/11/INC-0005.yaml"}
