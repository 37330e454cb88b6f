"""`itsm event ingest`: monitoring alerts in, new or updated incidents out."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import click

from itsm_as_code.cli.common import (
    commit_options,
    commit_target,
    format_option,
    now_option,
    read_input,
    shown_from_cwd,
)
from itsm_as_code.config import find_root, load_config
from itsm_as_code.errors import ExitCode, UsageError
from itsm_as_code.events.deliver import run_ingest
from itsm_as_code.events.github import ingest_github_event
from itsm_as_code.events.report import report
from itsm_as_code.events.sources import MAX_PAYLOAD_BYTES, SOURCES
from itsm_as_code.findings import count_by_level
from itsm_as_code.reporters import render


@click.group("event")
def command() -> None:
    """Event management: alerts from monitoring become incidents."""


@command.command("ingest")
@click.argument("payload", metavar="[FILE|-]", default="-")
@click.option("--source", type=click.Choice(sorted(SOURCES)),
              help="The payload's format: an Alertmanager webhook (version 4; the default), "
              "Grafana's webhook contact point, or generic events (see the README).")
@click.option("--github-event", "github_event", metavar="FILE",
              help="Read a GitHub repository_dispatch event (GITHUB_EVENT_PATH) instead of "
                   "a payload: the payload is client_payload.payload, its format "
                   "client_payload.source (default from the event's action: alert -> "
                   "alertmanager).")
@commit_options("the change", "two ingests on one branch stack up")
@format_option()
@now_option("When the commit is dated.")
@click.pass_context
def ingest(ctx: click.Context, payload: str, source: str | None, github_event: str | None,
           commit: bool, branch: str | None, output_format: str, now: datetime) -> int:
    """Turn the alerts of a payload (FILE, or - for standard input) into incidents.

    Each alert is classified by its severity (events.classes in itsm.yaml). An alert
    whose fingerprint an open incident carries updates that incident; a new alert on a
    service with an open incident within events.correlation_window joins it; otherwise
    an exception opens a new incident. A resolved alert adds an update (status
    events.resolved_status, default monitoring) and resolves the incident only when
    events.resolve_incident is true. Repeats of an alert that is still firing change
    nothing.

    A new incident is a new record file. An incident that exists is never rewritten:
    what one ingest does to it is one update file beside it (INC-0042.updates/), so
    comments in its file survive, and ingests and people updating it on other branches
    merge without a conflict.

    \b
    Exit codes:
      0  every alert was ingested, ignored by its class, or changed nothing
      1  an alert names no known service (reported, not guessed; the other alerts are
         still ingested), or the change would leave an incident invalid (nothing written)
      2  a malformed payload or event, or a bad option (nothing written)

    With --github-event FILE (in a workflow: "$GITHUB_EVENT_PATH"), FILE is the
    repository_dispatch event GitHub wrote: the producer's payload is
    client_payload.payload, whole (GitHub allows only 10 top-level properties in
    client_payload, so senders wrap), its format client_payload.source.
    """
    target = commit_target(commit, branch)
    if github_event is not None and \
            ctx.get_parameter_source("payload") != click.core.ParameterSource.DEFAULT:
        raise UsageError("--github-event FILE is the payload: give no FILE argument beside it")
    root = find_root(ctx.find_root().obj)
    if github_event is not None:
        raw = read_input(github_event, ctx.find_root().obj, MAX_PAYLOAD_BYTES)
        delivery = ingest_github_event(load_config(root), raw, github_event, source, now,
                                       target)
    else:
        name = "<stdin>" if payload == "-" else payload
        raw = read_input(payload, ctx.find_root().obj, MAX_PAYLOAD_BYTES)
        delivery = run_ingest(load_config(root), raw, source or "alertmanager", name, now,
                              target)
    shown = report(delivery, branch)
    if target is None:
        shown = replace(shown, findings=shown_from_cwd(list(shown.findings), root))
    click.echo(render(shown, output_format), nl=False)
    return ExitCode.FINDINGS if count_by_level(shown.findings)["error"] else ExitCode.OK
