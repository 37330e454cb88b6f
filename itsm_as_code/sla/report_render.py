"""The output of `itsm report`: text, json, markdown, and one self-contained HTML page."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from itsm_as_code.sla import charts
from itsm_as_code.sla.figures import Figures
from itsm_as_code.sla.history import show
from itsm_as_code.sla.kpi import DEFINITIONS, OVERALL_NOTE, KpiReport
from itsm_as_code.timefmt import format_duration

# (heading, how one row's figures read in that column)
COLUMNS: list[tuple[str, Callable[[Figures], str]]] = [
    ("opened", lambda r: str(r.incidents_opened)),
    ("resolved", lambda r: str(r.incidents_resolved)),
    ("MTTA work/wall", lambda r: f"{_d(r.mtta_working_seconds)}/{_d(r.mtta_wall_seconds)}"),
    ("MTTR work/wall", lambda r: f"{_d(r.mttr_working_seconds)}/{_d(r.mttr_wall_seconds)}"),
    ("response met", lambda r: _p(r.response_compliance_percent, r.response_clocks)),
    ("resolution met", lambda r: _p(r.resolution_compliance_percent, r.resolution_clocks)),
    ("availability", lambda r: _p(r.availability_percent, digits=3)),
    ("MTBF", lambda r: _d(r.mtbf_seconds)),
    ("backlog (oldest)", lambda r: f"{r.backlog}" + (
        f" ({_d(r.backlog_oldest_age_seconds)})" if r.backlog else "")),
    ("reopened", lambda r: _p(r.reopen_rate_percent, r.reopened, 0)),
    ("repeats", lambda r: str(r.repeat_incidents)),
]


def _d(seconds: int | None) -> str:
    """The two largest units, `28d 6h` or `6m 15s`: a table of means needs no more."""
    return "-" if seconds is None else " ".join(format_duration(seconds).split()[:2])


def _p(value: float | None, count: int | None = None, digits: int = 1) -> str:
    """`97.5% (40)`: a percent and how many it is of (or how many it is)."""
    if value is None:
        return "-"
    return f"{value:.{digits}f}%" + (f" ({count})" if count is not None else "")


def rows(result: KpiReport) -> list[list[str]]:
    """Header, one row per service, then `overall`, as the text and markdown show them."""
    found = [["service", *(heading for heading, _ in COLUMNS)]]
    groups = [*((row.service, row.figures) for row in result.services),
              ("overall", result.overall)]
    for name, figures in groups:
        found.append([name, *(cell(figures) for _, cell in COLUMNS)])
    return found


def heading(result: KpiReport) -> str:
    window = result.window
    return (f"KPIs from {show(window.since, result.zone)} to {show(window.until, result.zone)}"
            f" (as of {show(window.now, result.zone)})")


def render_text(result: KpiReport) -> str:
    table = rows(result)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = [heading(result), ""]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
              .rstrip() for row in table]
    lines += ["", "Definitions:"]
    lines += [f"  {name}: {text}" for name, text in DEFINITIONS.items()]
    lines.append(f"  {OVERALL_NOTE}")
    return "\n".join(lines) + "\n"


def as_data(result: KpiReport) -> dict[str, Any]:
    window = result.window
    return {"window": {"since": show(window.since, result.zone),
                       "until": show(window.until, result.zone),
                       "now": show(window.now, result.zone)},
            "availability_weights": result.weights, "overall": result.overall_dict(),
            "services": [row.as_dict() for row in result.services],
            "months": [month.as_dict() for month in result.months],
            "definitions": {**DEFINITIONS, "overall": OVERALL_NOTE}}


def render_json(result: KpiReport) -> str:
    return json.dumps(as_data(result), indent=2, ensure_ascii=False) + "\n"


def render_markdown(result: KpiReport) -> str:
    table = rows(result)
    lines = ["### itsm report", "", heading(result), "",
             "| " + " | ".join(table[0]) + " |", "|" + " --- |" * len(table[0])]
    lines += ["| " + " | ".join(row) + " |" for row in table[1:]]
    lines += ["", "**Definitions**", ""]
    lines += [f"- **{name}**: {text}" for name, text in DEFINITIONS.items()]
    lines += [f"- {OVERALL_NOTE}", ""]
    return "\n".join(lines)


def render_html(result: KpiReport, organization: str) -> str:
    """One page, styles inline, charts as inline SVG, no script: it reads anywhere."""
    from itsm_as_code.templating import environment

    template = environment("sla/templates").get_template("report.html.j2")
    return template.render(
        organization=organization, heading=heading(result), table=rows(result),
        definitions=DEFINITIONS, overall_note=OVERALL_NOTE,
        charts=[charts.compliance(result.months), charts.mttr_trend(result.months),
                charts.availability(result.services)],
        weights=result.weights)


RENDERERS: dict[str, Callable[[KpiReport, str], str]] = {
    "text": lambda result, organization: render_text(result),
    "json": lambda result, organization: render_json(result),
    "markdown": lambda result, organization: render_markdown(result),
    "html": render_html,
}
