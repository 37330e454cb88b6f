"""`itsm new KIND`: scaffold a valid record with a fresh id."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import Any

import click

from itsm_as_code.authoring.new import create_in
from itsm_as_code.cli.common import TIME_HELP, show_progress, timestamp, wall_clock

LEVELS = click.Choice(["high", "medium", "low"])
PRIORITIES = click.Choice(["P1", "P2", "P3", "P4", "P5"])


def _timestamp(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    return None if value is None else timestamp(ctx, param, value)


def _timestamp_option(name: str, required: bool, text: str) -> Callable[[Any], Any]:
    return click.option(name, callback=_timestamp, required=required, metavar="TIMESTAMP",
                        help=f"{text} {TIME_HELP}")


@click.group("new")
def command() -> None:
    """Write a new record with a fresh id and the required fields.

    The record is checked like any other (schema, references, priority) before it
    is written; when it would be invalid nothing is written and the exit code is 1.
    The first line of the file points editors at the kind's schema for completion.
    """


def _create(kind: str, record_id: str | None = None, at: datetime | None = None,
            **options: Any) -> int:
    ctx = click.get_current_context()
    wall = wall_clock()
    created = create_in(ctx.find_root().obj, kind, record_id, at, wall, show_progress,
                        **options)
    click.echo(f"created {created.record_id}: {os.path.relpath(created.path)}")
    return 0


_at = _timestamp_option("--at", False, "When it was opened (default: now).")


@command.command("incident")
@click.option("--title", required=True, help="What users see, in one line.")
@click.option("--service", "services", multiple=True, required=True, metavar="ID[:STATUS]",
              help="An affected service, optionally with its component status "
                   "(default partial_outage). Repeat for several.")
@click.option("--impact", type=LEVELS, default="medium", show_default=True)
@click.option("--urgency", type=LEVELS, default="medium", show_default=True)
@click.option("--message", help="The first public update; sets the status to investigating.")
@click.option("--team", help="The assignment group (default: the first service's owner).")
@click.option("--assignee", help="The Person handling it.")
@click.option("--category", help="A category, such as database or network.")
@click.option("--major", is_flag=True, help="Mark it a major incident.")
@_at
def new_incident(services: tuple[str, ...], at: datetime | None, **options: Any) -> int:
    """A new incident, priority from itsm.yaml's matrix, opened now."""
    return _create("Incident", at=at, services=list(services), **options)


@command.command("problem")
@click.option("--title", required=True)
@click.option("--incident", "incidents", multiple=True, help="A linked Incident id (repeat).")
@click.option("--service", "services", multiple=True,
              help="An affected Service id (default: those of the incidents).")
@click.option("--owner", help="The Person id of the problem manager.")
@click.option("--priority", type=PRIORITIES)
@_at
def new_problem(incidents: tuple[str, ...], services: tuple[str, ...], at: datetime | None,
                **options: Any) -> int:
    """A new problem in status new."""
    return _create("Problem", at=at, incidents=list(incidents), services=list(services),
                   **options)


@command.command("known-error")
@click.option("--title", required=True)
@click.option("--symptoms", required=True, help="How the error shows itself.")
@click.option("--workaround", required=True, help="What restores service until the fix.")
@click.option("--problem", help="The Problem id it comes from.")
@click.option("--service", "services", multiple=True, help="A Service id (repeat).")
@click.option("--match", multiple=True, help="A regular expression that recognises incidents.")
@_at
def new_known_error(services: tuple[str, ...], match: tuple[str, ...], at: datetime | None,
                    **options: Any) -> int:
    """A new known error entry, status open."""
    return _create("KnownError", at=at, services=list(services), match=list(match), **options)


@command.command("request")
@click.option("--title", required=True)
@click.option("--service", required=True, help="The Service id the request is made on.")
@click.option("--requested-by", required=True, help="The Person id who asks.")
@click.option("--priority", type=PRIORITIES, default="P4", show_default=True)
@click.option("--team", help="The Team id that fulfils it.")
@click.option("--access-policy", help="For an access request: the AccessPolicy id.")
@click.option("--description")
@_at
def new_request(at: datetime | None, **options: Any) -> int:
    """A new service request, status submitted."""
    return _create("ServiceRequest", at=at, **options)


@command.command("maintenance")
@click.option("--title", required=True)
@click.option("--service", "services", multiple=True, required=True,
              help="A Service id under maintenance (repeat).")
@_timestamp_option("--start", True, "When the window starts.")
@_timestamp_option("--end", True, "When the window ends.")
@click.option("--description")
def new_maintenance(services: tuple[str, ...], **options: Any) -> int:
    """A new scheduled maintenance window."""
    return _create("Maintenance", services=list(services), **options)


@command.command("service")
@click.argument("record_id", metavar="ID")
@click.option("--name", required=True)
@click.option("--owner", required=True, help="The owning Team id.")
@click.option("--group", help="The status-site group.")
@click.option("--sla", help="The SLA id.")
@click.option("--visibility", type=click.Choice(["public", "internal"]), default="public",
              show_default=True)
@click.option("--description")
@click.option("--depends-on", multiple=True, help="A Service id it needs (repeat).")
def new_service(record_id: str, depends_on: tuple[str, ...], **options: Any) -> int:
    """A new service (a status-site component)."""
    return _create("Service", record_id, depends_on=list(depends_on), **options)


@command.command("team")
@click.argument("record_id", metavar="ID")
@click.option("--name", required=True)
@click.option("--member", "members", multiple=True, help="A Person id (repeat).")
@click.option("--lead", help="The Person id of the lead.")
def new_team(record_id: str, members: tuple[str, ...], **options: Any) -> int:
    """A new team."""
    return _create("Team", record_id, members=list(members), **options)


@command.command("person")
@click.argument("record_id", metavar="ID")
@click.option("--name", required=True)
@click.option("--email", required=True)
def new_person(record_id: str, **options: Any) -> int:
    """A new person."""
    return _create("Person", record_id, **options)


@command.command("calendar")
@click.argument("record_id", metavar="ID")
@click.option("--timezone", required=True, help="An IANA time zone, such as Europe/Berlin.")
@click.option("--hours", multiple=True, default=("09:00-17:00",), show_default=True,
              metavar="[DAYS=]RANGES",
              help="`always` for 24x7, or HH:MM-HH:MM ranges, several joined by commas, "
                   "for Monday to Friday or for the DAYS named (fri, sat,sun, mon-thu); "
                   "repeat to add ranges.")
@click.option("--holiday", "holidays", multiple=True, help="A YYYY-MM-DD date (repeat).")
@click.option("--holiday-country", help="A country code whose public holidays count.")
def new_calendar(record_id: str, hours: tuple[str, ...], holidays: tuple[str, ...],
                 **options: Any) -> int:
    """A new working-time calendar.

    `--hours 08:00-12:00,13:00-16:00` gives Monday to Friday two ranges; `--hours
    09:00-17:00 --hours fri=09:00-15:00` a shorter Friday; `--hours always` runs 24x7.
    """
    return _create("Calendar", record_id, hours=list(hours), holidays=list(holidays),
                   **options)


@command.command("sla")
@click.argument("record_id", metavar="ID")
@click.option("--name", required=True)
@click.option("--type", "agreement", type=click.Choice(["SLA", "OLA", "UC"]), default="SLA",
              show_default=True)
@click.option("--target", "targets", multiple=True, required=True, metavar="P1=RESP/RESOL",
              help="Targets of one priority, such as P1=15m/4h (repeat).")
@click.option("--calendar", help="The Calendar id (default: 24x7).")
@click.option("--pause-on", multiple=True, help="A status that stops the clocks (repeat).")
@click.option("--warn-at", type=click.IntRange(1, 100), default=75, show_default=True)
def new_sla(record_id: str, targets: tuple[str, ...], pause_on: tuple[str, ...],
            **options: Any) -> int:
    """A new SLA, OLA or underpinning contract."""
    return _create("SLA", record_id, targets=list(targets), pause_on=list(pause_on), **options)


@command.command("system")
@click.argument("record_id", metavar="ID")
@click.option("--provider", required=True, help="postgres, ldap, file or a plugin's name.")
@click.option("--name")
@click.option("--connection", multiple=True, metavar="KEY=VALUE",
              help="A provider setting, such as dsn_env=PAYMENTS_DB_DSN (repeat).")
@click.option("--break-glass", multiple=True, help="An account never removed (repeat).")
def new_system(record_id: str, connection: tuple[str, ...], break_glass: tuple[str, ...],
               **options: Any) -> int:
    """A new access target system."""
    return _create("System", record_id, connection=list(connection),
                   break_glass=list(break_glass), **options)


@command.command("policy")
@click.argument("record_id", metavar="ID")
@click.option("--system", required=True, help="The System id.")
@click.option("--role", required=True, help="The role or group on that system.")
@click.option("--owner", "owners", multiple=True, required=True,
              help="A Person id who approves grants (repeat).")
@click.option("--exclusive", is_flag=True, help="Remove members not granted here.")
def new_policy(record_id: str, owners: tuple[str, ...], **options: Any) -> int:
    """A new access policy, without grants yet."""
    return _create("AccessPolicy", record_id, owners=list(owners), **options)
