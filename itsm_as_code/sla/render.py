"""The output of `itsm sla check`: text, json, markdown and GitHub annotations.

Running clocks come first, the most urgent state first; then the stopped ones. The
renderers return text: the command line prints it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from itsm_as_code import findings as plain
from itsm_as_code.findings import Finding, Summary
from itsm_as_code.sla.check import SlaCheck
from itsm_as_code.sla.clocks import Clock
from itsm_as_code.sla.history import show
from itsm_as_code.timefmt import format_duration as duration

MARKDOWN_ROWS = 500  # a job summary holds 1 MiB; the JSON output has every clock
_MARKS = {"breached": "\u274c", "at_risk": "\u26a0\ufe0f", "paused": "\u23f8\ufe0f",
          "within": "\u23f3", "met": "\u2705"}
_ENCODER = json.JSONEncoder(ensure_ascii=False)  # made once: json.dumps makes one a call
_HEADER = ["STATE", "RECORD", "SERVICE", "SLA", "METRIC", "PRIORITY", "ELAPSED", "TARGET",
           "%", "WHEN"]


def clock_dict(clock: Clock, result: SlaCheck) -> dict[str, Any]:
    zone = result.zone
    return {
        "record": clock.record, "kind": clock.kind, "path": clock.path,
        "service": clock.service, "sla": clock.sla, "metric": clock.metric,
        "priority": clock.priority, "target_seconds": clock.target,
        "elapsed_seconds": clock.elapsed, "percent": round(clock.percent, 1),
        "state": clock.state, "running": clock.running, "paused": clock.paused,
        "started_at": show(clock.started, zone), "stopped_at": show(clock.stopped, zone),
        "due_at": show(clock.due, zone), "breached_at": show(clock.breached_at, zone),
    }


def _when(clock: Clock, result: SlaCheck) -> str:
    if clock.stopped is not None:
        return f"stopped {show(clock.stopped, result.zone)}"
    if clock.due is not None:
        return (f"overdue since {show(clock.due, result.zone)}" if clock.state == "breached"
                else f"due {show(clock.due, result.zone)}")
    return "paused" if clock.paused else ""


def _row(clock: Clock, result: SlaCheck) -> list[str]:
    return [clock.state.replace("_", " "), clock.record, clock.service, clock.sla,
            clock.metric, clock.priority, duration(clock.elapsed), duration(clock.target),
            f"{clock.percent:.0f}%", _when(clock, result)]


def _summary(result: SlaCheck, fail_on: str) -> Summary:
    return Summary("itsm sla check", result.summary_text(fail_on), result.summary_data(fail_on))


def render_text(result: SlaCheck, fail_on: str, findings: list[Finding]) -> str:
    """An aligned table of the clocks, then findings and the summary line."""
    lines = []
    if result.clocks:
        rows = [_HEADER, *(_row(clock, result) for clock in result.clocks)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
        lines = ["  ".join(cell.ljust(width)
                           for cell, width in zip(row, widths, strict=True)).rstrip()
                 for row in rows]
    lines.append(f"as of {show(result.now, result.zone)}")
    return "\n".join(lines) + "\n" + plain.render_text(findings, _summary(result, fail_on))


def render_json(result: SlaCheck, fail_on: str, findings: list[Finding]) -> str:
    """`now`, `clocks` (one per line, so a large repository stays fast and greppable),
    `findings` and `summary`."""
    encode = _ENCODER.encode
    clocks = ",\n".join(encode(clock_dict(clock, result)) for clock in result.clocks)
    rest = json.dumps({"findings": [f.as_dict() for f in findings],
                       "summary": result.summary_data(fail_on)}, ensure_ascii=False)
    now = json.dumps(show(result.now, result.zone))
    return (f'{{"now": {now},\n"clocks": [\n{clocks}\n],\n' if clocks
            else f'{{"now": {now},\n"clocks": [],\n') + rest[1:] + "\n"


def render_markdown(result: SlaCheck, fail_on: str, findings: list[Finding]) -> str:
    """A table for a pull request comment or a job summary: breached and at risk first."""
    lines = ["### itsm sla check", "",
             f"{result.summary_text(fail_on)} (as of {show(result.now, result.zone)})", ""]
    if result.clocks:
        lines += ["| | Record | Service | SLA | Metric | Priority | Elapsed | Target | % | "
                  "When |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for clock in result.clocks[:MARKDOWN_ROWS]:
            row = _row(clock, result)
            lines.append(f"| {_MARKS[clock.state]} {row[0]} | "
                         + " | ".join(row[1:]) + " |")
        if len(result.clocks) > MARKDOWN_ROWS:
            lines.append(f"\n... and {len(result.clocks) - MARKDOWN_ROWS} more stopped or "
                         "running clocks: `itsm sla check --format json` lists every one.")
        lines.append("")
    if findings:  # the findings' own table, without the title and summary it starts with
        lines.append(plain.render_markdown(findings, _summary(result, fail_on))
                     .split("\n", 4)[4])
    return "\n".join(lines)


def render_github(result: SlaCheck, fail_on: str, findings: list[Finding]) -> str:
    """Workflow commands: an annotation on the record of each breached or at-risk running
    clock, and on each broken calendar or SLA."""
    return plain.render_github(findings, _summary(result, fail_on))


RENDERERS: dict[str, Callable[[SlaCheck, str, list[Finding]], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": render_github,
}
