"""`itsm new routine`: scheduled operations work that reports each run."""

from __future__ import annotations

from typing import Any

import click

from itsm_as_code.cli.new.common import create, timestamp_option


@click.command("routine")
@click.argument("record_id", metavar="ID")
@click.option("--name", required=True, help="What people call it, such as `Nightly backup`.")
@click.option("--service", required=True, help="The Service id it works for.")
@click.option("--team", help="The owning Team id (default: the service's owner).")
@click.option("--cron", help='The schedule as a cron expression, such as "0 2 * * *".')
@click.option("--rrule", help="The schedule as an RFC 5545 rule, such as "
              "FREQ=WEEKLY;BYDAY=SU;BYHOUR=3.")
@click.option("--timezone", help="The IANA time zone of the schedule (default: itsm.yaml's).")
@click.option("--calendar", help="A Calendar id instead of --timezone: its zone, and no runs "
              "on days without working time.")
@click.option("--grace", default="1h", show_default=True,
              help="How late a run may report before it is missed.")
@click.option("--evidence", multiple=True, metavar="KEY=TYPE",
              help="What a good run reports: number, bytes, text, url or checksum (repeat).")
@timestamp_option("--since", False, "From when runs are due (default: its first check-in).")
@click.option("--runbook", help="The link to what to do when a run is missed.")
def new_routine(record_id: str, evidence: tuple[str, ...], **options: Any) -> int:
    """A new routine: scheduled operations work that reports each run.

    \b
    itsm new routine nightly-db-backup --name "Nightly database backup" \\
      --service data-warehouse --cron "0 2 * * *" --grace 1h --evidence size=bytes
    """
    return create("Routine", record_id, evidence=list(evidence), **options)
