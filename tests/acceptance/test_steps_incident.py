"""Living through an incident with commands only, as a responder does: every step a commit
that `itsm validate --base HEAD~1` accepts and whose diff is the step's file and nothing
else; the record file's own text (comments included) untouched by timeline steps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.store.repository import load_repository
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import example_repo, run_itsm
from tests.history_repos import git

NOW = parse_timestamp("2026-11-22T10:00:00+01:00")
INCIDENT = "records/incidents/2026/11/INC-0002.yaml"
UPDATES = "records/incidents/2026/11/INC-0002.updates/"
COMMENT = "# Paged by the on-call phone at 08:58; see the chat channel #inc-0002.\n"


def pin_clock(monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
    """The wall clock the commands read (the default `--at`, `04:40`, `-15m`)."""
    for module in ("itsm_as_code.cli.common", "itsm_as_code.cli.stepoptions"):
        monkeypatch.setattr(f"{module}.wall_clock", lambda: now)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The example repository in git, with ada as the git user, and an open incident on
    `api` (with a hand-written comment) committed."""
    root = example_repo(tmp_path / "repo")
    pin_clock(monkeypatch, NOW)
    git(root, "init", "--quiet")
    git(root, "config", "user.name", "Ada Lovelace")
    git(root, "config", "user.email", "ada@example.com")
    opened = run_itsm("new", "incident", "--title", "Checkout API returns 502", "--service",
                      "api:major_outage", "--impact", "high", "--urgency", "high",
                      "--at", "2026-11-22 09:00", cwd=root)
    assert opened.code == 0, opened.stderr
    text = (root / INCIDENT).read_text()
    (root / INCIDENT).write_text(text.replace("impact:", COMMENT + "impact:"))
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Records and INC-0002")
    yield root


def step(root: Path, *args: str) -> list[str]:
    """Run a step with --commit and check what the commit holds: it validates against its
    parent, and changes exactly the files the step says it wrote."""
    result = run_itsm(*args, "--commit", cwd=root)
    assert result.code == 0, result.stdout + result.stderr
    wrote = sorted(line.removeprefix("wrote ") for line in result.lines
                   if line.startswith("wrote "))
    assert git(root, "diff", "--name-only", "HEAD~1", "HEAD").splitlines() == wrote
    assert git(root, "status", "--porcelain") == ""
    checked = run_itsm("validate", "--base", "HEAD~1", cwd=root)
    assert checked.code == 0, checked.stdout
    return result.lines


def incident(root: Path) -> dict[str, object]:
    record = load_repository(load_config(root)).get("INC-0002")
    assert record is not None
    return record.data


def test_a_whole_incident_from_open_to_its_problem(repo: Path) -> None:
    original = (repo / INCIDENT).read_text()
    lines = step(repo, "ack", "INC-0002", "--at", "09:05")
    assert lines[0] == ('INC-0002 "Checkout API returns 502": new -> investigating at '
                        "2026-11-22 09:05 CET by Ada Lovelace (ada)")
    assert lines[1].startswith(f"wrote {UPDATES}20261122T080500Z-ada-")
    assert git(repo, "log", "-1", "--format=%s") == "INC-0002: acknowledged, investigating (ada)"

    step(repo, "update", "INC-0002", "--status", "identified", "-m",
         "A bad deploy of the payment gateway.", "--at", "-40m")
    step(repo, "update", "INC-0002", "-m", "Rolled back; errors are falling.", "--service",
         "api:partial_outage", "--at", "09:35")
    assert git(repo, "log", "-1", "--format=%s") == "INC-0002: update (ada)"
    step(repo, "resolve", "INC-0002", "--at", "09:50")
    assert git(repo, "log", "-1", "--format=%s") == "INC-0002: resolved (ada)"
    step(repo, "close", "INC-0002", "--at", "09:55")

    data = incident(repo)
    assert (data["status"], data["acknowledged_at"], data["resolved_at"], data["closed_at"]) \
        == ("closed", "2026-11-22T09:05:00+01:00", "2026-11-22T09:50:00+01:00",
            "2026-11-22T09:55:00+01:00")
    timeline = data["timeline"]
    assert isinstance(timeline, list)
    assert [(e["at"][11:16], e.get("status"), e["public"], e["message"]) for e in timeline] == [
        ("09:05", "investigating", False, "Acknowledged by Ada Lovelace."),
        ("09:20", "identified", True, "A bad deploy of the payment gateway."),
        ("09:35", None, True, "Rolled back; errors are falling."),
        ("09:50", "resolved", True, "This incident has been resolved."),
        ("09:55", "closed", False, "Closed by Ada Lovelace."),
    ]
    assert timeline[2]["services"] == [{"id": "api", "status": "partial_outage"}]
    # Timeline steps never touch the record file: the comment and every byte survive.
    assert (repo / INCIDENT).read_text() == original

    assert run_itsm("new", "problem", "--title", "Gateway deploys break checkout", "--at",
                    "09:58", cwd=repo).code == 0
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "PRB-0001")
    lines = step(repo, "link", "INC-0002", "--problem", "PRB-0001", "--category", "deploy")
    assert lines[1:3] == [f"wrote {INCIDENT}", "wrote records/problems/PRB-0001.yaml"]
    assert git(repo, "log", "-1", "--format=%s") == \
        "INC-0002: linked to PRB-0001, category (ada)"
    # Only the link lines changed; the comment is still there.
    assert (repo / INCIDENT).read_text() == original + "problem: PRB-0001\ncategory: deploy\n"
    assert load_repository(load_config(repo)).get("PRB-0001").data["incidents"] == ["INC-0002"]


def test_a_move_the_lifecycle_refuses_names_the_allowed_moves(repo: Path) -> None:
    result = run_itsm("close", "INC-0002", cwd=repo)
    assert result.code == 1
    assert result.lines == [
        f"{INCIDENT}:13:9: error: INC-0002 is new: it may move to investigating, identified, "
        "monitoring, on_hold, resolved, canceled, not to closed [lifecycle-transition]",
        'nothing was written: close of INC-0002 "Checkout API returns 502" was refused',
    ]
    assert not (repo / UPDATES).exists()
    assert git(repo, "status", "--porcelain") == ""


def test_a_step_that_would_make_the_record_invalid_writes_nothing(repo: Path) -> None:
    result = run_itsm("update", "INC-0002", "-m", "Before it was opened.", "--at", "08:00",
                      "--format", "json", cwd=repo)
    assert result.code == 1
    document = json.loads(result.stdout)
    assert document["summary"]["written"] is False
    assert {finding["rule"] for finding in document["findings"]} == {"time-order"}
    assert not (repo / UPDATES).exists()


@pytest.mark.parametrize(("typed", "written"), [
    ("2026-12-06 04:40", "2026-12-06T04:40:00+01:00"),
    ("04:40", "2026-12-06T04:40:00+01:00"),
    ("-15m", "2026-12-06T09:45:00+01:00"),
    ("2026-12-06T03:40:00Z", "2026-12-06T04:40:00+01:00"),
])
def test_times_as_people_type_them(repo: Path, monkeypatch: pytest.MonkeyPatch, typed: str,
                                   written: str) -> None:
    pin_clock(monkeypatch, parse_timestamp("2026-12-06T10:00:00+01:00"))
    result = run_itsm("update", "INC-0002", "-m", "Still looking.", "--at", typed, cwd=repo)
    assert result.code == 0, result.stderr
    (update,) = (repo / UPDATES).iterdir()
    assert f"at: {written}\n" in update.read_text()


def test_summer_time_is_written_with_its_offset_and_its_gap_refused(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pin_clock(monkeypatch, parse_timestamp("2027-03-28T12:00:00+02:00"))
    gap = run_itsm("ack", "INC-0002", "--at", "2027-03-28 02:30", cwd=repo)
    assert gap.code == 2
    assert "does not exist in Europe/Berlin" in gap.stderr
    assert run_itsm("ack", "INC-0002", "--at", "2027-03-28 03:30", cwd=repo).code == 0
    assert incident(repo)["acknowledged_at"] == "2027-03-28T03:30:00+02:00"


@pytest.mark.parametrize(("args", "message"), [
    (("update", "INC-0009", "-m", "x"), "error: no incident, request, maintenance, problem or "
     "known error with id 'INC-0009': did you mean INC-0002?"),
    (("update", "INC-0002", "--status", "identifed"), "error: --status: 'identifed' is not a "
     "status of an incident: did you mean 'identified'? choose one of new, investigating, "
     "identified, monitoring, on_hold, resolved, closed, canceled"),
    (("ack", "INC-0002", "--author", "adda"), "error: --author: no person with id 'adda': did "
     "you mean 'ada'?"),
    (("update", "INC-0002", "-m", "x", "--service", "web:major_outage"), "error: --service: "
     "'web' is not a service of INC-0002: choose one of api"),
    (("approve", "INC-0002", "--by", "ben"), "error: itsm approve is a step of a service "
     "request, and INC-0002 is an incident"),
])
def test_usage_errors_say_what_to_type(repo: Path, args: tuple[str, ...], message: str) -> None:
    result = run_itsm(*args, cwd=repo)
    assert (result.code, result.stderr.strip()) == (2, message)
    assert not (repo / UPDATES).exists()


def test_commit_takes_only_the_step_s_file(repo: Path) -> None:
    """Staged and unstaged changes of the user stay as they were, out of the commit."""
    staged, unstaged = repo / "records/services/web.yaml", repo / "records/teams/ops.yaml"
    staged.write_text(staged.read_text() + "description: The website.\n")
    git(repo, "add", str(staged))
    unstaged.write_text(unstaged.read_text() + "description: Operations.\n")
    result = run_itsm("ack", "INC-0002", "--commit", cwd=repo)
    assert result.code == 0, result.stderr
    (update,) = (repo / UPDATES).iterdir()
    assert git(repo, "show", "--name-only", "--format=", "HEAD").splitlines() == [
        update.relative_to(repo).as_posix()]
    assert sorted(git(repo, "status", "--porcelain").splitlines()) == [
        " M records/teams/ops.yaml", "M  records/services/web.yaml"]


def test_without_a_known_author_the_output_says_so(repo: Path) -> None:
    git(repo, "config", "user.email", "someone@elsewhere.example")
    result = run_itsm("ack", "INC-0002", cwd=repo)
    assert result.code == 0
    assert result.lines[-1] == ("no author recorded: give --author PERSON, set git's "
                                "user.email to a Person's email, or set ITSM_AUTHOR")
    (update,) = (repo / UPDATES).iterdir()
    assert update.name.startswith("20261122T090000Z-update-")
    assert "author:" not in update.read_text()


def test_base_is_a_revision_to_judge_against(repo: Path) -> None:
    git(repo, "checkout", "--quiet", "-b", "feature")
    assert run_itsm("ack", "INC-0002", "--base", "main", cwd=repo).code == 0
    unknown = run_itsm("resolve", "INC-0002", "--base", "no-such-branch", cwd=repo)
    assert unknown.code == 2
    assert "no commit named 'no-such-branch'" in unknown.stderr
    assert len(list((repo / UPDATES).iterdir())) == 1


def test_outside_git_a_step_needs_no_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    pin_clock(monkeypatch, NOW)
    root = example_repo(tmp_path / "plain")
    result = run_itsm("update", "INC-0001", "-m", "The review is scheduled.", "--author",
                      "ben", cwd=root)
    assert result.code == 0, result.stderr
    assert result.lines[0] == ('INC-0001 "Website returns errors": update (still resolved) at '
                               "2026-11-22 10:00 CET by Ben Okafor (ben)")


def test_a_commit_that_cannot_be_made_takes_the_step_back(repo: Path) -> None:
    git(repo, "checkout", "--quiet", "--detach")
    result = run_itsm("ack", "INC-0002", "--commit", cwd=repo)
    assert (result.code, result.stderr.strip()) == (
        2, "error: --commit commits on the checked-out branch, and HEAD is detached: check "
        "out a branch, or leave out --commit")
    assert not (repo / UPDATES).exists()


def test_commit_refuses_to_take_the_user_s_changes_of_a_file_it_edits(repo: Path) -> None:
    text = (repo / INCIDENT).read_text()
    (repo / INCIDENT).write_text(text + "# a note of mine\n")
    result = run_itsm("link", "INC-0002", "--category", "deploy", "--commit", cwd=repo)
    assert result.code == 2
    assert f"{INCIDENT} has changes that are not committed" in result.stderr
    assert (repo / INCIDENT).read_text() == text + "# a note of mine\n"


def test_a_refused_step_quotes_a_huge_message_in_part(repo: Path) -> None:
    message = "stack trace line\n" * 5000
    result = run_itsm("update", "INC-0002", "-m", message, "--format", "json", cwd=repo)
    assert result.code == 1
    document = json.loads(result.stdout)
    [finding] = document["findings"]
    assert finding["rule"] == "schema"
    assert len(finding["message"]) == 300
    assert finding["message"].endswith("...")
    assert not (repo / INCIDENT.replace(".yaml", ".updates")).exists()
