"""`itsm new`: the group of the commands that scaffold each kind of record."""

from __future__ import annotations

import click

from itsm_as_code.cli.new import catalogue, itil, notifications, operations, organisation


@click.group("new")
def command() -> None:
    """Write a new record with a fresh id and the required fields.

    The record is checked like any other (schema, references, priority) before it
    is written; when it would be invalid nothing is written and the exit code is 1.
    The first line of the file points editors at the kind's schema for completion.
    """


# One command per kind, each defined with the kinds of its area.
KINDS = (
    itil.new_incident, itil.new_problem, itil.new_known_error, itil.new_request,
    itil.new_maintenance,
    organisation.new_service, organisation.new_team, organisation.new_person,
    organisation.new_calendar, organisation.new_sla, organisation.new_system,
    organisation.new_policy,
    catalogue.new_request_type,
    notifications.new_channel, notifications.new_subscription,
    operations.new_routine,
)
for kind in KINDS:
    command.add_command(kind)
