"""SLA targets in business days as users meet them: `itsm sla check` shows the target as
written and the deadline days later, and `itsm validate` warns about plain days on a
working-time calendar and refuses business days on a 24x7 SLA."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, example_repo, run_itsm

# The base example's office works Monday and Tuesday 09:00-17:00; its SLA `standard` gives
# P2 incidents 3bd to resolve. An incident opened on Tuesday at 15:00 is 6 hours into that
# day: Monday 30 November is one business day on, Tuesday 1 December two, Monday 7
# December three (14:00 to 15:00 of it is the last hour).
INCIDENT = """\
apiVersion: itsm/v1
kind: Incident
id: INC-0002
title: Checkout slow
services:
  - {id: web, status: degraded_performance}
impact: high
urgency: medium
priority: P2
status: investigating
opened_at: 2026-11-24T15:00:00+01:00
acknowledged_at: 2026-11-24T15:30:00+01:00
timeline:
  - at: 2026-11-24T15:00:00+01:00
    status: investigating
    message: Looking into it.
"""
SLA = "records/slas/standard.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = example_repo(tmp_path / "repo")
    (root / "records/incidents/INC-0002.yaml").write_text(INCIDENT, encoding="utf-8")
    return root


def test_sla_check_shows_a_business_day_target_and_its_deadline(repo: Path) -> None:
    result = run_itsm("sla", "check", "--now", "2026-12-01 10:00", cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    assert result.lines[:2] == [
        "STATE   RECORD    SERVICE  SLA       METRIC      PRIORITY  ELAPSED  TARGET  %    WHEN",
        "within  INC-0002  web      standard  resolution  P2        11h      3bd     46%  "
        "due 2026-12-07T15:00:00+01:00"]


def test_the_json_gives_the_working_time_the_days_came_to(repo: Path) -> None:
    result = run_itsm("sla", "check", "--now", "2026-12-01 10:00", "--format", "json",
                      cwd=repo)
    [clock] = [c for c in json.loads(result.stdout)["clocks"]
               if (c["record"], c["metric"]) == ("INC-0002", "resolution")]
    assert (clock["target_seconds"], clock["elapsed_seconds"], clock["due_at"]) == (
        24 * 3600, 11 * 3600, "2026-12-07T15:00:00+01:00")


def test_a_holiday_moves_the_deadline_a_business_day_on(repo: Path) -> None:
    calendar = repo / "records/calendars/office.yaml"
    text = calendar.read_text(encoding="utf-8")
    calendar.write_text(text.replace("holidays: [2026-12-24]",
                                     "holidays: [2026-12-07, 2026-12-24]"), encoding="utf-8")
    result = run_itsm("sla", "check", "--now", "2026-12-01 10:00", cwd=repo)
    assert result.lines[1].endswith("3bd     46%  due 2026-12-08T15:00:00+01:00")


def test_days_on_a_working_time_calendar_are_a_warning(repo: Path) -> None:
    sla = repo / SLA
    sla.write_text(sla.read_text(encoding="utf-8").replace("resolution: 3bd",
                                                           "resolution: 3d"), encoding="utf-8")
    result = run_itsm("validate", cwd=repo)
    assert (result.code, result.lines) == (0, [
        f"{SLA}:10:34: warning: targets.P2.resolution: '3d' counts 72h of working time of "
        "calendar 'office', not 3 working days: write '3bd' for business days, or '72h' to "
        "keep 72h of working time [sla-days]",
        "0 error(s), 1 warning(s) in 1 file(s) (12 records checked)"])


def test_business_days_on_a_24x7_sla_are_an_error(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo", EXAMPLES / "positive" / "always-calendar")
    sla = repo / "records/slas/round-the-clock.yaml"
    sla.write_text(sla.read_text(encoding="utf-8").replace("{response: 5m}",
                                                           "{response: 1bd}"), encoding="utf-8")
    result = run_itsm("validate", cwd=repo)
    assert (result.code, result.lines[0]) == (1, (
        "records/slas/round-the-clock.yaml:8:18: error: targets.P1.response: '1bd' counts "
        "business days, but calendar 'always' has hours: always (24x7, no business days): "
        "give the SLA a calendar with working hours, or write '1d' for whole days around "
        "the clock [sla-target]"))
    checked = run_itsm("sla", "check", "--now", "2026-12-01 10:00", cwd=repo)
    assert checked.code == 1
    assert "'1bd' counts business days" in checked.stdout + checked.stderr
