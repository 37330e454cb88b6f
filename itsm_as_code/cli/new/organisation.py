"""`itsm new service|team|person|calendar|sla|system|policy`: the records that
describe the organisation and who may use what."""

from __future__ import annotations

from typing import Any

import click

from itsm_as_code.cli.new.common import create


@click.command("service")
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
    return create("Service", record_id, depends_on=list(depends_on), **options)


@click.command("team")
@click.argument("record_id", metavar="ID")
@click.option("--name", required=True)
@click.option("--member", "members", multiple=True, help="A Person id (repeat).")
@click.option("--lead", help="The Person id of the lead.")
def new_team(record_id: str, members: tuple[str, ...], **options: Any) -> int:
    """A new team."""
    return create("Team", record_id, members=list(members), **options)


@click.command("person")
@click.argument("record_id", metavar="ID")
@click.option("--name", required=True)
@click.option("--email", required=True)
def new_person(record_id: str, **options: Any) -> int:
    """A new person."""
    return create("Person", record_id, **options)


@click.command("calendar")
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
    return create("Calendar", record_id, hours=list(hours), holidays=list(holidays),
                   **options)


@click.command("sla")
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
    return create("SLA", record_id, targets=list(targets), pause_on=list(pause_on), **options)


@click.command("system")
@click.argument("record_id", metavar="ID")
@click.option("--provider", required=True, help="postgres, ldap, file or a plugin's name.")
@click.option("--name")
@click.option("--connection", multiple=True, metavar="KEY=VALUE",
              help="A provider setting, such as dsn_env=PAYMENTS_DB_DSN (repeat).")
@click.option("--break-glass", multiple=True, help="An account never removed (repeat).")
def new_system(record_id: str, connection: tuple[str, ...], break_glass: tuple[str, ...],
               **options: Any) -> int:
    """A new access target system."""
    return create("System", record_id, connection=list(connection),
                   break_glass=list(break_glass), **options)


@click.command("policy")
@click.argument("record_id", metavar="ID")
@click.option("--system", required=True, help="The System id.")
@click.option("--role", required=True, help="The role or group on that system.")
@click.option("--owner", "owners", multiple=True, required=True,
              help="A Person id who approves grants (repeat).")
@click.option("--exclusive", is_flag=True, help="Remove members not granted here.")
def new_policy(record_id: str, owners: tuple[str, ...], **options: Any) -> int:
    """A new access policy, without grants yet."""
    return create("AccessPolicy", record_id, owners=list(owners), **options)
