"""`itsm notify`: what changed between two revisions, told to the people who subscribed."""

from __future__ import annotations

import os
from datetime import datetime

import click

from itsm_as_code.cli.common import TIME_HELP, now_option, repository, timestamp
from itsm_as_code.errors import ExitCode, UsageError
from itsm_as_code.git.commit import bot_identity
from itsm_as_code.notify.deliver import DeliveryOptions
from itsm_as_code.notify.output import FORMATS
from itsm_as_code.notify.run import NotifyOptions, notify
from itsm_as_code.timefmt import parse_duration


@click.command("notify")
@click.option("--since", "since", required=True, metavar="REV",
              help="The revision the change starts after (a push's `before`, a pull "
                   "request's base).")
@click.option("--until", "until", default="HEAD", show_default=True, metavar="REV",
              help="The revision the change ends at; records, subscriptions and channels "
                   "are read there.")
@now_option("The moment time-based events are computed for (maintenance starting soon, "
            "SLA escalation levels).")
@click.option("--since-time", "since_time", callback=lambda c, p, v: None if v is None
              else timestamp(c, p, v), metavar="TIMESTAMP",
              help="Tell only the SLA escalation levels reached, and the occurrences of "
                   "recurring windows begun, after this moment (the previous scheduled "
                   f"run's --now). {TIME_HELP} Default: every level reached by a running "
                   "clock, every occurrence under way (the ledger sends each once).")
@click.option("--remind", default="1h", show_default=True, metavar="DURATION",
              help="Tell about a maintenance window (or an occurrence of a recurring "
                   "one) this long before it starts.")
@click.option("--ledger", default="itsm/state", show_default=True, metavar="BRANCH",
              help="The branch whose notify/sent.json records what was sent.")
@click.option("--dry-run", "dry_run", is_flag=True,
              help="Compute and show the messages; send nothing.")
@click.option("--preview", is_flag=True,
              help="The messages the change would send, as markdown for a pull request "
                   "comment (implies --dry-run and --format markdown).")
@click.option("--format", "output_format", type=click.Choice(tuple(FORMATS)),
              default="text", show_default=True,
              help="Output for people or machines: text, json, markdown (a job summary; "
                   "with --preview, the pull request comment) or github (an error "
                   "annotation on the channel's file for each failed delivery).")
@click.pass_context
def command(ctx: click.Context, since: str, until: str, now: datetime,
            since_time: datetime | None, remind: str, ledger: str, dry_run: bool,
            preview: bool, output_format: str) -> int:
    """Tell the subscribers what changed between --since and --until.

    The events come from each commit of the range (incident opened, updated, resolved,
    reopened, component statuses changed; maintenance scheduled, moved, started,
    completed, canceled; requests submitted, approved, rejected, fulfilled; known errors
    published) and from --now (maintenance starting within --remind, each occurrence of
    a recurring window starting, SLA escalation levels: the people a level names get the
    e-mail too). Each event goes to the channels whose subscriptions want it, rendered by
    its template, and is sent once: the ledger on --ledger remembers what was sent.

    \b
    Examples:
      itsm notify --since "$BEFORE" --until "$AFTER"      # a push to main
      itsm notify --since origin/main --preview           # a pull request's comment
      itsm notify --since HEAD --now -0m --since-time -15m   # a scheduled run
      itsm notify --since "$BEFORE" --format github       # failures as annotations

    Exit 0 when everything was sent (or nothing was due), 1 when a delivery failed (the
    others were still sent; each failure names its channel, the record and what to do),
    2 on a usage error.
    """
    try:
        reminder = parse_duration(remind)
    except ValueError as error:
        raise UsageError(f"--remind: {error}") from None
    repo = repository(ctx)
    options = NotifyOptions(
        since, until, now, since_time, reminder, send=not (dry_run or preview),
        delivery=DeliveryOptions(ledger=ledger, author=bot_identity(os.environ)))
    result = notify(repo.config, options, now)
    click.echo(FORMATS["markdown" if preview else output_format](result, repo.config.timezone),
               nl=False)
    return ExitCode.FINDINGS if result.failed else ExitCode.OK
