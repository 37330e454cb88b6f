"""`itsm new incident|problem|known-error|request|maintenance`: the records of the work of
Service Operation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from itsm_as_code.cli.new.common import AT_OPTION, LEVELS, PRIORITIES, create, timestamp_option


@click.command("incident")
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
@AT_OPTION
def new_incident(services: tuple[str, ...], at: datetime | None, **options: Any) -> int:
    """A new incident, priority from itsm.yaml's matrix, opened now."""
    return create("Incident", at=at, services=list(services), **options)


@click.command("problem")
@click.option("--title", required=True)
@click.option("--incident", "incidents", multiple=True, help="A linked Incident id (repeat).")
@click.option("--service", "services", multiple=True,
              help="An affected Service id (default: those of the incidents).")
@click.option("--owner", help="The Person id of the problem manager.")
@click.option("--priority", type=PRIORITIES)
@AT_OPTION
def new_problem(incidents: tuple[str, ...], services: tuple[str, ...], at: datetime | None,
                **options: Any) -> int:
    """A new problem in status new."""
    return create("Problem", at=at, incidents=list(incidents), services=list(services),
                   **options)


@click.command("known-error")
@click.option("--title", required=True)
@click.option("--symptoms", required=True, help="How the error shows itself.")
@click.option("--workaround", required=True, help="What restores service until the fix.")
@click.option("--problem", help="The Problem id it comes from.")
@click.option("--service", "services", multiple=True, help="A Service id (repeat).")
@click.option("--match", multiple=True, help="A regular expression that recognises incidents.")
@AT_OPTION
def new_known_error(services: tuple[str, ...], match: tuple[str, ...], at: datetime | None,
                    **options: Any) -> int:
    """A new known error entry, status open."""
    return create("KnownError", at=at, services=list(services), match=list(match), **options)


@click.command("request")
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
@AT_OPTION
def new_request(at: datetime | None, type_: str | None, answers: tuple[str, ...],
                **options: Any) -> int:
    """A new service request, status submitted.

    \b
    Example:
      itsm new request --type new-laptop --requested-by sofia-rossi \\
          --title "New laptop" --answer model="MacBook Pro 14" --answer keyboard=German \\
          --answer reason="The battery is worn out."
    """
    return create("ServiceRequest", at=at, type=type_, answers=list(answers), **options)


@click.command("maintenance")
@click.option("--title", required=True)
@click.option("--service", "services", multiple=True, required=True,
              help="A Service id under maintenance (repeat).")
@timestamp_option("--start", True, "When the window starts.")
@timestamp_option("--end", True, "When the window ends.")
@click.option("--description")
def new_maintenance(services: tuple[str, ...], **options: Any) -> int:
    """A new scheduled maintenance window."""
    return create("Maintenance", services=list(services), **options)
