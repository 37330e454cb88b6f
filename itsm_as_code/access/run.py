"""What comes before and around a plan: the access records must be valid (a typo in a
policy must never turn into a revoke), and the access step of `itsm run`.

The step never fails the run for drift: the plan is information, and `itsm access
apply` is what changes systems. A system whose settings are missing from the environment
(secrets are absent from pull requests of forks and on laptops) is a notice; a system
that is configured but cannot be reached, or refuses the credentials, is an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import PurePosixPath

from itsm_as_code.access.plan import make_plan
from itsm_as_code.access.report import plan_findings, plan_summary
from itsm_as_code.access.session import Session
from itsm_as_code.errors import ExitCode
from itsm_as_code.findings import Finding
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.runner import validate

ACCESS_KINDS = ("System", "AccessPolicy", "Person", "Team")


def access_errors(repo: Repository) -> list[Finding]:
    """Errors in Systems, AccessPolicies, People and Teams, or in files in their folders
    that could not be read (a person whose file is broken would silently lose access)."""
    folders = {KINDS[kind].folder for kind in ACCESS_KINDS}
    records = [record for record in repo.records if record.kind in ACCESS_KINDS]
    unread = [finding for finding in repo.findings if _folder(repo, finding.path) in folders]
    part = Repository(repo.config, records, unread)
    return [finding for finding in validate(part).findings if finding.level == "error"]


def _folder(repo: Repository, path: str) -> str | None:
    try:
        parts = PurePosixPath(path).relative_to(PurePosixPath(repo.config.records)).parts
    except ValueError:
        return None
    return parts[0] if parts else None


def plan_step(repo: Repository, now: datetime, environ: Mapping[str, str]
              ) -> tuple[ExitCode, str, list[Finding]]:
    """The exit code, a one-line summary and the findings of the access step."""
    if not repo.of_kind("AccessPolicy"):
        return ExitCode.OK, "no access policies", []
    if access_errors(repo):
        return ExitCode.OK, "not planned: the access records are invalid (see validate)", []
    with Session(repo.config, environ) as session:
        plan = make_plan(repo, now, session)
    findings = plan_findings(plan, repo, unconfigured="notice")
    configured = [error for error in plan.errors if error.configured]
    skipped = [error.system for error in plan.errors if not error.configured]
    summary = plan_summary(plan)
    if skipped:
        summary += f" (not configured here: {', '.join(skipped)})"
    return (ExitCode.USAGE if configured else ExitCode.OK), summary, findings
