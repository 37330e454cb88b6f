"""`itsm new channel|subscription`: where messages go and who wants which."""

from __future__ import annotations

from typing import Any

import click

from itsm_as_code.cli.new.common import PRIORITIES, create
from itsm_as_code.notify.events import EVENTS


@click.command("channel")
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
    return create("Channel", record_id, to=list(to), **options)


@click.command("subscription")
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
    return create("Subscription", record_id, services=list(services), groups=list(groups),
                   kinds=list(kinds), events=list(events), priorities=list(priorities),
                   **options)
