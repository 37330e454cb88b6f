"""What `itsm report` says: the KPI table with its definitions for every format, and the
KPI report as one self-contained HTML page (the command's own format)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from itsm_as_code.findings import Summary
from itsm_as_code.percent import percent_text
from itsm_as_code.reporters import Report, Reporter, Row, Table
from itsm_as_code.sla import charts
from itsm_as_code.sla.desk_report import desk_table
from itsm_as_code.sla.figures import Figures
from itsm_as_code.sla.history import moment_of, show
from itsm_as_code.sla.kpi import DEFINITIONS, OVERALL_NOTE, KpiReport
from itsm_as_code.timefmt import format_duration

TITLE = "itsm report"

# (heading, how one row's figures read in that column)
COLUMNS: list[tuple[str, Callable[[Figures], str]]] = [
    ("opened", lambda r: str(r.incidents_opened)),
    ("resolved", lambda r: str(r.incidents_resolved)),
    ("MTTA work/wall", lambda r: f"{_d(r.mtta_working_seconds)}/{_d(r.mtta_wall_seconds)}"),
    ("MTTR work/wall", lambda r: f"{_d(r.mttr_working_seconds)}/{_d(r.mttr_wall_seconds)}"),
    ("response met", lambda r: _p(r.response_compliance_percent, r.response_clocks)),
    ("resolution met", lambda r: _p(r.resolution_compliance_percent, r.resolution_clocks)),
    ("availability", lambda r: "-" if r.availability_percent is None
     else percent_text(r.availability_percent, 3)),
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


def figures_table(result: KpiReport, names: bool = False) -> Table:
    """One row per service (by id, or by name with `names`), then `overall`."""
    groups = [*((row.name if names else row.service, row.figures)
                for row in result.services),
              ("overall", result.overall)]
    return Table(("service", *(heading for heading, _ in COLUMNS)),
                 [Row((name, *(cell(figures) for _, cell in COLUMNS)))
                  for name, figures in groups])


def heading(result: KpiReport) -> str:
    window = result.window
    return (f"KPIs from {show(window.since, result.zone)} to {show(window.until, result.zone)}"
            f" (as of {show(window.now, result.zone)})")


def as_data(result: KpiReport) -> dict[str, Any]:
    window = result.window
    return {"window": {"since": show(window.since, result.zone),
                       "until": show(window.until, result.zone),
                       "now": show(window.now, result.zone)},
            "availability_weights": result.weights, "overall": result.overall_dict(),
            "services": [row.as_dict() for row in result.services],
            "months": [month.as_dict() for month in result.months],
            "desk": result.desk.as_dict() if result.desk else None,
            "definitions": {**DEFINITIONS, "overall": OVERALL_NOTE}}


@dataclass(frozen=True, kw_only=True)
class FiguresReport(Report):
    """The KPI report, with its figures and the organisation for the HTML page."""

    kpis: KpiReport
    organization: str
    # Tables other parts of itsm add to the report (the routines' KPIs), each titled, with
    # its definitions in its note; they are also among `tables`, before the definitions.
    sections: Sequence[Table] = ()


def figures_report(result: KpiReport, organization: str) -> FiguresReport:
    """The window as the summary, the figures and their definitions as tables, every
    figure for machines."""
    document = as_data(result)
    definitions = Table(("figure", "definition"),
                        [Row((name, text)) for name, text in DEFINITIONS.items()],
                        "Definitions", OVERALL_NOTE)
    return FiguresReport(summary=Summary(TITLE, heading(result), document["window"]),
                         tables=[figures_table(result),
                                 *([desk_table(result.desk)] if result.desk else []),
                                 definitions], document=document,
                         kpis=result, organization=organization)


class KpiPage(Reporter):
    """One page, styles inline, charts as inline SVG, no script: it reads anywhere."""

    name = "html"
    help = "one self-contained page with charts"

    def render(self, report: Report) -> str:
        if not isinstance(report, FiguresReport):
            raise TypeError("the html format is the KPI report's page")
        # jinja2 loads for this page only
        from itsm_as_code.templating import environment, local_text

        result = report.kpis
        table = figures_table(result, names=True)
        window, zone = result.window, result.zone
        when = [local_text(moment_of(instant), zone)
                for instant in (window.since, window.until, window.now)]
        template = environment("sla/templates").get_template("report.html.j2")
        return template.render(
            organization=report.organization,
            heading=f"KPIs from {when[0]} to {when[1]} (as of {when[2]})",
            table=[table.columns, *(row.cells for row in table.rows)],
            desk=[row.cells for row in desk_table(result.desk).rows] if result.desk else [],
            sections=report.sections,
            definitions=DEFINITIONS, overall_note=OVERALL_NOTE,
            charts=[charts.compliance(result.months), charts.mttr_trend(result.months),
                    charts.availability(result.services)],
            weights=result.weights)


KPI_OVERRIDES: dict[str, Reporter] = {"html": KpiPage()}
