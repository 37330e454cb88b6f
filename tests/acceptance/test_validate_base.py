"""`itsm validate --base REF`, tried as users do: on branches, commits and clones of a
real git repository."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pygit2
import pytest

from tests.helpers import example_repo, run_itsm

SIGNATURE = pygit2.Signature("Test Author", "test@example.org", 1764000000, 60)
INCIDENT = "records/incidents/INC-0001.yaml"
UPDATE = """\
  - at: 2026-11-02T11:00:00+01:00
    message: The post-incident review is scheduled.
"""
NEW_INCIDENT = """\
apiVersion: itsm/v1
kind: Incident
id: INC-0002
title: API is slow
services:
  - {id: api, status: degraded_performance}
impact: low
urgency: low
priority: P5
status: investigating
opened_at: 2026-11-03T09:00:00+01:00
timeline:
  - at: 2026-11-03T09:00:00+01:00
    status: investigating
    message: Looking into it.
"""
DELETED = ("records/incidents/INC-0001.yaml:1:1: error: Incident INC-0001 exists at main but "
           "was deleted: records are never deleted; restore the file, and cancel or close it "
           "instead [history-delete]")


def commit(repo: pygit2.Repository, message: str) -> pygit2.Oid:
    """Stage everything and commit it on the current branch."""
    repo.index.add_all()
    repo.index.write()
    tree = repo.index.write_tree()
    parents = [] if repo.head_is_unborn else [repo.head.target]
    return repo.create_commit("HEAD", SIGNATURE, SIGNATURE, message, tree, parents)


@pytest.fixture
def repo(tmp_path: Path) -> pygit2.Repository:
    """The example repository committed on main, with a branch `feature` checked out."""
    root = example_repo(tmp_path / "repo")
    git = pygit2.init_repository(str(root), initial_head="main")
    first = commit(git, "Records")
    git.branches.local.create("feature", git[first].peel(pygit2.Commit))
    git.checkout("refs/heads/feature")
    return git


def root_of(repo: pygit2.Repository) -> Path:
    return Path(repo.workdir)


def edit(root: Path, path: str, old: str, new: str) -> None:
    text = (root / path).read_text()
    assert old in text
    (root / path).write_text(text.replace(old, new))


def test_a_branch_that_deletes_a_record_fails(repo: pygit2.Repository) -> None:
    (root_of(repo) / INCIDENT).unlink()
    result = run_itsm("validate", "--base", "main", cwd=root_of(repo))
    assert result.code == 1
    assert result.lines == [DELETED, "1 error(s), 0 warning(s) in 1 file(s) (10 records checked)"]


def test_a_branch_that_changes_opened_at_fails_at_its_line(repo: pygit2.Repository) -> None:
    edit(root_of(repo), INCIDENT, "opened_at: 2026-11-02T09:14", "opened_at: 2026-11-02T09:04")
    commit(repo, "Backdate")
    result = run_itsm("validate", "--base", "main", cwd=root_of(repo))
    assert result.code == 1
    assert result.lines[0] == (
        f"{INCIDENT}:11:12: error: opened_at was '2026-11-02T09:14:00+01:00' at main and is "
        "'2026-11-02T09:04:00+01:00' now: opened_at never changes once committed; put back "
        "opened_at: '2026-11-02T09:14:00+01:00' [history-immutable]")


def test_a_branch_that_rewrites_a_timeline_entry_fails(repo: pygit2.Repository) -> None:
    edit(root_of(repo), INCIDENT, "message: Fixed.", "message: Fixed by a rollback.")
    result = run_itsm("validate", "--base", "main", cwd=root_of(repo))
    assert result.code == 1
    assert result.lines[0].startswith(f"{INCIDENT}:22:14: error: timeline[1] message was "
                                      "'Fixed.' at main")
    assert result.lines[0].endswith("[history-timeline]")


def test_a_branch_that_edits_a_closed_incident_fails(repo: pygit2.Repository) -> None:
    root = root_of(repo)
    edit(root, INCIDENT, "status: resolved\nopened", "status: closed\nopened")
    edit(root, INCIDENT, "team: ops", "closed_at: 2026-11-02T12:00:00+01:00\nteam: ops")
    (root / INCIDENT).write_text((root / INCIDENT).read_text() + (
        "  - at: 2026-11-02T12:00:00+01:00\n    status: closed\n    message: Closed.\n"))
    commit(repo, "Close")
    repo.branches.local.create("closed", repo.head.peel(pygit2.Commit))
    edit(root, INCIDENT, "title: Website returns errors", "title: Website down")
    result = run_itsm("validate", "--base", "closed", cwd=root)
    assert result.code == 1
    assert result.lines[0] == (
        f"{INCIDENT}:4:8: error: INC-0001 is closed at closed, so its fields are frozen, but "
        "title changed: put title back as it was, or reopen it with a timeline entry that "
        "moves it to identified, investigating or monitoring [history-closed]")


def test_a_branch_that_adds_an_incident_and_appends_an_update_passes(
        repo: pygit2.Repository) -> None:
    root = root_of(repo)
    (root / INCIDENT).write_text((root / INCIDENT).read_text() + UPDATE)
    (root / "records/incidents/INC-0002.yaml").write_text(NEW_INCIDENT)
    (root / "records/incidents/2026").mkdir()
    (root / INCIDENT).rename(root / "records/incidents/2026/INC-0001.yaml")
    result = run_itsm("validate", "--base", "main", cwd=root)
    assert (result.code, result.lines) == (0, ["ok: 12 records valid"])


def test_findings_of_the_usual_checks_and_of_the_history_come_together(
        repo: pygit2.Repository) -> None:
    root = root_of(repo)
    edit(root, INCIDENT, "status: resolved\nopened", "status: new\nopened")
    result = run_itsm("validate", "--base", "main", "--format", "json", cwd=root)
    assert result.code == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["line"], f["record"]) for f in findings] == [
        ("lifecycle-transition", 10, "INC-0001"), ("status-timeline", 10, "INC-0001"),
        ("status-timestamps", 13, "INC-0001")]


@pytest.mark.parametrize("output_format", ["text", "json", "markdown", "github"])
def test_every_format_names_the_rule(repo: pygit2.Repository, output_format: str) -> None:
    (root_of(repo) / INCIDENT).unlink()
    result = run_itsm("validate", "--base", "main", "--format", output_format,
                      cwd=root_of(repo))
    assert result.code == 1
    assert "history-delete" in result.stdout


def test_paths_narrow_the_history_findings_too(repo: pygit2.Repository) -> None:
    (root_of(repo) / INCIDENT).unlink()
    result = run_itsm("validate", "--base", "main", "records/services", cwd=root_of(repo))
    assert (result.code, result.lines) == (0, ["ok: 10 records valid"])


def test_head_names_a_commit_to_check_instead_of_the_work_tree(
        repo: pygit2.Repository) -> None:
    (root_of(repo) / INCIDENT).unlink()
    commit(repo, "Delete")
    repo.checkout("refs/heads/main")
    assert (root_of(repo) / INCIDENT).exists()
    assert run_itsm("validate", "--base", "main", cwd=root_of(repo)).code == 0
    result = run_itsm("validate", "--base", "main", "--head", "feature", cwd=root_of(repo))
    assert result.lines == [DELETED, "1 error(s), 0 warning(s) in 1 file(s) (10 records checked)"]


def test_head_without_base_is_a_usage_error(repo: pygit2.Repository) -> None:
    result = run_itsm("validate", "--head", "feature", cwd=root_of(repo))
    assert result.code == 2
    assert result.stderr == (
        "error: --head names the change to compare with --base REF; give --base too\n")


def test_a_detached_head_works(repo: pygit2.Repository) -> None:
    (root_of(repo) / INCIDENT).unlink()
    repo.set_head(commit(repo, "Delete"))
    assert repo.head_is_detached
    result = run_itsm("validate", "--base", "main", cwd=root_of(repo))
    assert result.lines[0] == DELETED


def test_a_worktree_works(repo: pygit2.Repository, tmp_path: Path) -> None:
    (root_of(repo) / INCIDENT).unlink()
    commit(repo, "Delete")
    repo.checkout("refs/heads/main")
    tree = tmp_path / "second"
    repo.add_worktree("second", str(tree), repo.branches.local["feature"])
    result = run_itsm("validate", "--base", "main", cwd=tree)
    assert result.lines[0] == DELETED


def test_a_shallow_clone_without_the_base_says_to_fetch_the_history(
        repo: pygit2.Repository, tmp_path: Path) -> None:
    (root_of(repo) / INCIDENT).unlink()
    commit(repo, "Delete")
    clone = tmp_path / "clone"
    environment = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", "feature",
                    f"file://{root_of(repo)}", str(clone)], check=True, env=environment)
    result = run_itsm("validate", "--base", "main", cwd=clone)
    assert result.code == 2
    assert result.stderr == (
        "error: --base: main is not in this shallow clone; fetch the full history first "
        "(`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)\n")


def test_a_repository_without_commits_says_to_commit_first(tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo")
    pygit2.init_repository(str(root), initial_head="main")
    result = run_itsm("validate", "--base", "main", cwd=root)
    assert result.code == 2
    assert result.stderr == (
        "error: --base: the git repository has no commits yet, so there is no main to compare "
        "with; commit the records first\n")


def test_outside_a_git_repository_says_where_to_run_it(tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo")
    result = run_itsm("validate", "--base", "main", cwd=root)
    assert result.code == 2
    assert result.stderr == (
        f"error: --base reads the git history, but {root} is not inside a git repository; run "
        "it in a clone of the records repository (or `git init` and commit first)\n")


def test_an_unknown_base_is_named(repo: pygit2.Repository) -> None:
    result = run_itsm("validate", "--base", "mian", cwd=root_of(repo))
    assert result.code == 2
    assert result.stderr == (
        "error: --base: no commit named 'mian' in this repository; name a branch, tag or "
        "commit (for a pull request, its base branch, such as origin/main)\n")


def test_records_in_a_sub_folder_of_the_git_repository(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    root = example_repo(outer / "itsm")
    git = pygit2.init_repository(str(outer), initial_head="main")
    commit(git, "Records")
    (root / INCIDENT).unlink()
    result = run_itsm("validate", "--base", "main", cwd=root)
    assert result.lines[0] == DELETED


def test_head_follows_a_record_that_moved_between_folders(repo: pygit2.Repository) -> None:
    root = root_of(repo)
    (root / "records/incidents/2026").mkdir()
    moved = root / "records/incidents/2026/INC-0001.yaml"
    (root / INCIDENT).rename(moved)
    moved.write_text(moved.read_text() + UPDATE)
    commit(repo, "Move and update")
    repo.checkout("refs/heads/main")
    result = run_itsm("validate", "--base", "main", "--head", "feature", cwd=root)
    assert (result.code, result.lines) == (0, ["ok: 11 records valid"])
    repo.checkout("refs/heads/feature")
    edit(root, "records/incidents/2026/INC-0001.yaml", "message: Fixed.", "message: Fixed it.")
    commit(repo, "Rewrite on the branch")
    repo.checkout("refs/heads/main")
    result = run_itsm("validate", "--base", "main", "--head", "feature", cwd=root)
    assert result.code == 1
    assert result.lines[0].startswith(
        "records/incidents/2026/INC-0001.yaml:22:14: error: timeline[1] message was 'Fixed.'")
