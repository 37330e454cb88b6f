"""`itsm run`: the steps CI runs on a repository, over records loaded once.

Every step gets the run's one `RunContext`: the records loaded once, the model (each
record's schema checked once: the validate step asks for the verdict, later steps reuse
it), the run's `now` read once by the command line (steps that deal with time agree on
it, and tests can pin it), and the results several steps share.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field

from itsm_as_code.access.run import plan_step
from itsm_as_code.errors import ExitCode, ItsmError
from itsm_as_code.findings import Finding, Summary, count_by_level
from itsm_as_code.model.context import RunContext
from itsm_as_code.problems.detect import detect
from itsm_as_code.problems.report import candidate_findings
from itsm_as_code.problems.report import summary as problems_summary
from itsm_as_code.reporters import Report
from itsm_as_code.site.build import BuildOptions, build_site
from itsm_as_code.sla.check import check, clock_findings
from itsm_as_code.validation.runner import judge, validate


@dataclass(frozen=True)
class StepResult:
    """What one step did: its exit code, one line for people, and its findings."""

    name: str
    exit_code: ExitCode
    summary: str
    findings: list[Finding] = field(default_factory=list)


Step = Callable[[RunContext], StepResult]


def validate_step(ctx: RunContext) -> StepResult:
    report = validate(ctx.model, now=ctx.now)
    errors = count_by_level(report.findings)["error"]
    if errors:
        return StepResult("validate", ExitCode.FINDINGS,
                          f"{errors} error(s) in {report.records} records", report.findings)
    return StepResult("validate", ExitCode.OK, f"{report.records} records valid",
                      report.findings)


def sla_step(ctx: RunContext) -> StepResult:
    """Fails only on breached running clocks, like `itsm sla check --fail-on breached`;
    broken calendars and SLAs are the validate step's findings, not reported twice."""
    result = check(ctx)
    code = ExitCode.FINDINGS if result.failing("breached") else ExitCode.OK
    return StepResult("sla", code, result.summary_text("breached"),
                      clock_findings(result, ctx.model))


def access_step(ctx: RunContext) -> StepResult:
    """The access plan, as information: drift never fails the run; a system whose secrets
    are not in this environment is a notice, one that is configured but unreachable an
    error. Secrets are read from the environment here, like the command line does."""
    return StepResult("access", *plan_step(ctx, os.environ, judge))


SITE_FOLDER = "_site"


def site_step(ctx: RunContext) -> StepResult:
    """The public status site, built into `_site/` at the repository root (what the
    Pages workflow publishes). Records with errors build nothing; validate reports them."""
    try:
        result = build_site(ctx, BuildOptions(ctx.repo.root / SITE_FOLDER))
    except ItsmError as error:
        return StepResult("site", error.exit_code, f"not built: {error}")
    if not result.built:
        return StepResult("site", ExitCode.FINDINGS, f"not built: {len(result.findings)} "
                          "error(s) in the records (see validate)")
    return StepResult("site", ExitCode.OK, result.summary(SITE_FOLDER))


def problems_step(ctx: RunContext) -> StepResult:
    """Candidate problems (`itsm problems detect` with its defaults), as information: a
    candidate is for people to judge and never fails the run."""
    detection = detect(ctx)
    return StepResult("problems", ExitCode.OK, problems_summary(detection).text,
                      candidate_findings(detection))


STEPS: dict[str, Step] = {"validate": validate_step, "sla": sla_step, "access": access_step,
                          "problems": problems_step, "site": site_step}


def run(
    ctx: RunContext, on_start: Callable[[int, str], None] = lambda index, name: None,
) -> Iterator[StepResult]:
    """Run every step in order on the one context of the run, yielding each result as it
    is done; `on_start` is told as each step begins (for progress lines)."""
    for index, (name, step) in enumerate(STEPS.items(), start=1):
        on_start(index, name)
        yield step(ctx)


@dataclass(frozen=True)
class StepSummary:
    name: str
    exit_code: int
    summary: str


@dataclass(frozen=True)
class RunSummary:
    """Each step's code and line, and whether the run passed, for machines."""

    steps: list[StepSummary]
    passed: bool


@dataclass(frozen=True)
class RunResult:
    """What `itsm run` did: every step's result, in order, and how long it took."""

    steps: list[StepResult]
    seconds: float

    @property
    def failed(self) -> list[str]:
        return [step.name for step in self.steps if step.exit_code != 0]

    @property
    def exit_code(self) -> int:
        """The worst of the steps' codes."""
        return max((int(step.exit_code) for step in self.steps), default=0)

    def report(self) -> Report:
        """Every step's findings, then one closing line."""
        failed = self.failed
        text = (f"itsm run: {len(self.steps)} step(s) in {self.seconds:.2f}s: "
                + (f"failed: {', '.join(failed)}" if failed else "all passed"))
        figures = RunSummary([StepSummary(step.name, int(step.exit_code), step.summary)
                              for step in self.steps], not failed)
        findings = [finding for step in self.steps for finding in step.findings]
        return Report(Summary("itsm run", text, asdict(figures)), findings)
