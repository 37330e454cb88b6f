"""`itsm new KIND`: scaffold a valid record with a fresh id."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import Any

import click

from itsm_as_code.authoring.new import create_in
from itsm_as_code.cli.common import TIME_HELP, show_progress, timestamp, wall_clock
from itsm_as_code.notify.events import EVENTS

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
@click.option("--type", "type_", metavar="TYPE",
              help="The RequestType id of the catalogue entry it is made from.")
@click.option("--answer", "answers", multiple=True, metavar="FIELD=VALUE",
              help="An answer to the type's form (repeat; a multichoice takes a,b).")
@click.option("--service", help="The Service id the request is made on (default: the "
              "type's).")
@click.option("--requested-by", required=True, help="The Person id who asks.")
@click.option("--priority", type=PRIORITIES,
              help="P1 to P5 (default: the type's priority, else P4).")
@click.option("--team", help="The Team id that fulfils it (default: the type's).")
@click.option("--access-policy", help="For an access request: the AccessPolicy id "
              "(default: the type's).")
@click.option("--description")
@_at
def new_request(at: datetime | None, type_: str | None, answers: tuple[str, ...],
                **options: Any) -> int:
    """A new service request, status submitted.

    \b
    Example:
      itsm new request --type new-laptop --requested-by sofia-rossi \\
          --title "New laptop" --answer model="MacBook Pro 14" --answer keyboard=German \\
          --answer reason="The battery is worn out."
    """
    return _create("ServiceRequest", at=at, type=type_, answers=list(answers), **options)


@command.command("request-type")
@click.argument("record_id", metavar="ID")
@click.option("--name", required=True, help="What is asked for, as the catalogue shows it.")
@click.option("--description", required=True)
@click.option("--service", required=True, help="The Service id its requests are made on.")
@click.option("--team", required=True, help="The Team id that fulfils its requests.")
@click.option("--sla", help="The SLA id the fulfilment is measured against.")
@click.option("--priority", type=PRIORITIES, default="P4", show_default=True)
@click.option("--access-policy", help="For access requests: the AccessPolicy id granted.")
@click.option("--field", "fields", multiple=True, metavar="ID:TYPE:LABEL",
              help="A question of the form (repeat, in order); TYPE is text, textarea, "
              "number, date, choice, multichoice, person or checkbox, with a trailing ! "
              "when required.")
@click.option("--option", "options", multiple=True, metavar="FIELD=CHOICE",
              help="A choice of a choice or multichoice field (repeat).")
@click.option("--stage", "stages", multiple=True, metavar="NAME:HOW",
              help="An approval stage (repeat, in order); HOW is team=TEAM, "
              "policy_owners=POLICY, people=P1,P2 or requester_lead. No stage: a "
              "standard, pre-approved request.")
@click.option("--step", "steps", multiple=True, metavar="TEXT",
              help="A fulfilment step (repeat, in order); its id is its number.")
def new_request_type(record_id: str, fields: tuple[str, ...], options: tuple[str, ...],
                     stages: tuple[str, ...], steps: tuple[str, ...], **more: Any) -> int:
    """A new entry of the request catalogue.

    \b
    Example:
      itsm new request-type new-laptop --name "New laptop" --service workplace \\
          --team platform --description "A new or replacement laptop." \\
          --field 'model:choice!:Model' --option 'model=MacBook Pro 14' \\
          --stage 'Team lead:requester_lead' --stage 'IT:team=platform' \\
          --step "Order the laptop" --step "Hand it over"
    """
    return _create("RequestType", record_id, fields=list(fields), options=list(options),
                   stages=list(stages), steps=list(steps), **more)


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


@command.command("routine")
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
@_timestamp_option("--since", False, "From when runs are due (default: its first check-in).")
@click.option("--runbook", help="The link to what to do when a run is missed.")
def new_routine(record_id: str, evidence: tuple[str, ...], **options: Any) -> int:
    """A new routine: scheduled operations work that reports each run.

    \b
    itsm new routine nightly-db-backup --name "Nightly database backup" \\
      --service data-warehouse --cron "0 2 * * *" --grace 1h --evidence size=bytes
    """
    return _create("Routine", record_id, evidence=list(evidence), **options)


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


@command.command("channel")
@click.argument("record_id", metavar="ID")
@click.option("--type", "channel_type", required=True,
              type=click.Choice(["slack", "teams", "webhook", "email"]))
@click.option("--audience", required=True, type=click.Choice(["public", "internal"]),
              help="public: only public records and updates ever reach it.")
@click.option("--name", help="A readable name, such as '#status on Slack'.")
@click.option("--url-env", metavar="VARIABLE",
              help="slack, teams, webhook: the environment variable holding the URL.")
@click.option("--secret-env", metavar="VARIABLE",
              help="webhook: the environment variable holding the signing key.")
@click.option("--smtp-host", metavar="HOST", help="email: the SMTP server.")
@click.option("--smtp-port", type=click.IntRange(1, 65535), default=587, show_default=True)
@click.option("--username-env", metavar="VARIABLE",
              help="email: the environment variable holding the SMTP login's user name.")
@click.option("--password-env", metavar="VARIABLE",
              help="email: the environment variable holding the SMTP login's password.")
@click.option("--from", "sender", metavar="ADDRESS", help="email: the sender's address.")
@click.option("--to", multiple=True, metavar="ADDRESS", help="email: a recipient (repeat).")
def new_channel(record_id: str, to: tuple[str, ...], **options: Any) -> int:
    """A new channel messages are sent to. Secrets are never written: only the names of
    the environment variables that hold them.

    \b
    itsm new channel status-slack --type slack --audience public \\
        --url-env SLACK_STATUS_WEBHOOK_URL
    itsm new channel ops-hook --type webhook --audience internal \\
        --url-env OPS_WEBHOOK_URL --secret-env OPS_WEBHOOK_SECRET
    itsm new channel ops-mail --type email --audience internal --smtp-host smtp.example.org \\
        --username-env SMTP_USERNAME --password-env SMTP_PASSWORD \\
        --from itsm@example.org --to ops@example.org
    """
    return _create("Channel", record_id, to=list(to), **options)


@command.command("subscription")
@click.argument("record_id", metavar="ID")
@click.option("--channel", required=True, metavar="CHANNEL",
              help="The Channel id the messages go to.")
@click.option("--service", "services", multiple=True, metavar="SERVICE",
              help="Only records that affect this Service id (repeat).")
@click.option("--group", "groups", multiple=True, metavar="GROUP",
              help="Only records that affect a service of this status-site group (repeat).")
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(["Incident", "Maintenance", "ServiceRequest", "KnownError"]),
              help="Only events of this record kind (repeat).")
@click.option("--event", "events", multiple=True, type=click.Choice(EVENTS),
              metavar="EVENT", help="Only this event, such as incident.opened (repeat).")
@click.option("--priority", "priorities", multiple=True, type=PRIORITIES,
              help="Only incidents and requests of this priority (repeat).")
@click.option("--audience", type=click.Choice(["public", "internal"]), default="public",
              show_default=True, help="public: what the status site shows; internal: "
              "internal records and updates too (an internal channel only).")
@click.option("--description", help="Who the subscription is for and why.")
def new_subscription(record_id: str, services: tuple[str, ...], groups: tuple[str, ...],
                     kinds: tuple[str, ...], events: tuple[str, ...],
                     priorities: tuple[str, ...], **options: Any) -> int:
    """A new subscription: which events `itsm notify` sends to a channel. A filter left
    out matches everything; those given must all match.

    \b
    itsm new subscription payments-status --channel status-slack --group Payments \\
        --event incident.opened --event incident.resolved
    itsm new subscription ops-major --channel ops-hook --kind Incident \\
        --priority P1 --priority P2 --audience internal
    """
    return _create("Subscription", record_id, services=list(services), groups=list(groups),
                   kinds=list(kinds), events=list(events), priorities=list(priorities),
                   **options)


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
