"""`itsm sla check`: every SLA clock of the repository, its state and its deadline."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime

import click

from itsm_as_code.cli.common import format_option, now_option, run_context, shown_from_cwd
from itsm_as_code.errors import UsageError
from itsm_as_code.git.commit import bot_identity
from itsm_as_code.reporters import render
from itsm_as_code.sla.check import FAIL_ON, check
from itsm_as_code.sla.check_report import CHECK_OVERRIDES, clock_report
from itsm_as_code.sla.ledger import LedgerTarget, check_with_ledger
from itsm_as_code.sla.spec import CLOCKED_KINDS


@click.group("sla")
def command() -> None:
    """Service level agreements: the clocks of incidents and service requests.

    Each record has a response and a resolution clock for the SLA of every service
    it affects, counting the working time of the SLA's calendar while the record is
    not in one of the SLA's pause statuses.
    """


@command.command("check")
@now_option("The moment the clocks are computed for.")
@click.option("--fail-on", type=click.Choice(tuple(FAIL_ON)), default="breached",
              show_default=True,
              help="Exit 1 when a running clock is breached (or at risk, or never).")
@click.option("--running", is_flag=True,
              help="List and count only the clocks still running.")
@click.option("--ledger", metavar="BRANCH",
              help="Read the breaches already reported from sla/reported.json on BRANCH "
                   "(such as itsm/state): those are notices and fail no run; only a new "
                   "breach fails.")
@click.option("--commit", "commit", is_flag=True,
              help="With --ledger: commit the updated ledger to BRANCH (without a checkout; "
                   "retried when the branch moved). Pushing it is the workflow's job.")
@format_option(overrides=CHECK_OVERRIDES)
@click.pass_context
def check_command(ctx: click.Context, now: datetime, fail_on: str, running: bool,
                  ledger: str | None, commit: bool, output_format: str) -> int:
    """Compute every SLA clock as of --now and say which are met, breached, at risk,
    paused or within their target.

    \b
    States: a stopped clock is met (counted time <= target) or breached; a running
    clock is breached (past the target), paused (the record is in a pause status),
    at_risk (at or past the SLA's warn_at percent) or within.

    With --ledger BRANCH, a breach is reported once: the run that first sees it fails
    (an error annotation), later runs show it as a notice, and a breach that ended
    leaves the ledger (sla/reported.json on BRANCH, read from git; see the README).

    Exit 0 when no running clock is at the --fail-on level (breaches in the ledger
    aside); 1 when one is, or when a calendar or SLA is broken (unless --fail-on
    never); 2 on a usage error.
    """
    if commit and not ledger:
        raise UsageError("--commit records the breaches in a ledger: give --ledger BRANCH too")
    run = run_context(ctx, now, CLOCKED_KINDS)
    repo = run.repo
    result, kept = check(run), None
    if ledger is not None:
        target = LedgerTarget(ledger, commit, bot_identity(os.environ))
        result, kept = check_with_ledger(result, repo.root, target)
    report = clock_report(result.only_running() if running else result, fail_on, run.model,
                          lambda found: shown_from_cwd(found, repo.root))
    if kept is not None:
        report = replace(report, trailer=kept.lines(commit))
    click.echo(render(report, output_format, CHECK_OVERRIDES), nl=False)
    return report.check.exit_code(fail_on)
