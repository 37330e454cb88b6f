"""`itsm validate --base REF` judges what a branch did since it forked, and `--base github`
finds that fork point from the GitHub Actions event: tried on clones of a bare remote, with
pushes, merges and force pushes, and the event JSON written as GitHub writes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.test_validate_base import DELETED, INCIDENT, NEW_INCIDENT
from tests.helpers import BASE, run_itsm
from tests.history_repos import git, published

COLLEAGUE = "records/incidents/INC-0002.yaml"
OK = ["ok: 12 records valid"]


@pytest.fixture
def ada(tmp_path: Path) -> Path:
    """Ada's clone of a remote whose main holds the example records; she is on `feature`,
    forked from main, and Bea has merged INC-0002 into main since."""
    _, clone = published(tmp_path, BASE)
    git(clone, "switch", "--quiet", "-c", "feature")
    bea = tmp_path / "bea"
    git(tmp_path, "clone", "--quiet", str(tmp_path / "remote.git"), str(bea))
    (bea / COLLEAGUE).write_text(NEW_INCIDENT)
    git(bea, "add", "--all")
    git(bea, "commit", "--quiet", "-m", "Open INC-0002")
    git(bea, "push", "--quiet", "origin", "main")
    git(clone, "fetch", "--quiet", "origin")
    return clone


def event(folder: Path, name: str, data: dict[str, Any],
          monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment GitHub gives a step run for event `name`, whose payload is `data`."""
    path = folder / "event.json"
    path.write_text(json.dumps(data))
    monkeypatch.setenv("GITHUB_EVENT_NAME", name)
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
    monkeypatch.setenv("GITHUB_BASE_REF", data.get("pull_request", {}).get("base", {})
                       .get("ref", ""))


def push(before: str, after: str, forced: bool = False, default: str | None = "main",
         ) -> dict[str, Any]:
    """A push event as GitHub sends it (the fields itsm reads, and a few beside them)."""
    repository: dict[str, Any] = {"id": 1, "name": "itsm", "full_name": "acme/itsm",
                                  "private": True}
    if default is not None:
        repository["default_branch"] = default
    return {"ref": "refs/heads/feature", "before": before, "after": after,
            "created": before == "0" * 40, "deleted": False, "forced": forced,
            "base_ref": None, "compare": "https://github.com/acme/itsm/compare",
            "commits": [], "head_commit": {"id": after, "message": "Change"},
            "repository": repository, "pusher": {"name": "ada", "email": "ada@example.com"},
            "sender": {"login": "ada", "type": "User"}}


def pull_request(base: str = "main") -> dict[str, Any]:
    """A pull_request event (opened) as GitHub sends it, shortened to what matters."""
    return {"action": "opened", "number": 7,
            "pull_request": {"number": 7, "state": "open", "title": "Change",
                             "head": {"ref": "feature", "sha": "1" * 40},
                             "base": {"ref": base, "sha": "2" * 40}},
            "repository": {"full_name": "acme/itsm", "default_branch": "main"},
            "sender": {"login": "ada", "type": "User"}}


def deleted_at(label: str) -> str:
    return DELETED.replace("at main", f"at {label}")


def test_a_branch_behind_main_is_judged_from_where_it_forked(ada: Path) -> None:
    assert not (ada / COLLEAGUE).exists()
    result = run_itsm("validate", "--base", "origin/main", cwd=ada)
    assert (result.code, result.lines) == (0, ["ok: 11 records valid"])
    (ada / INCIDENT).unlink()
    result = run_itsm("validate", "--base", "origin/main", cwd=ada)
    assert result.code == 1
    assert result.lines[0] == deleted_at("origin/main")


def test_help_says_the_base_is_the_merge_base(ada: Path) -> None:
    result = run_itsm("validate", "--help", cwd=ada)
    assert "the merge base of REF and the head" in " ".join(result.stdout.split())


def test_a_pull_request_is_judged_from_its_base_branch(ada: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (ada / INCIDENT).unlink()
    git(ada, "commit", "--quiet", "-am", "Delete INC-0001")
    # actions/checkout checks out the merge of the pull request into its base branch.
    git(ada, "switch", "--quiet", "--detach", "origin/main")
    git(ada, "merge", "--quiet", "--no-ff", "-m", "Merge feature into main", "feature")
    event(ada, "pull_request", pull_request(), monkeypatch)
    result = run_itsm("validate", "--base", "github", cwd=ada)
    assert (result.code, result.stderr) == (1, "")
    assert result.lines == [deleted_at("origin/main"),
                            "1 error(s), 0 warning(s) in 1 file(s) (11 records checked)"]


def test_a_clean_pull_request_behind_its_base_passes(ada: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    event(ada, "pull_request_target", pull_request(), monkeypatch)
    result = run_itsm("validate", "--base", "github", cwd=ada)
    assert (result.code, result.lines) == (0, ["ok: 11 records valid"])


def test_a_direct_push_that_rewrites_and_deletes_is_caught(ada: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           ) -> None:
    git(ada, "switch", "--quiet", "main")
    git(ada, "pull", "--quiet", "--ff-only")
    before = git(ada, "rev-parse", "HEAD")
    text = (ada / INCIDENT).read_text()
    (ada / INCIDENT).write_text(text.replace("message: Fixed.", "message: Never broken."))
    (ada / COLLEAGUE).unlink()
    git(ada, "commit", "--quiet", "-am", "Tidy up")
    git(ada, "push", "--quiet", "origin", "main")
    event(ada, "push", push(before, git(ada, "rev-parse", "HEAD")), monkeypatch)
    result = run_itsm("validate", "--base", "github", "--format", "json", cwd=ada)
    assert result.code == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["path"]) for f in findings] == [
        ("history-timeline", INCIDENT), ("history-delete", COLLEAGUE)]
    assert f"at {before[:7]}" in findings[1]["message"]


def test_a_fast_forward_push_is_judged_from_the_previous_tip(
        ada: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(ada, "push", "--quiet", "origin", "feature")
    before = git(ada, "rev-parse", "HEAD")
    (ada / "records/incidents/INC-0003.yaml").write_text(
        NEW_INCIDENT.replace("INC-0002", "INC-0003"))
    git(ada, "add", "--all")
    git(ada, "commit", "--quiet", "-m", "Open INC-0003")
    event(ada, "push", push(before, git(ada, "rev-parse", "HEAD")), monkeypatch)
    result = run_itsm("validate", "--base", "github", cwd=ada)
    assert (result.code, result.lines, result.stderr) == (0, OK, "")


def test_a_new_branch_is_judged_from_the_default_branch(
        ada: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (ada / INCIDENT).unlink()
    git(ada, "commit", "--quiet", "-am", "Delete INC-0001")
    event(ada, "push", push("0" * 40, git(ada, "rev-parse", "HEAD")), monkeypatch)
    result = run_itsm("validate", "--base", "github", cwd=ada)
    assert result.code == 1
    assert result.lines[0] == deleted_at("origin/main")
    assert result.stderr == ("notice: --base github: a push that created the branch: judged "
                             "from where it forked from origin/main\n")


def test_a_force_push_is_judged_from_the_default_branch(
        ada: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (ada / "records/incidents/INC-0003.yaml").write_text(
        NEW_INCIDENT.replace("INC-0002", "INC-0003"))
    git(ada, "add", "--all")
    git(ada, "commit", "--quiet", "-m", "Open INC-0003")
    git(ada, "push", "--quiet", "origin", "feature")
    before = git(ada, "rev-parse", "HEAD")
    (ada / INCIDENT).unlink()
    git(ada, "commit", "--quiet", "--amend", "-am", "Open INC-0003, delete INC-0001")
    git(ada, "push", "--quiet", "--force", "origin", "feature")
    event(ada, "push", push(before, git(ada, "rev-parse", "HEAD"), forced=True), monkeypatch)
    result = run_itsm("validate", "--base", "github", "--format", "github", cwd=ada)
    assert result.code == 1
    assert result.lines[0] == (
        f"::notice title=--base github::--base github: a force push ({before[:7]}, the previous "
        "tip, is not an ancestor of HEAD): judged from where it forked from origin/main")
    assert "Incident INC-0001 exists at origin/main but was deleted" in result.lines[1]
    # A fresh clone, as CI makes, has never seen the commit the force push left behind.
    fresh = ada.parent / "ci"
    git(ada.parent, "clone", "--quiet", "--branch", "feature",
        f"file://{ada.parent / 'remote.git'}", str(fresh))
    result = run_itsm("validate", "--base", "github", cwd=fresh)
    assert result.lines[0] == deleted_at("origin/main")
    assert result.stderr == (
        f"notice: --base github: a force push ({before[:7]}, the previous tip, is not in this "
        "clone): judged from where it forked from origin/main\n")


def test_without_the_default_branch_there_is_no_base_and_a_notice(
        ada: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (ada / INCIDENT).unlink()
    event(ada, "push", push("0" * 40, "1" * 40, default="trunk"), monkeypatch)
    result = run_itsm("validate", "--base", "github", cwd=ada)
    assert (result.code, result.lines) == (0, ["ok: 10 records valid"])
    assert result.stderr == (
        "notice: --base github: a push that created the branch, and origin/trunk is not in "
        "this clone: no base, so only the usual checks ran (fetch the default branch: "
        "`fetch-depth: 0` in actions/checkout)\n")


def test_other_events_have_no_base(ada: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (ada / INCIDENT).unlink()
    event(ada, "schedule", {"schedule": "*/15 * * * *"}, monkeypatch)
    result = run_itsm("validate", "--base", "github", cwd=ada)
    assert (result.code, result.lines) == (0, ["ok: 10 records valid"])
    assert result.stderr == ("notice: --base github: a schedule event has no base revision, "
                             "so only the usual checks ran\n")


def test_outside_actions_it_says_what_is_missing(ada: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_EVENT_NAME", raising=False)
    result = run_itsm("validate", "--base", "github", cwd=ada)
    assert (result.code, result.stderr) == (2, (
        "error: --base github reads the GitHub Actions environment, but GITHUB_EVENT_NAME is "
        "not set: run it in a workflow, or name the base (--base origin/main)\n"))
    monkeypatch.setenv("GITHUB_EVENT_NAME", "push")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(ada / "missing.json"))
    result = run_itsm("validate", "--base", "github", cwd=ada)
    assert (result.code, result.stderr) == (2, (
        f"error: --base github: {ada / 'missing.json'}: cannot read the event: No such file or "
        "directory\n"))


def test_branches_that_share_no_history_are_named(ada: Path) -> None:
    git(ada, "checkout", "--quiet", "--orphan", "elsewhere")
    git(ada, "commit", "--quiet", "-m", "The same records, without their history")
    result = run_itsm("validate", "--base", "origin/main", cwd=ada)
    assert (result.code, result.stderr) == (2, (
        "error: --base: origin/main and the change share no history, so there is no fork "
        "point to judge the change from; name the branch this one was made from\n"))
