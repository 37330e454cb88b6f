"""`itsm sla check --ledger BRANCH [--commit]`: a standing breach fails one run, the one
that first sees it; the ledger lives on a branch of a real repository, committed without
a checkout, and two runs racing on it both land."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.git.commit import Branch
from tests.helpers import BASE, incident, run_itsm, write
from tests.history_repos import git, published

LEDGER = ("--ledger", "itsm/state")
OPENED = "2026-11-23T09:00:00+01:00"  # a Monday; the office calendar opens at 09:00
SECOND = "2026-11-23T10:00:00+01:00"
ANNOTATION = ("records/incidents/{id}.yaml,line=12,col=12,title=sla::response clock of SLA "
              "standard (P2) for web: {elapsed} of 1h, breached since {since}")


def p2(record_id: str, opened: str, **fields: Any) -> dict[str, Any]:
    return incident(record_id, priority="P2", impact="high", urgency="medium",
                    opened_at=opened, timeline=[{"at": opened, "status": "investigating",
                                                 "message": "Looking into it."}], **fields)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example records with INC-0002 open since Monday 09:00 (P2: respond within an
    hour), committed and pushed; the bot that commits the ledger named."""
    monkeypatch.setenv("ITSM_BOT_NAME", "itsm bot")
    monkeypatch.setenv("ITSM_BOT_EMAIL", "bot@example.com")
    files = tmp_path / "files"
    files.mkdir()
    for source in BASE.rglob("*"):
        if source.is_file():
            (files / source.relative_to(BASE)).parent.mkdir(parents=True, exist_ok=True)
            (files / source.relative_to(BASE)).write_bytes(source.read_bytes())
    write(files, p2("INC-0002", OPENED))
    _, clone = published(tmp_path / "git", files)
    return clone


def check(repo: Path, now: str, *args: str) -> Any:
    return run_itsm("sla", "check", "--now", now, "--format", "github", *args, cwd=repo)


def ledger(repo: Path) -> Any:
    return json.loads(git(repo, "show", "itsm/state:sla/reported.json"))


def entry(record: str, breached: str, reported: str) -> dict[str, str]:
    return {"record": record, "service": "web", "sla": "standard", "metric": "response",
            "breached_at": breached, "reported_at": reported}


def test_a_breach_fails_once_then_is_a_notice_until_it_ends(repo: Path) -> None:
    first = check(repo, "2026-11-23T10:30:00+01:00", *LEDGER, "--commit")
    assert first.code == 1
    annotation = ANNOTATION.format(id="INC-0002", elapsed="1h 30m", since=SECOND)
    assert first.lines[0] == f"::error file={annotation}"
    oid = git(repo, "rev-parse", "--short=7", "itsm/state")
    assert first.lines[-1] == ("ledger itsm/state:sla/reported.json: 1 new breach(es), 0 "
                               f"reported before, 0 ended; committed {oid} to itsm/state")
    assert ledger(repo) == {"version": 1, "reported": [
        entry("INC-0002", SECOND, "2026-11-23T10:30:00+01:00")]}
    # The ledger branch holds the ledger alone; the work tree and HEAD are untouched.
    assert git(repo, "ls-tree", "-r", "--name-only", "itsm/state") == "sla/reported.json"
    assert git(repo, "rev-list", "--count", "itsm/state") == "1"
    assert (git(repo, "status", "--porcelain"), git(repo, "branch", "--show-current")) == (
        "", "main")

    again = check(repo, "2026-11-23T11:00:00+01:00", *LEDGER, "--commit")
    assert again.code == 0
    annotation = ANNOTATION.format(id="INC-0002", elapsed="2h", since=SECOND)
    assert again.lines[0] == (f"::notice file={annotation} (reported before, so it fails no "
                              "run again)")
    assert again.lines[-1] == ("ledger itsm/state:sla/reported.json: 0 new breach(es), 1 "
                               "reported before, 0 ended; unchanged")
    assert git(repo, "rev-list", "--count", "itsm/state") == "1"

    write(repo, p2("INC-0003", SECOND))
    third = check(repo, "2026-11-23T11:30:00+01:00", *LEDGER, "--commit")
    assert third.code == 1
    assert [line.split(" file=records/incidents/")[0] + line.split(".yaml")[0][-8:]
            for line in third.lines[:2]] == ["::noticeINC-0002", "::errorINC-0003"]

    write(repo, p2("INC-0002", OPENED, acknowledged_at="2026-11-23T11:40:00+01:00"))
    ended = check(repo, "2026-11-23T12:00:00+01:00", *LEDGER, "--commit")
    assert ended.code == 0
    assert ended.lines[-1].startswith("ledger itsm/state:sla/reported.json: 0 new breach(es), "
                                      "1 reported before, 1 ended; committed ")
    assert ledger(repo)["reported"] == [entry("INC-0003", "2026-11-23T11:00:00+01:00",
                                              "2026-11-23T11:30:00+01:00")]


def test_without_commit_the_ledger_is_read_not_written(repo: Path) -> None:
    result = check(repo, "2026-11-23T10:30:00+01:00", *LEDGER)
    assert result.code == 1
    assert result.lines[-1] == ("ledger itsm/state:sla/reported.json: 1 new breach(es), 0 "
                                "reported before, 0 ended; not committed (--commit records "
                                "them)")
    assert git(repo, "branch", "--list", "itsm/state") == ""


def test_a_check_without_the_ledger_fails_every_run(repo: Path) -> None:
    check(repo, "2026-11-23T10:30:00+01:00", *LEDGER, "--commit")
    assert check(repo, "2026-11-23T11:00:00+01:00").code == 1


def test_two_runs_racing_on_the_ledger_both_land(repo: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Another run, on another commit (a push made meanwhile): INC-0002 acknowledged in
    # time, INC-0003 breached.
    other = repo.parent / "other"
    git(repo, "worktree", "add", "--quiet", "-b", "other", str(other))
    write(other, p2("INC-0002", OPENED, acknowledged_at="2026-11-23T09:30:00+01:00"),
          p2("INC-0003", SECOND))
    git(other, "add", "--all")
    git(other, "commit", "--quiet", "-m", "Acknowledge INC-0002, open INC-0003")
    real = Branch.commit
    landed: list[Any] = []
    raced: list[bool] = []

    def racing(self: Branch, *args: Any, **kwargs: Any) -> str:
        if not raced:  # the other run lands between this one's read and its write
            raced.append(True)  # before it runs: its own commit must not race again
            landed.append(check(other, "2026-11-23T11:31:00+01:00", *LEDGER, "--commit"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Branch, "commit", racing)
    result = check(repo, "2026-11-23T11:30:00+01:00", *LEDGER, "--commit")
    assert (landed[0].code, result.code) == (1, 1), landed[0].stdout + landed[0].stderr
    assert result.lines[-1].endswith(" to itsm/state after 1 retry(ies)")
    assert git(repo, "rev-list", "--count", "itsm/state") == "2"
    assert [item["record"] for item in ledger(repo)["reported"]] == ["INC-0002", "INC-0003"]


def test_a_broken_ledger_is_named(repo: Path) -> None:
    git(repo, "switch", "--quiet", "--orphan", "itsm/state")
    (repo / "sla").mkdir()
    (repo / "sla/reported.json").write_text('{"version": 1, "reported": [{}]}')
    git(repo, "add", "sla/reported.json")
    git(repo, "commit", "--quiet", "-m", "A broken ledger")
    git(repo, "switch", "--quiet", "main")
    result = check(repo, "2026-11-23T10:30:00+01:00", *LEDGER)
    assert (result.code, result.stderr) == (2, (
        "error: --ledger: itsm/state:sla/reported.json cannot be read ('record'): fix the file "
        "on the branch, or delete it to report every standing breach once more\n"))


def test_commit_needs_a_ledger(repo: Path) -> None:
    result = check(repo, "2026-11-23T10:30:00+01:00", "--commit")
    assert (result.code, result.stderr) == (
        2, "error: --commit records the breaches in a ledger: give --ledger BRANCH too\n")
