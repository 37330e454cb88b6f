"""`itsm run`: the steps CI runs on a repository, over records loaded once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from itsm_as_code.errors import ExitCode
from itsm_as_code.findings import Finding, count_by_level
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.runner import validate


@dataclass(frozen=True)
class StepResult:
    """What one step did: its exit code, one line for people, and its findings."""

    name: str
    exit_code: ExitCode
    summary: str
    findings: list[Finding] = field(default_factory=list)


Step = Callable[[Repository], StepResult]


def validate_step(repo: Repository) -> StepResult:
    report = validate(repo)
    errors = count_by_level(report.findings)["error"]
    if errors:
        return StepResult("validate", ExitCode.FINDINGS,
                          f"{errors} error(s) in {report.records} records", report.findings)
    return StepResult("validate", ExitCode.OK, f"{report.records} records valid",
                      report.findings)


STEPS: dict[str, Step] = {"validate": validate_step}


def run(
    repo: Repository, on_start: Callable[[int, str], None] = lambda index, name: None
) -> list[StepResult]:
    """Run every step in order; `on_start` is told as each begins (for progress lines)."""
    results = []
    for index, (name, step) in enumerate(STEPS.items(), start=1):
        on_start(index, name)
        results.append(step(repo))
    return results
