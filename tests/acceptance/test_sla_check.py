"""`itsm sla check` and the SLA step of `itsm run`, as users and CI meet them: exit codes
for each --fail-on level, the JSON shape, the markdown table, GitHub annotations, and the
README's example kept true against the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import DEMO, EXAMPLES, NOW_TEXT, example_repo, run_itsm

README = (DEMO / "README.md").read_text(encoding="utf-8")
CLOCK_KEYS = {"record", "kind", "path", "service", "sla", "metric", "priority",
              "target_seconds", "elapsed_seconds", "percent", "state", "running", "paused",
              "started_at", "stopped_at", "due_at", "breached_at", "escalation"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return example_repo(tmp_path / "repo")


def test_the_demo_shows_every_state_and_exits_0() -> None:
    result = run_itsm("sla", "check", "--now", NOW_TEXT, "--format", "json", cwd=DEMO)
    assert result.code == 0, result.stdout + result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {"now", "clocks", "findings", "summary"}
    assert document["now"] == NOW_TEXT
    assert all(set(clock) == CLOCK_KEYS for clock in document["clocks"])
    states = {(c["state"], c["running"]) for c in document["clocks"]}
    assert {("met", False), ("breached", False), ("at_risk", True), ("paused", True),
            ("within", True)} <= states
    assert document["summary"]["states"] == {"breached": 1, "at_risk": 2, "paused": 1,
                                             "within": 5, "met": 62}
    paused = next(c for c in document["clocks"] if c["state"] == "paused")
    assert (paused["record"], paused["due_at"], paused["paused"]) == ("INC-0024", None, True)


def test_the_readme_example_is_the_demos_real_output() -> None:
    result = run_itsm("sla", "check", "--now", NOW_TEXT, cwd=DEMO)
    lines = result.lines
    example = "\n".join([f"$ itsm sla check --now {NOW_TEXT}", *lines[:9], "...",
                         lines[-1]])
    assert example in README


@pytest.mark.parametrize(("now", "fail_on", "code"), [
    (NOW_TEXT, "breached", 0),
    (NOW_TEXT, "at-risk", 1),  # INC-0023 and REQ-0002 are at risk
    ("2026-11-22T14:20:00+01:00", "breached", 0),  # INC-0023 exactly at its target
    ("2026-11-22T14:20:01+01:00", "breached", 1),  # ... and one second past
    ("2026-11-22T14:20:01+01:00", "never", 0),
])
def test_exit_codes_follow_fail_on(now: str, fail_on: str, code: int) -> None:
    result = run_itsm("sla", "check", "--now", now, "--fail-on", fail_on, cwd=DEMO)
    assert result.code == code, result.stdout


def test_text_lists_running_clocks_first_with_their_deadlines() -> None:
    result = run_itsm("sla", "check", "--now", "2026-11-22T14:20:01+01:00", "--running",
                      cwd=DEMO)
    assert result.code == 1
    assert result.lines[1].split() == [
        "breached", "INC-0023", "webhooks", "gold", "resolution", "P3", "3d", "1s", "3d",
        "100%", "overdue", "since", "2026-11-22T14:20:00+01:00", "3", "at", "100%:", "Anna",
        "Keller,", "Lukas", "Brandt"]
    assert result.lines[-1] == ("8 clock(s), 8 running: 1 breached, 1 at risk, 1 paused, "
                                "5 within; 1 running clock(s) at --fail-on breached "
                                "(as of 2026-11-22T14:20:01+01:00)")


def test_markdown_puts_breached_and_at_risk_first() -> None:
    result = run_itsm("sla", "check", "--now", NOW_TEXT, "--format", "markdown", cwd=DEMO)
    lines = result.lines
    assert lines[:10] == [
        "### itsm sla check", "",
        "71 clock(s), 8 running: 1 breached, 2 at risk, 1 paused, 5 within, 62 met "
        "(as of 2026-11-22T10:00:00+01:00)", "",
        "|  | State | Record | Service | SLA | Metric | Priority | Elapsed | Target | % | When "
        "| Escalation |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        "| \u26a0\ufe0f | at risk | INC-0023 | webhooks | gold | resolution | P3 | 2d 19h 40m "
        "| 3d | 94% | due 2026-11-22T14:20:00+01:00 | 2 at 75%: Anna Keller |",
        "| \u26a0\ufe0f | at risk | REQ-0002 | edge-gateway | gold | resolution | P4 "
        "| 3d 18h 40m | 5d | 76% | due 2026-11-23T15:20:00+01:00 | 2 at 75%: Lukas Brandt |",
        "| \u274c | breached | INC-0026 | merchant-dashboard | gold | response | P3 | 9h 15m "
        "| 4h | 231% | stopped 2026-11-22T08:55:00+01:00 |  |",
        "| \u23f8\ufe0f | paused | INC-0024 | sepa-transfers | gold | resolution | P3 | 1h 45m "
        "| 3d | 2% | paused |  |",
    ]
    assert len(lines) == 77 and lines[-1].startswith("| \u2705 | met | ")


def test_github_annotates_the_records_of_clocks_that_need_someone() -> None:
    result = run_itsm("sla", "check", "--now", NOW_TEXT, "--format", "github", cwd=DEMO)
    assert result.lines == [
        "::warning file=records/incidents/2026/11/INC-0023.yaml,line=14,col=12,title=sla::"
        "resolution clock of SLA gold (P3) for webhooks: 2d 19h 40m of 3d, at risk, due "
        "2026-11-22T14:20:00+01:00",
        "::warning file=records/requests/REQ-0002.yaml,line=16,col=12,title=sla::resolution "
        "clock of SLA gold (P4) for edge-gateway: 3d 18h 40m of 5d, at risk, due "
        "2026-11-23T15:20:00+01:00",
        "71 clock(s), 8 running: 1 breached, 2 at risk, 1 paused, 5 within, 62 met "
        "(as of 2026-11-22T10:00:00+01:00)",
    ]


def test_business_hours_in_the_base_example(repo: Path) -> None:
    result = run_itsm("sla", "check", "--now", NOW_TEXT, "--format", "json", cwd=repo)
    clocks = json.loads(result.stdout)["clocks"]
    assert [(c["metric"], c["elapsed_seconds"], c["state"]) for c in clocks] == [
        ("response", 360, "met"), ("resolution", 2880, "met")]


def test_a_broken_calendar_is_reported_and_fails(repo: Path) -> None:
    broken = example_repo(repo.parent / "broken",
                          EXAMPLES / "negative" / "calendar-overlapping-ranges")
    result = run_itsm("sla", "check", "--now", NOW_TEXT, cwd=broken)
    assert result.code == 1
    assert result.lines[-3:] == [
        "records/calendars/office.yaml:6:24: error: hours.mon[1]: '12:00-17:00' overlaps "
        "'09:00-13:00' on mon: ranges of one day must not overlap [calendar]",
        "records/slas/standard.yaml:6:11: error: calendar 'office' is missing or invalid: "
        "this SLA's clocks are left out until it is fixed [sla]",
        "0 clock(s), 0 running: none (as of 2026-11-22T10:00:00+01:00)",
    ]
    assert run_itsm("sla", "check", "--now", NOW_TEXT, "--fail-on", "never",
                    cwd=broken).code == 0


@pytest.mark.parametrize("now", ["2026-03-29 02:30", "yesterday", "0001-01-01T00:00:00Z"])
def test_a_bad_now_is_a_usage_error(now: str, repo: Path) -> None:
    result = run_itsm("sla", "check", "--now", now, cwd=repo)
    assert result.code == 2
    assert "Traceback" not in result.stdout + result.stderr


def test_a_now_as_people_type_it_is_read_in_the_repositorys_time_zone() -> None:
    typed = run_itsm("sla", "check", "--now", "2026-11-22 10:00", cwd=DEMO)
    assert typed.stdout.encode() == run_itsm("sla", "check", "--now", NOW_TEXT,
                                             cwd=DEMO).stdout.encode()
    assert typed.stdout.endswith("(as of 2026-11-22T10:00:00+01:00)\n")


def test_a_skipped_local_now_is_refused_with_a_time_that_exists(repo: Path) -> None:
    result = run_itsm("sla", "check", "--now", "2026-03-29 02:30", cwd=repo)
    assert result.code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--now': '2026-03-29 02:30' does not exist in "
        "Europe/Berlin: the clocks go forward there (from +01:00 to +02:00); give a time "
        "outside the gap or an offset, such as 2026-03-29T03:30:00+02:00")


def test_run_has_an_sla_step_that_fails_on_breaches() -> None:
    passing = run_itsm("run", "--now", NOW_TEXT, cwd=DEMO)
    assert "sla: ok: 71 clock(s), 8 running:" in passing.stderr, passing.stderr
    failing = run_itsm("run", "--now", "2026-11-23T10:00:00+01:00", "--format", "github",
                       cwd=DEMO)
    assert failing.code == 1
    assert "sla: FAILED: 71 clock(s), 8 running: 2 breached, 1 at risk," in failing.stderr
    assert "sla" in failing.lines[-1].split("failed: ")[1].split(", ")
    assert any(line.startswith("::error file=records/incidents/2026/11/INC-0023.yaml,")
               for line in failing.lines)
