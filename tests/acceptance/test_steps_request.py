"""The other kinds with a lifecycle, lived through with commands: a service request (submit,
approve by a named approver, start, fulfil), a maintenance window (start, extend,
complete) and a problem and a known error, whose steps are edits of their own file that
keep every other line."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.store.repository import load_repository
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import example_repo, run_itsm
from tests.history_repos import git

NOW = parse_timestamp("2026-11-22T10:00:00+01:00")
PROBLEM = "records/problems/PRB-0001.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The example repository in git, ada its git user, with a request by ben, a
    maintenance window and a problem (with a comment) committed."""
    for module in ("itsm_as_code.cli.common", "itsm_as_code.cli.stepoptions"):
        monkeypatch.setattr(f"{module}.wall_clock", lambda: NOW)
    root = example_repo(tmp_path / "repo")
    git(root, "init", "--quiet")
    git(root, "config", "user.name", "Ada Lovelace")
    git(root, "config", "user.email", "ada@example.com")
    for args in (("request", "--title", "Read access to the orders database", "--service",
                  "api", "--requested-by", "ben", "--at", "08:00"),
                 ("maintenance", "--title", "Database upgrade", "--service", "web",
                  "--start", "09:30", "--end", "10:30"),
                 ("problem", "--title", "Gateway deploys break checkout", "--at", "08:00"),
                 ("known-error", "--title", "Stale DNS after failover", "--symptoms",
                  "502 for a few minutes", "--workaround", "Flush the resolver cache.",
                  "--at", "08:00")):
        assert run_itsm("new", *args, cwd=root).code == 0
    text = (root / PROBLEM).read_text()
    (root / PROBLEM).write_text(text.replace("status:", "# Owned by the platform team.\n"
                                             "status:"))
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Records")
    yield root


def step(root: Path, *args: str) -> list[str]:
    result = run_itsm(*args, "--commit", cwd=root)
    assert result.code == 0, result.stdout + result.stderr
    wrote = sorted(line.removeprefix("wrote ") for line in result.lines
                   if line.startswith("wrote "))
    assert git(root, "diff", "--name-only", "HEAD~1", "HEAD").splitlines() == wrote
    checked = run_itsm("validate", "--base", "HEAD~1", cwd=root)
    assert checked.code == 0, checked.stdout
    return result.lines


def data(root: Path, record_id: str) -> dict[str, object]:
    record = load_repository(load_config(root)).get(record_id)
    assert record is not None
    return record.data


def test_a_request_from_submission_to_fulfilment(repo: Path) -> None:
    refused = run_itsm("approve", "REQ-0001", "--by", "ben", cwd=repo)
    assert refused.code == 1
    assert refused.lines[1].endswith(
        "error: approvals[0]: ben requested REQ-0001 and cannot approve it: another person "
        "approves it with itsm approve REQ-0001 --by PERSON [request-approval]")
    assert refused.lines[-1] == ('nothing was written: approve of REQ-0001 "Read access to the '
                                 'orders database" was refused')
    assert not (repo / "records/requests/REQ-0001.updates").exists()
    lines = step(repo, "approve", "REQ-0001", "--by", "ada", "--comment", "For the audit.",
                 "--at", "09:00")
    assert lines[0] == ('REQ-0001 "Read access to the orders database": submitted -> approved '
                        "at 2026-11-22 09:00 CET by Ada Lovelace (ada)")
    assert git(repo, "log", "-1", "--format=%s") == "REQ-0001: approved by ada (ada)"
    step(repo, "start", "REQ-0001", "--at", "09:10")
    step(repo, "fulfil", "REQ-0001", "-m", "Granted read access.", "--at", "09:40")
    request = data(repo, "REQ-0001")
    assert (request["status"], request["resolved_at"]) == ("fulfilled",
                                                           "2026-11-22T09:40:00+01:00")
    assert request["approvals"] == [{"by": "ada", "decision": "approved",
                                     "at": "2026-11-22T09:00:00+01:00",
                                     "comment": "For the audit."}]
    assert [entry["message"] for entry in request["timeline"]] == [  # type: ignore[attr-defined]
        "Approved by Ada Lovelace.", "Fulfilment started by Ada Lovelace.",
        "Granted read access."]


def test_a_maintenance_window_started_extended_and_completed(repo: Path) -> None:
    step(repo, "start", "MNT-0001", "--at", "09:30")
    lines = step(repo, "extend", "MNT-0001", "--until", "11:00", "--at", "09:45")
    assert git(repo, "log", "-1", "--format=%s") == \
        "MNT-0001: extended until 2026-11-22T11:00:00+01:00 (ada)"
    assert lines[0].startswith('MNT-0001 "Database upgrade": extended until')
    step(repo, "complete", "MNT-0001", "--at", "09:55")
    window = data(repo, "MNT-0001")
    assert (window["status"], window["scheduled_end"]) == ("completed",
                                                           "2026-11-22T11:00:00+01:00")
    assert [(e["public"], e["message"]) for e in window["timeline"]] == [  # type: ignore[attr-defined]
        (True, "Scheduled maintenance is in progress."),
        (True, "The maintenance window is extended until 2026-11-22 11:00 CET."),
        (True, "The scheduled maintenance has been completed.")]


def test_a_problem_s_moves_edit_only_their_lines(repo: Path) -> None:
    before = (repo / PROBLEM).read_text()
    step(repo, "update", "PRB-0001", "--status", "root_cause_analysis", "--at", "09:00")
    step(repo, "update", "PRB-0001", "--status", "resolved", "--root-cause",
         "The deploy skipped the canary.", "--at", "09:30")
    assert git(repo, "log", "-1", "--format=%s") == "PRB-0001: resolved (ada)"
    after = (repo / PROBLEM).read_text()
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
               if line[:1] in "+-"]
    assert changed == ["- status: new", "+ status: resolved",
                       "+ resolved_at: 2026-11-22T09:30:00+01:00",
                       "+ root_cause: The deploy skipped the canary."]
    assert "# Owned by the platform team.\n" in after


def test_a_problem_move_the_table_refuses_names_the_allowed_ones(repo: Path) -> None:
    result = run_itsm("update", "PRB-0001", "--status", "fix_in_progress", cwd=repo)
    assert result.code == 1
    assert result.lines[0].endswith(
        "error: PRB-0001 is new: it may move to assessing, root_cause_analysis, closed, not "
        "to fix_in_progress [lifecycle-transition]")
    assert git(repo, "status", "--porcelain") == ""


def test_a_known_error_is_fixed_with_a_new_workaround(repo: Path) -> None:
    step(repo, "update", "KE-0001", "--status", "fixed", "--workaround", "Nothing to do.")
    known = data(repo, "KE-0001")
    assert (known["status"], known["workaround"]) == ("fixed", "Nothing to do.")


def test_a_problem_has_no_timeline_to_write_to(repo: Path) -> None:
    result = run_itsm("update", "PRB-0001", "-m", "Looking into it.", cwd=repo)
    assert (result.code, result.stderr.strip()) == (
        2, "error: -m/--message: a problem has no timeline; write what changed in its fields "
        "(--root-cause, --workaround)")
