"""`itsm problems detect`: recurring incidents that may share one cause."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import click

from itsm_as_code.cli.common import format_option, now_option, run_context, shown_from_cwd
from itsm_as_code.errors import ExitCode
from itsm_as_code.problems.detect import DEFAULT_THRESHOLD, detect
from itsm_as_code.problems.report import report
from itsm_as_code.problems.write import write_problems
from itsm_as_code.reporters import render
from itsm_as_code.timefmt import parse_duration


@click.group("problems")
def command() -> None:
    """Problem management: find incidents that keep coming back."""


def _window(ctx: click.Context, param: click.Parameter, value: str) -> timedelta:
    try:
        window = parse_duration(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    if not window:
        raise click.BadParameter("the window must be longer than 0s")
    return window


@command.command("detect")
@click.option("--window", default="30d", show_default=True, callback=_window,
              metavar="DURATION",
              help="Only incidents opened within this long before --now (like 14d, 30d).")
@click.option("--threshold", type=click.IntRange(min=2), default=DEFAULT_THRESHOLD,
              show_default=True, help="The fewest incidents that make a candidate.")
@click.option("--write", is_flag=True,
              help="Write a new Problem record (status new) for each candidate.")
@click.option("--fail-on", type=click.Choice(("candidate", "never")), default="never",
              show_default=True, help="Exit 1 when there is a candidate (or never).")
@now_option("The end of the window.")
@format_option()
@click.pass_context
def detect_command(ctx: click.Context, window: timedelta, threshold: int, write: bool,
                   fail_on: str, now: datetime, output_format: str) -> int:
    """List candidate problems: incidents not linked to a problem that share a service
    and an alert fingerprint, a category or a similar title.

    \b
    An incident counts when it was opened within --window before --now, is not
    canceled, and no problem links it (its `problem` field or a Problem's
    `incidents`). Within one service, incidents that share an alert fingerprint,
    a category or a similar title are linked; each linked group of --threshold or
    more incidents is a candidate. Titles are similar when their normalised words
    (lower case, numbers and ids as <n>, host names as <host>, common words
    dropped) overlap by at least half (Jaccard similarity >= 0.5).

    With --write, each candidate becomes a Problem record (status new, its
    incidents linked, priority of the highest incident, owner the lead of the
    service's team), checked like `itsm new problem`; the new files are named.

    Exit 0: this is a report. With --fail-on candidate, exit 1 when there is a
    candidate. Exit 2 on a usage error.
    """
    run = run_context(ctx, now, ("Incident",))
    detection = detect(run, window, threshold)
    written = []
    if write:
        for created in write_problems(run, detection.candidates):
            written.append(os.path.relpath(created.path, Path.cwd()).replace(os.sep, "/"))
    shown = report(detection, written)
    shown = replace(shown, findings=shown_from_cwd(list(shown.findings), run.repo.root))
    click.echo(render(shown, output_format), nl=False)
    if fail_on == "candidate" and detection.candidates:
        return ExitCode.FINDINGS
    return ExitCode.OK
