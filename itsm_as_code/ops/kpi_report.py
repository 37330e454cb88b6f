"""`itsm report` with the routines' KPIs: the Service Operation report of sla/, and a table
of routine figures with their definitions, in every format (text, json, markdown, html)."""

from __future__ import annotations

from dataclasses import replace

from itsm_as_code.model.context import RunContext
from itsm_as_code.ops.kpi import DEFINITIONS, RoutineFigures, routine_figures
from itsm_as_code.reporters import Row, Table
from itsm_as_code.sla.history import moment_of
from itsm_as_code.sla.kpi import report
from itsm_as_code.sla.kpi_report import FiguresReport, figures_report
from itsm_as_code.timefmt import format_duration

TITLE = "Routines"
COLUMNS = ("routine", "runs due", "success", "missed", "failed", "MTTD (incidents)")


def kpi_report(ctx: RunContext, since: str | None, until: str | None,
               service: str | None) -> FiguresReport:
    """The KPI report of the window, with a routines table when there are routines."""
    result = report(ctx, since, until, service)
    shown = figures_report(result, ctx.config.organization)
    window = result.window
    rows = routine_figures(ctx, moment_of(window.since), moment_of(window.end), service)
    document = dict(shown.document or {})
    document["routines"] = [row.as_dict() for row in rows]
    document["definitions"] = {**document.get("definitions", {}), **DEFINITIONS}
    if not rows:
        return replace(shown, document=document)
    table = Table(COLUMNS, [Row(_cells(row)) for row in rows], TITLE)
    # The page lists only the definitions of sla/'s figures: these go under their table.
    section = replace(table, note=" ".join(f"{name}: {text}"
                                           for name, text in DEFINITIONS.items()))
    *tables, definitions = shown.tables
    definitions = replace(definitions, rows=[*definitions.rows, *(
        Row((name, text)) for name, text in DEFINITIONS.items())])
    return replace(shown, tables=[*tables, table, definitions], document=document,
                   sections=[section])


def _cells(row: RoutineFigures) -> tuple[str, ...]:
    rate = "-" if row.success_rate_percent is None else \
        f"{row.success_rate_percent:.1f}% ({row.runs_ok})"
    mttd = "-" if row.mttd_seconds is None else \
        f"{' '.join(format_duration(row.mttd_seconds).split()[:2])} ({row.detected})"
    return (row.name, str(row.runs_due), rate, str(row.missed_runs), str(row.failed_runs),
            mttd)
