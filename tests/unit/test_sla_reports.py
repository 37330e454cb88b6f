"""What `itsm sla check` says in each format, on clocks made by hand: the markdown table
stops at MARKDOWN_ROWS and says how many it left out, the JSON keeps one clock a line,
and the annotations are the running clocks that need someone."""

from __future__ import annotations

import json
from dataclasses import replace
from zoneinfo import ZoneInfo

from itsm_as_code.reporters import render
from itsm_as_code.sla.calendar import MICROS_PER_SECOND
from itsm_as_code.sla.check import SlaCheck
from itsm_as_code.sla.check_report import CHECK_OVERRIDES, MARKDOWN_ROWS, clock_report
from itsm_as_code.sla.clocks import Clock
from itsm_as_code.sla.history import instant_of
from tests.helpers import NOW, context

SECOND = MICROS_PER_SECOND
MOMENT = instant_of(NOW)


def met(record: str) -> Clock:
    """A response clock of an hour, stopped after a minute, an hour before NOW."""
    started = MOMENT - 3600 * SECOND
    return Clock(record, "Incident", f"records/incidents/{record}.yaml", "web", "gold",
                 "response", "P3", 3600, 60 * SECOND, started, started + 60 * SECOND, False,
                 "met", None, None)


def check(*clocks: Clock) -> SlaCheck:
    return SlaCheck(MOMENT, ZoneInfo("Europe/Berlin"), list(clocks))


def test_markdown_shows_the_first_rows_then_how_many_it_left_out() -> None:
    clocks = [met(f"INC-{n:04d}") for n in range(MARKDOWN_ROWS + 2)]
    report = clock_report(check(*clocks), "breached", context().model)
    lines = render(report, "markdown", CHECK_OVERRIDES).split("\n")
    rows = [line for line in lines if line.startswith("| \u2705 | met | INC-")]
    assert len(rows) == MARKDOWN_ROWS
    assert rows[-1].startswith(f"| \u2705 | met | INC-{MARKDOWN_ROWS - 1:04d} |")
    assert lines[-4:] == [
        rows[-1], "", "... and 2 more stopped or running clocks: `itsm sla check --format "
        "json` lists every one.", ""]


def test_text_shows_every_row_and_the_moment_in_the_summary() -> None:
    report = clock_report(check(met("INC-0001")), "breached", context().model)
    assert render(report, "text", CHECK_OVERRIDES).splitlines() == [
        "STATE  RECORD    SERVICE  SLA   METRIC    PRIORITY  ELAPSED  TARGET  %   WHEN",
        "met    INC-0001  web      gold  response  P3        1m       1h      2%  stopped "
        "2026-11-22T09:01:00+01:00",
        "1 clock(s), 0 running: 1 met (as of 2026-11-22T10:00:00+01:00)"]


def test_json_has_one_clock_a_line() -> None:
    report = clock_report(check(met("INC-0001")), "never", context().model)
    assert render(report, "json", CHECK_OVERRIDES) == (
        '{"now": "2026-11-22T10:00:00+01:00",\n"clocks": [\n'
        '{"record": "INC-0001", "kind": "Incident", "path": "records/incidents/INC-0001.yaml", '
        '"service": "web", "sla": "gold", "metric": "response", "priority": "P3", '
        '"target_seconds": 3600, "elapsed_seconds": 60, "percent": 1.7, "state": "met", '
        '"running": false, "paused": false, "started_at": "2026-11-22T09:00:00+01:00", '
        '"stopped_at": "2026-11-22T09:01:00+01:00", "due_at": null, "breached_at": null, '
        '"escalation": null}\n'
        '],\n"findings": [], "summary": {"clocks": 1, "running": 0, "states": {"breached": 0, '
        '"at_risk": 0, "paused": 0, "within": 0, "met": 1}, "fail_on": "never", '
        '"failing": 0, "findings": 0, "passed": true}}\n')


def test_json_lines_escape_text_as_json_does() -> None:
    odd = replace(met("INC-0001"), record='INC-"\\\u00e4\u2028\x01\n', service="</script>\u00df",
                  state="breached", breached_at=MOMENT - 3599 * SECOND, counted=7 * SECOND)
    report = clock_report(check(odd), "never", context().model)
    line = render(report, "json", CHECK_OVERRIDES).split("\n")[2]
    assert line == json.dumps({
        "record": odd.record, "kind": "Incident", "path": "records/incidents/INC-0001.yaml",
        "service": odd.service, "sla": "gold", "metric": "response", "priority": "P3",
        "target_seconds": 3600, "elapsed_seconds": 7, "percent": 0.2, "state": "breached",
        "running": False, "paused": False, "started_at": "2026-11-22T09:00:00+01:00",
        "stopped_at": "2026-11-22T09:01:00+01:00", "due_at": None,
        "breached_at": "2026-11-22T09:00:01+01:00", "escalation": None}, ensure_ascii=False)
    assert json.loads(line)["record"] == 'INC-"\\\u00e4\u2028\x01\n'


def test_json_of_no_clocks() -> None:
    report = clock_report(check(), "breached", context().model)
    assert render(report, "json", CHECK_OVERRIDES) == (
        '{"now": "2026-11-22T10:00:00+01:00",\n"clocks": [],\n"findings": [], "summary": '
        '{"clocks": 0, "running": 0, "states": {"breached": 0, "at_risk": 0, "paused": 0, '
        '"within": 0, "met": 0}, "fail_on": "breached", "failing": 0, "findings": 0, '
        '"passed": true}}\n')
