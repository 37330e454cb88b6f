"""`itsm ops`: routines report their runs (`checkin`); missed and failed runs are found
(`check`)."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime

import click

from itsm_as_code.cli.common import (
    TIME_HELP,
    format_option,
    now_option,
    repository,
    settings,
    shown_from_cwd,
    timestamp,
)
from itsm_as_code.errors import ExitCode, UsageError
from itsm_as_code.findings import count_by_level
from itsm_as_code.git.commit import bot_identity
from itsm_as_code.git.onbranch import Target
from itsm_as_code.model.context import RunContext
from itsm_as_code.ops.checkin import checkin
from itsm_as_code.ops.checkins import STATUSES
from itsm_as_code.ops.incidents import watch
from itsm_as_code.ops.report import report
from itsm_as_code.reporters import render


@click.group("ops")
def command() -> None:
    """IT operations: routines (backups, batch jobs, certificate checks) report each run,
    and runs that were missed, failed or showed bad evidence are found.
    """


@command.command("checkin")
@click.argument("routine")
@click.option("--status", type=click.Choice(STATUSES), required=True,
              help="How the run ended.")
@click.option("--evidence", "evidence", multiple=True, metavar="KEY=VALUE",
              help="What the run showed, one of the routine's evidence keys (repeat it): "
                   "--evidence size=52428800 --evidence checksum=sha256:9f86d0...")
@click.option("--at", "at", callback=lambda c, p, v: timestamp(c, p, v) if v else None,
              metavar="TIME", help=f"When the run happened (default: now). {TIME_HELP}")
@click.option("--commit", "commit", is_flag=True,
              help="Commit the check-in to --branch (without a checkout; retried when the "
                   "branch moved) instead of writing it into the work tree. Pushing the "
                   "branch is the caller's step.")
@click.option("--branch", metavar="NAME",
              help="The branch --commit adds to; it holds check-ins alone (default: "
                   "itsm.yaml's operations.branch, itsm/ops).")
@now_option("The moment the check-in is recorded at (the commit's date).")
@click.pass_context
def checkin_command(ctx: click.Context, routine: str, status: str, evidence: tuple[str, ...],
                    at: datetime | None, commit: bool, branch: str | None, now: datetime,
                    ) -> int:
    """Record one run of ROUTINE: a new file ops/checkins/ROUTINE/YYYY-MM/TIME-TOKEN.yaml,
    in the work tree or, with --commit, on the ops branch (itsm.yaml's operations.branch,
    default itsm/ops), so runs never conflict with each other or with pull requests.

    \b
    From a cron job, after the backup:
      pg_dump payments > /backup/payments.sql && itsm -C /srv/itsm ops checkin \\
        nightly-db-backup --status ok --evidence size=$(stat -c%s /backup/payments.sql) \\
        --commit && git -C /srv/itsm push origin itsm/ops

    Exit 0 recorded; 2 an unknown routine or evidence key, a value of the wrong type, a
    time in the future, or a branch that cannot be written (nothing recorded).
    """
    if branch is not None and not commit:
        raise UsageError("--branch is used with --commit")
    repo = repository(ctx)
    target = Target(branch or repo.config.ops_branch, bot_identity(os.environ)) \
        if commit else None
    done = checkin(RunContext(repo, now), routine, status,  # type: ignore[arg-type]
                   list(evidence), at, target)
    click.echo("\n".join(done.lines()))
    return ExitCode.OK


@command.command("branch")
@click.pass_context
def branch_command(ctx: click.Context) -> int:
    """Print the branch routines' check-ins live on: itsm.yaml's operations.branch
    (default itsm/ops), for the scripts that fetch or push it.

    \b
      git -C /srv/itsm push origin "$(itsm -C /srv/itsm ops branch)"

    Exit 0; 2 when itsm.yaml cannot be read.
    """
    click.echo(settings(ctx).ops_branch)
    return ExitCode.OK


@command.command("check")
@now_option("The moment the runs are judged at: runs due later are not due yet.")
@click.option("--branch", metavar="NAME",
              help="The branch the check-ins are read from, with ops/checkins/ in the work "
                   "tree (a missing branch holds none; default: itsm.yaml's "
                   "operations.branch, itsm/ops).")
@click.option("--open-incidents", "open_for", is_flag=True,
              help="Turn each missed or failed routine into an incident through the event "
                   "path (one alert per routine: deduplicated, resolved by its next good run).")
@click.option("--commit-incidents", "incidents_branch", metavar="BRANCH",
              help="With --open-incidents: commit the incidents on BRANCH (as itsm event "
                   "ingest --commit --branch) instead of writing the work tree.")
@format_option()
@click.pass_context
def check_command(ctx: click.Context, now: datetime, branch: str | None, open_for: bool,
                  incidents_branch: str | None, output_format: str) -> int:
    """Judge every routine's runs of the last 90 days as of --now: its last run, last good
    run and next due time, and its missed runs (the due time plus the grace period passed
    with no check-in), failed runs and runs whose evidence broke a rule.

    Exit 0 when every routine's latest news is good (or it is new); 1 when one is missed
    or failed, or an incident could not be opened; 2 on a usage error.
    """
    if incidents_branch and not open_for:
        raise UsageError("--commit-incidents is used with --open-incidents")
    repo = repository(ctx)
    target = Target(incidents_branch, bot_identity(os.environ)) if incidents_branch else None
    result, delivery = watch(RunContext(repo, now), branch, open_for, target)
    shown = report(result, delivery, incidents_branch)
    shown = replace(shown, findings=shown_from_cwd(list(shown.findings), repo.root))
    click.echo(render(shown, output_format), nl=False)
    failing = result.failing or count_by_level(shown.findings)["error"]
    return ExitCode.FINDINGS if failing else ExitCode.OK
