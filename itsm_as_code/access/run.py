"""What comes before and around a plan: the access records must be valid (a typo in a
policy must never turn into a revoke), and the access step of `itsm run`.

The step never fails the run for drift: the plan is information, and `itsm access
apply` is what changes systems. A system whose settings are missing from the environment
(secrets are absent from pull requests of forks and on laptops) is a notice; a system
that is configured but cannot be reached, or refuses the credentials, is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import PurePosixPath

from itsm_as_code.access.plan import make_plan
from itsm_as_code.access.report import plan_findings, plan_summary
from itsm_as_code.access.session import Session
from itsm_as_code.errors import ExitCode
from itsm_as_code.findings import Finding
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.model import Model
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository

ACCESS_KINDS = ("System", "AccessPolicy", "Person", "Team")

# The record rules, run on some records (all of them, then those that passed their
# schema) with the model around them: validation's `judge`, passed in by the caller,
# since validation sits above access (its access rules read access/).
Judge = Callable[[Model, Sequence[Record], Sequence[Record], datetime | None], list[Finding]]


def access_errors(ctx: RunContext, judge: Judge) -> list[Finding]:
    """Errors in Systems, AccessPolicies, People and Teams, or in files in their folders
    that could not be read (a person whose file is broken would silently lose access).

    The schema verdict is the run's (checked once); only the access kinds are checked.
    """
    repo, model = ctx.repo, ctx.model
    folders = {KINDS[kind].folder for kind in ACCESS_KINDS}
    records = [record for record in repo.records if record.kind in ACCESS_KINDS]
    valid = [record for kind in ACCESS_KINDS for record in model.valid_records(kind)]
    found = [*(finding for finding in repo.findings if _folder(repo, finding.path) in folders),
             *model.schema_findings(ACCESS_KINDS), *judge(model, records, valid, ctx.now)]
    return sorted({finding for finding in found if finding.level == "error"})


def _folder(repo: Repository, path: str) -> str | None:
    try:
        parts = PurePosixPath(path).relative_to(PurePosixPath(repo.config.records)).parts
    except ValueError:
        return None
    return parts[0] if parts else None


def plan_step(ctx: RunContext, environ: Mapping[str, str], judge: Judge
              ) -> tuple[ExitCode, str, list[Finding]]:
    """The exit code, a one-line summary and the findings of the access step."""
    if not ctx.repo.of_kind("AccessPolicy"):
        return ExitCode.OK, "no access policies", []
    if access_errors(ctx, judge):
        return ExitCode.OK, "not planned: the access records are invalid (see validate)", []
    with Session(ctx.config, environ) as session:
        plan = make_plan(ctx, session)
    findings = plan_findings(plan, ctx.model, unconfigured="notice")
    configured = [error for error in plan.errors if error.configured]
    skipped = [error.system for error in plan.errors if not error.configured]
    summary = plan_summary(plan)
    if skipped:
        summary += f" (not configured here: {', '.join(skipped)})"
    return (ExitCode.USAGE if configured else ExitCode.OK), summary, findings

