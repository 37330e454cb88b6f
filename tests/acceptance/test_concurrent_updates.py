"""Two responders update one incident on two branches: each update is a file of its own,
so git merges, rebases and GitHub-style merge commits join them without a conflict, and
the merged incident validates with both updates in its timeline."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from itsm_as_code.authoring.updates import write_update
from itsm_as_code.config import load_config
from itsm_as_code.git.trees import Revisions
from itsm_as_code.store.repository import load_repository
from itsm_as_code.validation.lifecycle.sources import load_head
from tests.helpers import example_repo, incident, run_itsm, write
from tests.history_repos import GIT_ENVIRONMENT, git

RECORD = "records/incidents/INC-0002.yaml"
OPENED = "2026-11-03T04:00:00+01:00"
IDENTIFIED = {"at": "2026-11-03T04:40:00+01:00", "status": "identified", "author": "ada",
              "message": "A faulty deploy is the cause."}
MONITORING = {"at": "2026-11-03T04:35:00+01:00", "status": "monitoring", "author": "ben",
              "services": [{"id": "web", "status": "degraded_performance"}],
              "message": "Most requests succeed again."}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """main: an open incident; branch `a` adds the identified update, `b` (from main)
    the monitoring one with a service status change. `main` is checked out."""
    root = example_repo(tmp_path / "repo")
    write(root, incident("INC-0002", services=[{"id": "web", "status": "partial_outage"}],
                         opened_at=OPENED, timeline=[
                             {"at": OPENED, "status": "investigating",
                              "message": "We are investigating errors on the website."}]))
    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Open INC-0002")
    for branch, entry, token in (("a", IDENTIFIED, "aaaaaa"), ("b", MONITORING, "bbbbbb")):
        git(root, "checkout", "--quiet", "-b", branch, "main")
        write_update(root, RECORD, "INC-0002", entry, token)
        git(root, "add", "--all")
        git(root, "commit", "--quiet", "-m", f"INC-0002: {entry['status']}")
    git(root, "checkout", "--quiet", "main")
    return root


def _assert_both_updates(timeline: list[dict[str, object]], status: object) -> None:
    assert [entry.get("status") for entry in timeline] == [
        "investigating", "monitoring", "identified"]
    assert status == "identified"  # the latest update's, whatever the merge order


def _valid(root: Path, *args: str) -> None:
    result = run_itsm("validate", *args, cwd=root)
    assert (result.code, result.stderr) == (0, ""), result.stdout
    assert result.lines[-1].startswith("ok:")


def test_a_local_merge_of_both_branches_has_no_conflict_and_validates(root: Path) -> None:
    git(root, "merge", "--quiet", "--ff-only", "a")
    git(root, "merge", "--quiet", "--no-edit", "b")  # check=True: a conflict would raise
    assert git(root, "status", "--porcelain") == ""
    _valid(root)
    (record,) = load_repository(load_config(root)).by_id["INC-0002"]
    _assert_both_updates(record.data["timeline"], record.data["status"])
    log = run_itsm("log", "INC-0002", cwd=root)
    assert log.code == 0
    # Both branch commits have one time: their order in the log is git's.
    added = sorted(line.strip() for line in log.lines if "timeline entry" in line)
    assert added == [
        "timeline entry #1 added: 2026-11-03T04:00:00+01:00 investigating We are "
        "investigating errors on the website.",
        "timeline entry 20261103T033500Z-ben-bbbbbb.yaml added: 2026-11-03T04:35:00+01:00 "
        "monitoring Most requests succeed again.",
        "timeline entry 20261103T034000Z-ada-aaaaaa.yaml added: 2026-11-03T04:40:00+01:00 "
        "identified A faulty deploy is the cause."]


def test_a_rebase_of_one_branch_onto_the_other_has_no_conflict(root: Path) -> None:
    git(root, "merge", "--quiet", "--ff-only", "a")
    git(root, "checkout", "--quiet", "b")
    git(root, "rebase", "--quiet", "main")
    assert git(root, "status", "--porcelain") == ""
    _valid(root)
    (record,) = load_repository(load_config(root)).by_id["INC-0002"]
    _assert_both_updates(record.data["timeline"], record.data["status"])


def _github_merge(root: Path) -> str:
    """A merge commit of `a` and `b` made as GitHub makes one: from the trees alone, with
    no work tree and no merge drivers."""
    tree = git(root, "merge-tree", "--write-tree", "a", "b")  # exit 1 on a conflict
    return git(root, "commit-tree", tree, "-p", "a", "-p", "b", "-m", "Merge pull request")


def test_a_merge_commit_built_as_github_builds_one_has_no_conflict_and_validates(
        root: Path) -> None:
    merge = _github_merge(root)
    _valid(root, "--base", merge, "--head", merge)
    config = load_config(root)
    head = load_head(config, Revisions(config.root, config.records_dir, merge, merge))
    (record,) = head.by_id["INC-0002"]
    _assert_both_updates(record.data["timeline"], record.data["status"])


def test_the_second_branch_validates_against_main_after_the_first(root: Path) -> None:
    git(root, "merge", "--quiet", "--ff-only", "a")
    _valid(root, "--base", "main", "--head", "b")


def test_the_rebased_branch_validates_against_main_after_the_first(root: Path) -> None:
    git(root, "merge", "--quiet", "--ff-only", "a")
    git(root, "checkout", "--quiet", "b")
    git(root, "rebase", "--quiet", "main")
    _valid(root, "--base", "main")


def test_the_merge_commit_validates_against_main_after_the_first(root: Path) -> None:
    git(root, "merge", "--quiet", "--ff-only", "a")
    _valid(root, "--base", "main", "--head", _github_merge(root))


def test_a_branch_that_rewrites_a_merged_update_fails_at_that_file(root: Path) -> None:
    """The base is folded too: an update that main has is part of its timeline, which a
    branch may not rewrite."""
    git(root, "merge", "--quiet", "--ff-only", "a")
    path = root / "records/incidents/INC-0002.updates/20261103T034000Z-ada-aaaaaa.yaml"
    path.write_text(path.read_text().replace("A faulty deploy", "A bad deploy"))
    result = run_itsm("validate", "--base", "main", cwd=root)
    assert result.code == 1
    assert [line.partition(": error:")[0] for line in result.lines[:-1]] == [
        f"{path.relative_to(root).as_posix()}:5:10"]  # its message line
    assert result.lines[0].endswith("[history-timeline]")


def test_a_fresh_clone_needs_no_git_configuration(root: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(root), str(clone))
    local = git(clone, "config", "--local", "--list")
    assert "merge." not in local
    assert not (clone / ".gitattributes").exists()
    git(clone, "merge", "--quiet", "--no-edit", "origin/a")
    git(clone, "merge", "--quiet", "--no-edit", "origin/b")
    _valid(clone)
    (record,) = load_repository(load_config(clone)).by_id["INC-0002"]
    _assert_both_updates(record.data["timeline"], record.data["status"])


def test_a_conflict_would_have_been_seen(root: Path) -> None:
    """The same two updates appended to the record's own file conflict: what the update
    files avoid, and proof that the merges above would have failed loudly."""
    for branch, entry in (("a2", IDENTIFIED), ("b2", MONITORING)):
        git(root, "checkout", "--quiet", "-b", branch, "main")
        path = root / RECORD
        path.write_text(path.read_text() + f"  - at: {entry['at']}\n    status: "
                        f"{entry['status']}\n    message: {entry['message']}\n")
        git(root, "commit", "--quiet", "-am", "Appended")
    with pytest.raises(subprocess.CalledProcessError):
        git(root, "merge-tree", "--write-tree", "a2", "b2")
    assert GIT_ENVIRONMENT["GIT_CONFIG_GLOBAL"]  # no user's configuration is read


@pytest.mark.parametrize("committed", [False, True])
def test_a_change_that_only_adds_an_update_is_judged_against_the_base(
        root: Path, committed: bool) -> None:
    """The lifecycle rules run on a record whose only change is a new update file (not
    yet added to git, or committed), comparing the folded base with the folded change."""
    git(root, "checkout", "--quiet", "-b", "c", "main")
    path = write_update(root, RECORD, "INC-0002", {
        "at": "2026-11-03T04:50:00+01:00", "status": "new", "message": "Back to new."},
        "cccccc")
    head: tuple[str, ...] = ()
    if committed:
        git(root, "add", "--all")
        git(root, "commit", "--quiet", "-m", "Back to new")
        head = ("--head", "c")
    result = run_itsm("validate", "--base", "main", *head, cwd=root)
    assert result.code == 1
    assert [(line.partition(":")[0], line.rpartition(" ")[2]) for line in result.lines[:-1]
            if "lifecycle-transition" in line] == [(path, "[lifecycle-transition]")]


def test_a_branch_that_deletes_a_merged_update_fails(root: Path) -> None:
    git(root, "merge", "--quiet", "--ff-only", "a")
    (root / "records/incidents/INC-0002.updates/20261103T034000Z-ada-aaaaaa.yaml").unlink()
    result = run_itsm("validate", "--base", "main", cwd=root)
    assert result.code == 1
    assert any(line.endswith("[history-timeline]") for line in result.lines), result.stdout
