"""What every lifecycle step command shares (`itsm update`, `ack`, `resolve`, ...): the
options each takes, their checks, the exit codes they document, and the one call that runs
the step and renders its report."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

import click

from itsm_as_code.cli.common import (
    TIME_HELP,
    format_option,
    show_progress,
    shown_from_cwd,
    timestamp,
    wall_clock,
)
from itsm_as_code.config import find_root
from itsm_as_code.errors import ExitCode
from itsm_as_code.reporters import render
from itsm_as_code.steps.request import StepRequest
from itsm_as_code.steps.run import run_step

F = Callable[..., Any]
AFTER = """\b
Exit codes:
  0  written
  1  refused: a move the lifecycle does not allow, or a record that would be
     invalid (nothing written)
  2  usage: an unknown id, person, status or service, or a bad time"""


def optional_time(ctx: click.Context, param: click.Parameter, value: str | None,
                  ) -> datetime | None:
    return None if value is None else timestamp(ctx, param, value)


def service_statuses(ctx: click.Context, param: click.Parameter, values: tuple[str, ...],
              ) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        service, colon, status = value.partition(":")
        if not colon or not service or not status:
            raise click.BadParameter(f"{value!r} is not ID:STATUS, such as "
                                     "api:partial_outage")
        pairs.append((service, status))
    return tuple(pairs)


def step_options(*extra: F, message: bool = True, audience: bool = True) -> Callable[[F], F]:
    """The options every step takes (ID, --at, --author, --commit, --base, --format), with
    `extra` options of the command's own."""
    options: list[F] = [
        click.argument("record_id", metavar="ID"),
        *extra,
        *([click.option("-m", "--message", help="The entry's text (markdown; default: the "
                        "step's own words).")] if message else []),
        *([click.option("--public/--internal", "public", default=None,
                        help="Whether the entry is on the public status site (default: as "
                        "the step is; an incident update, a resolution, a reopening and "
                        "every maintenance step are public, the others internal).")]
          if audience else []),
        click.option("--at", callback=optional_time, metavar="TIME",
                     help=f"When it happened (default: now). {TIME_HELP}"),
        click.option("--author", metavar="PERSON", help="Who takes the step (default: the "
                     "Person whose email is git's user.email, else $ITSM_AUTHOR)."),
        click.option("--commit", is_flag=True, help="Commit exactly the files the step "
                     "writes on the checked-out branch (nothing else that is staged or "
                     "changed)."),
        click.option("--base", metavar="REF", help="Check the step against the lifecycle "
                     "rules of this revision, as `itsm validate --base REF` will (default: "
                     "HEAD, when there is one)."),
        format_option("text", "json"),
    ]

    def decorate(function: F) -> F:
        for option in reversed(options):
            function = option(function)
        return function
    return decorate


def run(verb: str, record_id: str, output_format: str, **fields: Any) -> int:
    ctx = click.get_current_context()
    start = ctx.find_root().obj
    outcome = run_step(start, StepRequest(verb, record_id, **fields), wall_clock(),
                       os.environ, show_progress)
    report = outcome.report()
    shown = shown_from_cwd(list(report.findings), find_root(start))
    click.echo(render(replace(report, findings=shown), output_format), nl=False)
    return ExitCode.OK if outcome.written else ExitCode.FINDINGS


STATUS = click.option("--status", metavar="STATUS", help="The status it moves to.")
ASSIGNEE = click.option("--assignee", metavar="PERSON", help="Assign it to this Person.")
TEAM = click.option("--team", metavar="TEAM", help="Assign it to this Team.")


BY = click.option("--by", "approver", metavar="PERSON", required=True,
                   help="The Person who decided.")
