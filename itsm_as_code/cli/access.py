"""`itsm access plan | apply | review`: reconcile access with the policies, and review it."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from itsm_as_code.access import evidence
from itsm_as_code.access.apply import ApplyReport, apply
from itsm_as_code.access.plan import Plan, make_plan
from itsm_as_code.access.report import PLAN_OVERRIDES, apply_report, plan_report
from itsm_as_code.access.review import REVIEW_OVERRIDES, review, review_report
from itsm_as_code.access.run import access_errors
from itsm_as_code.access.session import Session
from itsm_as_code.cli.common import format_option, now_option, repository, shown_from_cwd
from itsm_as_code.errors import ExitCode
from itsm_as_code.findings import Summary
from itsm_as_code.model.context import RunContext
from itsm_as_code.reporters import Report, Reporter, render
from itsm_as_code.validation.runner import judge


def _options(overrides: Mapping[str, Reporter]) -> Callable[[Any], Any]:
    def decorate(function: Any) -> Any:
        for option in reversed((
            click.option("--system", "system", metavar="ID", default=None,
                         help="Only this System (default: every system with policies)."),
            format_option(overrides=overrides),
            now_option("The moment grants are judged expired or expiring at."),
        )):
            function = option(function)
        return function
    return decorate


@click.group("access")
def command() -> None:
    """Reconcile access on real systems with the AccessPolicy records, and review it.

    The desired state of a policy is its grants that are approved by an owner (not the
    subject), have not expired, and whose people are active; a Team stands for its
    members. Secrets come only from the environment variables a System names.

    \b
    Exit codes: 0 done; 1 invalid access records, a refused or failed apply;
    2 a system not reachable or misconfigured (the others are still planned),
    or, with plan --detailed-exitcode, changes to make.
    """


@command.command("plan")
@_options(PLAN_OVERRIDES)
@click.option("--detailed-exitcode", is_flag=True,
              help="Exit 2 when there are changes to make, 0 when there are none.")
@click.pass_context
def plan_command(ctx: click.Context, system: str | None, output_format: str, now: datetime,
                 detailed_exitcode: bool) -> int:
    """Show what apply would grant and revoke, and the members kept unmanaged.

    Reads every system once. Exit 0 whether or not there are changes, unless
    --detailed-exitcode (then 2 when there are changes, like terraform plan).
    --format markdown is the pull request comment, marked on its first line so that a
    workflow can update it in place.
    """
    run = RunContext(repository(ctx), now)
    if not _valid(run):
        return ExitCode.FINDINGS
    with Session(run.config, os.environ) as session:
        plan = make_plan(run, session, system)
    click.echo(render(plan_report(plan, run.model), output_format, PLAN_OVERRIDES), nl=False)
    _errors(plan)
    if plan.errors or (detailed_exitcode and plan.changes):
        return ExitCode.USAGE
    return ExitCode.OK


@command.command("apply")
@_options({})
@click.option("--yes", is_flag=True, help="Make the changes (without it, only plan).")
@click.option("--max-removals", type=click.IntRange(min=0), default=None, metavar="N",
              help="Refuse when the plan removes more than N members "
                   "(default: access.max_removals in itsm.yaml, else 10).")
@click.option("--evidence", "evidence_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="DIR", help="Write the run's evidence file into DIR.")
@click.pass_context
def apply_command(ctx: click.Context, system: str | None, output_format: str, now: datetime,
                  yes: bool, max_removals: int | None, evidence_dir: Path | None) -> int:
    """Plan, then make the changes: grants before revokes, each verified by reading back.

    Re-reads the actual state first and refuses, changing nothing, when the plan removes
    more than --max-removals members. A failing change does not stop the others; every
    failure is reported. A second apply changes nothing. Without --yes it only plans.
    """
    run = RunContext(repository(ctx), now)
    if not _valid(run):
        return ExitCode.FINDINGS
    limit = run.config.max_removals if max_removals is None else max_removals
    with Session(run.config, os.environ) as session:
        plan = make_plan(run, session, system)
        report = apply(plan, session, limit) if yes else ApplyReport(plan)
    if yes:
        click.echo(render(apply_report(report), output_format), nl=False)
    else:
        click.echo(render(plan_report(plan, run.model), output_format, PLAN_OVERRIDES),
                   nl=False)
        click.echo("This was a plan only: rerun with --yes to apply it.", err=True)
    if evidence_dir is not None:
        provenance = evidence.Provenance(
            _actor(), "itsm access apply" + (" --yes" if yes else ""), yes,
            os.environ.get("GITHUB_SHA"), _run_url())
        written = evidence.write(ctx.obj / evidence_dir, evidence.document(report, provenance),
                                 now)
        click.echo(f"evidence: {os.path.relpath(written)}", err=True)
    if report.refused:
        click.echo(f"error: {report.refused}", err=True)
    _errors(plan)
    if plan.errors:
        return ExitCode.USAGE
    return ExitCode.OK if report.succeeded else ExitCode.FINDINGS


@command.command("review")
@_options(REVIEW_OVERRIDES)
@click.pass_context
def review_command(ctx: click.Context, system: str | None, output_format: str,
                   now: datetime) -> int:
    """List every account in every managed role: the policy and grant that give it (or
    none), approver, age, expiry; grants expiring within 14 days; leavers with access.

    For recertification campaigns: --format csv opens in a spreadsheet.
    """
    run = RunContext(repository(ctx), now)
    if not _valid(run):
        return ExitCode.FINDINGS
    with Session(run.config, os.environ) as session:
        plan = make_plan(run, session, system)
    result = review(plan, ZoneInfo(run.config.timezone))
    click.echo(render(review_report(result), output_format, REVIEW_OVERRIDES), nl=False)
    _errors(plan)
    return ExitCode.USAGE if plan.errors else ExitCode.OK


def _valid(run: RunContext) -> bool:
    errors = shown_from_cwd(access_errors(run, judge), run.repo.root)
    if errors:
        text = (f"error: {len(errors)} error(s) in the access records: fix them (see "
                "`itsm validate`) before planning access")
        click.echo(render(Report(Summary("itsm access", text, {}), errors), "text"), err=True,
                   nl=False)
    return not errors


def _errors(plan: Plan) -> None:
    for error in plan.errors:
        click.echo(f"error: {error}", err=True)


def _actor() -> str:
    for name in ("GITHUB_ACTOR", "USER", "LOGNAME"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _run_url() -> str | None:
    parts = [os.environ.get(name) for name in
             ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")]
    if not all(parts):
        return None
    return f"{parts[0]}/{parts[1]}/actions/runs/{parts[2]}"
