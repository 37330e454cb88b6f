"""`itsm report`: the Service Operation KPIs per service and overall, with definitions."""

from __future__ import annotations

from datetime import datetime

import click

from itsm_as_code.cli.common import format_option, now_option, run_context
from itsm_as_code.ops.kpi_report import kpi_report
from itsm_as_code.reporters import render
from itsm_as_code.sla.kpi_report import KPI_OVERRIDES
from itsm_as_code.sla.spec import CLOCKED_KINDS


@click.command("report")
@click.option("--since", metavar="DATE",
              help="Start of the window: a date (its whole day counts) or an RFC 3339 "
                   "timestamp (default: 365 days before --until).")
@click.option("--until", metavar="DATE",
              help="End of the window: a date (included) or a timestamp (default: --now).")
@click.option("--service", metavar="ID", help="Only this service.")
@now_option("The moment the report is computed for: nothing later is known.")
@format_option("text", "json", "markdown", overrides=KPI_OVERRIDES)
@click.pass_context
def command(ctx: click.Context, since: str | None, until: str | None, service: str | None,
            now: datetime, output_format: str) -> int:
    """Service Operation KPIs per service and overall: incidents opened and resolved,
    MTTA and MTTR (working and wall-clock time), SLA compliance per metric,
    availability, MTBF, backlog and its age, reopen rate and repeat incidents; and, with
    routines, their success rate, missed runs and mean time to detect a missed run.

    Dates are whole days in itsm.yaml's time zone. Every figure's definition is
    printed with it. Exit 0, or 2 on a usage error.
    """
    shown = kpi_report(run_context(ctx, now, CLOCKED_KINDS), since, until, service)
    click.echo(render(shown, output_format, KPI_OVERRIDES), nl=False)
    return 0
