"""`itsm run`: the steps CI runs on a repository, over records loaded once."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from itsm_as_code.access.run import plan_step
from itsm_as_code.errors import ExitCode, ItsmError
from itsm_as_code.findings import Finding, count_by_level
from itsm_as_code.problems.detect import detect
from itsm_as_code.problems.report import candidate_findings
from itsm_as_code.problems.report import summary as problems_summary
from itsm_as_code.site.build import BuildOptions, build_site
from itsm_as_code.sla.check import check, clock_findings
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.runner import validate


@dataclass(frozen=True)
class StepResult:
    """What one step did: its exit code, one line for people, and its findings."""

    name: str
    exit_code: ExitCode
    summary: str
    findings: list[Finding] = field(default_factory=list)


# Every step gets the run's `now`, read once by the command line: steps that deal with
# time (SLA clocks, expiring grants) agree on it, and tests can pin it.
Step = Callable[[Repository, datetime], StepResult]


def validate_step(repo: Repository, now: datetime) -> StepResult:
    report = validate(repo)
    errors = count_by_level(report.findings)["error"]
    if errors:
        return StepResult("validate", ExitCode.FINDINGS,
                          f"{errors} error(s) in {report.records} records", report.findings)
    return StepResult("validate", ExitCode.OK, f"{report.records} records valid",
                      report.findings)


def sla_step(repo: Repository, now: datetime) -> StepResult:
    """Fails only on breached running clocks, like `itsm sla check --fail-on breached`;
    broken calendars and SLAs are the validate step's findings, not reported twice."""
    result = check(repo, now)
    code = ExitCode.FINDINGS if result.failing("breached") else ExitCode.OK
    return StepResult("sla", code, result.summary_text("breached"),
                      clock_findings(result, repo))


def access_step(repo: Repository, now: datetime) -> StepResult:
    """The access plan, as information: drift never fails the run; a system whose secrets
    are not in this environment is a notice, one that is configured but unreachable an
    error. Secrets are read from the environment here, like the command line does."""
    return StepResult("access", *plan_step(repo, now, os.environ))


SITE_FOLDER = "_site"


def site_step(repo: Repository, now: datetime) -> StepResult:
    """The public status site, built into `_site/` at the repository root (what the
    Pages workflow publishes). Records with errors build nothing; validate reports them."""
    try:
        result = build_site(repo, BuildOptions(repo.root / SITE_FOLDER, now))
    except ItsmError as error:
        return StepResult("site", error.exit_code, f"not built: {error}")
    if not result.built:
        return StepResult("site", ExitCode.FINDINGS, f"not built: {len(result.findings)} "
                          "error(s) in the records (see validate)")
    return StepResult("site", ExitCode.OK, result.summary(SITE_FOLDER))


def problems_step(repo: Repository, now: datetime) -> StepResult:
    """Candidate problems (`itsm problems detect` with its defaults), as information: a
    candidate is for people to judge and never fails the run."""
    detection = detect(repo, now)
    return StepResult("problems", ExitCode.OK, problems_summary(detection).text,
                      candidate_findings(detection))


STEPS: dict[str, Step] = {"validate": validate_step, "sla": sla_step, "access": access_step,
                          "problems": problems_step, "site": site_step}


def run(
    repo: Repository, now: datetime,
    on_start: Callable[[int, str], None] = lambda index, name: None,
) -> Iterator[StepResult]:
    """Run every step in order, yielding each result as it is done; `on_start` is told as
    each step begins (for progress lines)."""
    for index, (name, step) in enumerate(STEPS.items(), start=1):
        on_start(index, name)
        yield step(repo, now)
