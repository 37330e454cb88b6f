"""`itsm ops`: a backup routine checking in nightly (commits on itsm/ops in a real
repository) stays green; when its check-ins stop it is missed after the grace period, one
incident is opened through the event path, and the next good check-in resolves it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from itsm_as_code.git.commit import Branch, Identity
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import BASE, Result, run_itsm, write
from tests.history_repos import git, published

ROUTINE = {"apiVersion": "itsm/v1", "kind": "Routine", "id": "backup",
           "name": "Nightly backup", "service": "web", "team": "ops",
           "schedule": {"cron": "0 2 * * *"}, "timezone": "Europe/Berlin", "grace": "1h",
           "since": "2026-11-18T00:00:00+01:00",
           "evidence": {"size": {"type": "bytes", "min_ratio_of_previous": 0.5}},
           "runbook": "https://wiki.example/backup"}
MISSED = ("records/routines/backup.yaml:7:1: error: Nightly backup (backup): the run due "
          "2026-11-22 02:00 CET did not report within its grace of 1h; last good run "
          "2026-11-21 02:10 CET; runbook: https://wiki.example/backup [routine-missed]")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example records with a nightly backup routine, committed and pushed."""
    monkeypatch.setenv("ITSM_BOT_NAME", "itsm bot")
    monkeypatch.setenv("ITSM_BOT_EMAIL", "bot@example.com")
    files = tmp_path / "files"
    shutil.copytree(BASE, files)
    write(files, ROUTINE)
    return published(tmp_path / "git", files)[1]


def checkin(repo: Path, at: str, *args: str) -> Result:
    return run_itsm("ops", "checkin", "backup", "--status", "ok", "--at", at, "--now", at,
                    *args, cwd=repo)


def check(repo: Path, now: str, *args: str) -> Result:
    return run_itsm("ops", "check", "--now", now, *args, cwd=repo)


def incidents_carrying(repo: Path) -> list[Path]:
    return [path for path in (repo / "records/incidents").rglob("INC-*.yaml")
            if "routine/backup" in path.read_text()]


def test_missed_runs_open_one_incident_which_the_next_good_run_resolves(repo: Path) -> None:
    for day in (18, 19, 20, 21):
        done = checkin(repo, f"2026-11-{day}T02:10:00+01:00", "--evidence", "size=1MiB",
                       "--commit")
        assert done.code == 0, done.stderr
    assert done.lines[0].startswith("backup: ok at 2026-11-21T02:10:00+01:00; committed ")
    assert done.lines[0].endswith(" to itsm/ops")
    assert git(repo, "rev-list", "--count", "itsm/ops") == "4"
    assert git(repo, "status", "--porcelain") == ""  # nothing in the work tree, index, HEAD

    green = check(repo, "2026-11-22T02:30:00+01:00")
    assert green.code == 0
    assert green.lines[-1] == ("1 routine(s): 0 failing (0 missed, 0 failed), 1 ok, 0 new "
                               "(as of 2026-11-22 02:30 CET)")

    missed = check(repo, "2026-11-22T03:30:00+01:00", "--open-incidents")
    assert missed.code == 1
    assert missed.lines[0] == MISSED
    assert missed.lines[-1] == "incidents: 1 alert(s): 1 opened; wrote 1 file(s)"
    (opened,) = incidents_carrying(repo)
    record = yaml.safe_load(opened.read_text())
    assert (record["id"], record["status"], record["opened_at"]) == (
        "INC-0002", "investigating", parse_timestamp("2026-11-22T03:30:00+01:00"))
    assert record["title"] == "Nightly backup missed a run"
    assert record["services"] == [{"id": "web", "status": "operational"}]

    again = check(repo, "2026-11-22T04:00:00+01:00", "--open-incidents")
    assert again.code == 1
    assert again.lines[-1] == "incidents: 1 alert(s): 1 duplicate; nothing to change"
    assert incidents_carrying(repo) == [opened]

    late = checkin(repo, "2026-11-22T04:10:00+01:00", "--evidence", "size=1MiB", "--commit")
    assert late.code == 0
    good = check(repo, "2026-11-22T04:15:00+01:00", "--open-incidents", "--format", "json")
    assert good.code == 0
    data = json.loads(good.stdout)
    (routine,) = data["routines"]
    assert (routine["state"], routine["last_good"], routine["missed"]) == (
        "ok", "2026-11-22T04:10:00+01:00", 1)
    assert data["incidents"]["counts"]["resolved"] == 1
    (update,) = opened.with_suffix(".updates").iterdir()
    assert yaml.safe_load(update.read_text())["status"] == "resolved"
    assert run_itsm("validate", "--now", "2026-11-22T04:15:00+01:00", cwd=repo).code == 0

    report = run_itsm("report", "--now", "2026-11-22T04:15:00+01:00", "--since",
                      "2026-11-18", "--format", "json", cwd=repo)
    rows = {row["name"]: row for row in json.loads(report.stdout)["routines"]}
    assert {key: rows["Nightly backup"][key] for key in (
        "runs_due", "runs_ok", "missed_runs", "detected", "mttd_seconds")} == {
        "runs_due": 5, "runs_ok": 4, "missed_runs": 1, "detected": 1, "mttd_seconds": 1800}


def test_a_run_that_broke_its_evidence_rule_fails(repo: Path) -> None:
    checkin(repo, "2026-11-18T02:10:00+01:00", "--evidence", "size=100MB")
    checkin(repo, "2026-11-19T02:10:00+01:00", "--evidence", "size=40MB")
    result = check(repo, "2026-11-19T10:00:00+01:00")
    assert result.code == 1
    assert result.lines[0] == (
        "records/routines/backup.yaml:7:1: error: Nightly backup (backup): the run due "
        "2026-11-19 02:00 CET reported ok at 2026-11-19 02:10 CET, but size 38.1 MiB is 40% "
        "of the previous run's 95.4 MiB (at least 50%); last good run 2026-11-18 02:10 CET; "
        "runbook: https://wiki.example/backup [routine-failed]")
    assert len(list((repo / "ops/checkins/backup/2026-11").iterdir())) == 2


@pytest.mark.parametrize(("args", "message"), [
    (("nightly",), "error: no Routine with id 'nightly' (routines: backup)"),
    (("backup", "--evidence", "rows=3"),
     "error: --evidence 'rows' is not evidence of backup (its keys: size)"),
    (("backup", "--evidence", "size=big"),
     "error: --evidence size='big' is not a size in bytes (such as 2048, 700MB or 1.5GiB)"),
    (("backup", "--at", "2026-11-23T02:00:00+01:00"),
     "error: --at 2026-11-23T02:00:00+01:00 is later than now: a run reports when it has "
     "happened"),
])
def test_a_checkin_that_does_not_fit_its_routine_records_nothing(
        repo: Path, args: tuple[str, ...], message: str) -> None:
    result = run_itsm("ops", "checkin", *args, "--status", "ok", "--commit", "--now",
                      "2026-11-22T10:00:00+01:00", cwd=repo)
    assert (result.code, result.stderr) == (2, message + "\n")
    assert git(repo, "branch", "--list", "itsm/ops") == ""


def test_files_on_the_branch_that_are_no_checkins_are_warnings(repo: Path) -> None:
    branch = Branch(repo, "itsm/ops", own_tree=True)
    branch.commit({"ops/checkins/backup/2026-11/a.yaml": "routine: backup\nstatus: maybe\n",
                   "ops/checkins/backup/2026-11/b.yaml": "[unclosed\n",
                   "ops/checkins/backup/2026-11/c.yaml": "routine: other\nstatus: ok\n"
                                                         "at: 2026-11-18T02:10:00Z\n"},
                  "hostile", Identity("x", "x@example.com"),
                  parse_timestamp("2026-11-22T10:00:00+01:00"))
    result = check(repo, "2026-11-18T02:30:00+01:00", "--format", "json")
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["level"], f["message"].split(":")[0]) for f in found] == [
        ("itsm/ops:ops/checkins/backup/2026-11/a.yaml", "warning", "not a check-in"),
        ("itsm/ops:ops/checkins/backup/2026-11/b.yaml", "warning", "not read"),
        ("itsm/ops:ops/checkins/backup/2026-11/c.yaml", "warning", "not a check-in")]
    assert result.code == 0


def test_validate_reports_a_schedule_that_does_not_read(repo: Path) -> None:
    write(repo, {**ROUTINE, "schedule": {"cron": "61 2 * * *"}})
    result = run_itsm("validate", cwd=repo)
    assert result.code == 1
    assert result.lines[0] == ("records/routines/backup.yaml:8:9: error: cron minute '61' is "
                               "not a number from 0 to 59 [routine-schedule]")


def test_the_internal_site_has_the_operations_page(repo: Path, tmp_path: Path) -> None:
    checkin(repo, "2026-11-21T02:10:00+01:00", "--evidence", "size=1MiB")
    out = tmp_path / "site"
    built = run_itsm("site", "build", "--internal", "-o", str(out), "--now",
                     "2026-11-22T10:00:00+01:00", cwd=repo)
    assert built.code == 0, built.stderr
    page = (out / "sections/operations.html").read_text()
    assert "Nightly backup" in page and "Website" in page  # names, not ids
    assert '<li class="d s-major_outage" tabindex="0"><span class="tip">22 Nov 2026: 02:00 ' \
           'missed</span></li>' in page
    assert '<span class="tip">21 Nov 2026: 02:00 ok</span>' in page
    public = tmp_path / "public"
    assert run_itsm("site", "build", "-o", str(public), "--now", "2026-11-22T10:00:00+01:00",
                    cwd=repo).code == 0
    assert not (public / "sections").exists()


def test_itsm_new_routine_writes_a_routine_that_validates(repo: Path) -> None:
    result = run_itsm("new", "routine", "restore-test", "--name", "Restore test", "--service",
                      "web", "--rrule", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=3", "--grace", "4h",
                      "--evidence", "rows=number", cwd=repo)
    assert (result.code, result.stdout) == (
        0, "created restore-test: records/routines/restore-test.yaml\n")
    written = yaml.safe_load((repo / "records/routines/restore-test.yaml").read_text())
    assert {key: written[key] for key in ("team", "timezone", "schedule", "evidence")} == {
        "team": "ops", "timezone": "Europe/Berlin",
        "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=SU;BYHOUR=3"},
        "evidence": {"rows": {"type": "number"}}}
    refused = run_itsm("new", "routine", "bad", "--name", "Bad", "--service", "web", "--cron",
                       "0 25 * * *", cwd=repo)
    assert refused.code == 1
    assert "cron hour '25' is not a number from 0 to 23 [routine-schedule]" in refused.stderr
    assert not (repo / "records/routines/bad.yaml").exists()


def test_the_report_has_the_routines_in_every_format(repo: Path) -> None:
    checkin(repo, "2026-11-18T02:10:00+01:00", "--evidence", "size=1MiB")
    args = ("report", "--now", "2026-11-19T10:00:00+01:00", "--since", "2026-11-18")
    text = run_itsm(*args, cwd=repo).stdout
    assert "  Nightly backup  2         50.0% (1)  1       0       -" in text
    assert "routine_mttd" in text
    markdown = run_itsm(*args, "--format", "markdown", cwd=repo).stdout
    assert "| Nightly backup | 2 | 50.0% (1) | 1 | 0 | - |" in markdown
    html = run_itsm(*args, "--format", "html", cwd=repo).stdout
    assert "<h2>Routines</h2>" in html and "<td>Nightly backup</td>" in html


def test_the_ops_branch_is_a_setting_every_reader_follows(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         ) -> None:
    monkeypatch.setenv("ITSM_BOT_NAME", "itsm bot")
    monkeypatch.setenv("ITSM_BOT_EMAIL", "bot@example.com")
    files = tmp_path / "files"
    shutil.copytree(BASE, files)
    write(files, ROUTINE)
    settings = files / "itsm.yaml"
    settings.write_text(settings.read_text() + "operations:\n  branch: ops/runs\n")
    repo = published(tmp_path / "git", files)[1]
    for day in (18, 19, 20, 21):
        assert checkin(repo, f"2026-11-{day}T02:10:00+01:00", "--evidence", "size=1MiB",
                       "--commit").lines[0].endswith(" to ops/runs")
    assert git(repo, "rev-list", "--count", "ops/runs") == "4"
    assert git(repo, "branch", "--list", "itsm/ops") == ""
    # ops check, the report and the operations page read the check-ins from ops/runs.
    assert check(repo, "2026-11-22T02:30:00+01:00").code == 0
    report = run_itsm("report", "--now", "2026-11-22T02:30:00+01:00", "--since",
                      "2026-11-18", "--format", "json", cwd=repo)
    rows = {row["name"]: row for row in json.loads(report.stdout)["routines"]}
    assert (rows["Nightly backup"]["runs_due"], rows["Nightly backup"]["runs_ok"]) == (4, 4)
    out = tmp_path / "site"
    assert run_itsm("site", "build", "--internal", "-o", str(out), "--now",
                    "2026-11-22T02:30:00+01:00", cwd=repo).code == 0
    assert '<span class="tip">21 Nov 2026: 02:00 ok</span>' in \
        (out / "sections/operations.html").read_text()
    # --branch overrides the setting for one command.
    assert check(repo, "2026-11-22T02:30:00+01:00", "--branch", "itsm/ops").code == 1


def test_itsm_ops_branch_prints_the_setting(repo: Path) -> None:
    assert run_itsm("ops", "branch", cwd=repo).stdout == "itsm/ops\n"
    settings = repo / "itsm.yaml"
    settings.write_text(settings.read_text() + "operations:\n  branch: ops/runs\n")
    assert run_itsm("ops", "branch", cwd=repo).stdout == "ops/runs\n"
    settings.write_text(settings.read_text().replace("ops/runs", "'-f'"))
    refused = run_itsm("ops", "branch", cwd=repo)
    assert refused.code == 2
    assert "itsm.yaml:" in refused.stderr
    assert "operations.branch: '-f' is not valid: expected the branch routines' check-ins " \
        "are committed to" in refused.stderr
