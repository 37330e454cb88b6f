"""What `itsm sla check` says: the clocks as a table, the summary, the annotations, and
the JSON with one clock a line.

Running clocks come first, the most urgent state first; then the stopped ones. The table
and the annotations are made only when a format shows them, so the JSON of a large
repository pays for neither.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from json.encoder import encode_basestring as _text  # the C one when built

from itsm_as_code.findings import Finding, Summary
from itsm_as_code.model.model import Model
from itsm_as_code.reporters import JsonReporter, Later, Report, Reporter, Row, Table
from itsm_as_code.sla.check import SlaCheck, breach_key, clock_findings
from itsm_as_code.sla.clocks import Clock
from itsm_as_code.sla.escalation import Reached
from itsm_as_code.sla.history import instant_of, show
from itsm_as_code.timefmt import format_duration as duration

TITLE = "itsm sla check"
MARKDOWN_ROWS = 500  # a job summary holds 1 MiB; the JSON output has every clock
MARKS = {"breached": "\u274c", "at_risk": "\u26a0\ufe0f", "paused": "\u23f8\ufe0f",
         "within": "\u23f3", "met": "\u2705"}
COLUMNS = ("State", "Record", "Service", "SLA", "Metric", "Priority", "Elapsed", "Target",
           "%", "When")
ESCALATION = "Escalation"
LEFT_OUT = ("... and {count} more stopped or running clocks: `itsm sla check --format json` "
            "lists every one.")
_ENCODER = json.JSONEncoder(ensure_ascii=False)  # made once: json.dumps makes one a call
_TRUTH = {True: "true", False: "false"}


@dataclass(frozen=True, kw_only=True)
class ClockReport(Report):
    """The check's report, with the check itself for the JSON of one clock a line."""

    check: SlaCheck


def clock_report(result: SlaCheck, fail_on: str, model: Model,
                 relocate: Callable[[list[Finding]], list[Finding]] = list) -> ClockReport:
    """The clocks for people, the broken calendars and SLAs as findings, and as GitHub
    annotations also the running clocks that need someone (breached, then at risk).
    `relocate` gives the findings' paths as shown (the command line: from the current
    folder)."""
    summary = result.summary(fail_on)
    moment = show(result.now, result.zone)
    # The escalation column only where a listed clock has reached a level: a repository
    # without escalation levels reads as it always did.
    escalated = any(breach_key(clock) in result.levels for clock in result.clocks)
    clocks = Table((*COLUMNS, ESCALATION) if escalated else COLUMNS,
                   Later(lambda: [_row(clock, result, escalated) for clock in result.clocks]),
                   markdown_limit=MARKDOWN_ROWS, left_out=LEFT_OUT)
    return ClockReport(
        summary=Summary(TITLE, f"{summary.text()} (as of {moment})", asdict(summary)),
        findings=relocate(result.findings), tables=[clocks] if result.clocks else [],
        annotations=Later(lambda: relocate(sorted([*result.findings,
                                                   *clock_findings(result, model)]))),
        check=result)


def clock_line(clock: Clock, result: SlaCheck, shown: dict[int, str]) -> str:
    """The clock as one line of JSON: what `json` writes for the clock's object (keys in
    this order, `, ` and `: ` between), written directly, since 250,000 dictionaries
    through the encoder cost nearly what the clocks do. `shown` keeps the text of
    each instant: a record's clocks share their start and often their stop."""
    return (f'{{"record": {_text(clock.record)}, "kind": {_text(clock.kind)}, '
            f'"path": {_text(clock.path)}, "service": {_text(clock.service)}, '
            f'"sla": {_text(clock.sla)}, "metric": {_text(clock.metric)}, '
            f'"priority": {_text(clock.priority)}, "target_seconds": {clock.target!r}, '
            f'"elapsed_seconds": {clock.elapsed!r}, '
            f'"percent": {round(clock.percent, 1)!r}, '
            f'"state": {_text(clock.state)}, "running": {_TRUTH[clock.running]}, '
            f'"paused": {_TRUTH[clock.paused]}, '
            f'"started_at": {_instant(clock.started, result, shown)}, '
            f'"stopped_at": {_instant(clock.stopped, result, shown)}, '
            f'"due_at": {_instant(clock.due, result, shown)}, '
            f'"breached_at": {_instant(clock.breached_at, result, shown)}, '
            f'"escalation": {_escalation(clock, result)}}}')


def _escalation(clock: Clock, result: SlaCheck) -> str:
    level = _level(clock, result)
    return "null" if level is None else _ENCODER.encode(level)


def _instant(value: int | None, result: SlaCheck, shown: dict[int, str]) -> str:
    if value is None:
        return "null"
    text = shown.get(value)
    if text is None:
        at = show(value, result.zone)
        text = shown[value] = "null" if at is None else _text(at)
    return text


def _level(clock: Clock, result: SlaCheck) -> dict[str, object] | None:
    reached = result.levels.get(breach_key(clock))
    if reached is None:
        return None
    return reached.as_dict(show(instant_of(reached.reached_at), result.zone))


def escalation_text(reached: Reached | None) -> str:
    """`2 at 75%: Anna Keller`; `... none named (assignee)` when it names nobody."""
    if reached is None:
        return ""
    names = ", ".join(person.name for person in reached.people)
    whom = names or f"none named ({', '.join(reached.notify)})"
    return f"{reached.level} at {reached.escalation.at}%: {whom}"


def _when(clock: Clock, result: SlaCheck) -> str:
    if clock.stopped is not None:
        return f"stopped {show(clock.stopped, result.zone)}"
    if clock.due is not None:
        return (f"overdue since {show(clock.due, result.zone)}" if clock.state == "breached"
                else f"due {show(clock.due, result.zone)}")
    return "paused" if clock.paused else ""


def _row(clock: Clock, result: SlaCheck, escalated: bool) -> Row:
    cells: tuple[str, ...] = (
        clock.state.replace("_", " "), clock.record, clock.service, clock.sla, clock.metric,
        clock.priority, duration(clock.elapsed), clock.target_text, f"{clock.percent:.0f}%",
        _when(clock, result))
    if escalated:
        cells = (*cells, escalation_text(result.levels.get(breach_key(clock))))
    return Row(cells, MARKS[clock.state])


class ClockLines(JsonReporter):
    """`now`, `clocks` one a line (a large repository stays fast to write and to grep),
    `findings` and `summary`."""

    def render(self, report: Report) -> str:
        if not isinstance(report, ClockReport):
            return super().render(report)
        result = report.check
        shown: dict[int, str] = {}
        clocks = ",\n".join(clock_line(clock, result, shown) for clock in result.clocks)
        rest = json.dumps({"findings": [f.as_dict() for f in report.findings],
                           "summary": report.summary.data}, ensure_ascii=False)
        now = json.dumps(show(result.now, result.zone))
        return (f'{{"now": {now},\n"clocks": [\n{clocks}\n],\n' if clocks
                else f'{{"now": {now},\n"clocks": [],\n') + rest[1:] + "\n"


CHECK_OVERRIDES: dict[str, Reporter] = {"json": ClockLines()}
