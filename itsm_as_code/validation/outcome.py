"""What a validation found: the findings and counts `itsm validate` reports, and the
findings under the paths a run names (a light module: a run answered from the kept
result of the last one imports neither the model nor the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from itsm_as_code.findings import Finding, Summary, count_by_level
from itsm_as_code.model.steps import UPDATES
from itsm_as_code.reporters import Report


@dataclass(frozen=True)
class ValidationSummary:
    """The counts of a validation, for machines (the JSON summary)."""

    records: int
    files_with_findings: int
    errors: int
    warnings: int
    valid: bool


@dataclass(frozen=True)
class Validation:
    """Everything `itsm validate` found, sorted by file and line."""

    findings: list[Finding]
    records: int
    files: int

    @property
    def errors(self) -> int:
        return count_by_level(self.findings)["error"]

    def summary(self) -> ValidationSummary:
        counts = count_by_level(self.findings)
        return ValidationSummary(self.records, len({finding.path for finding in self.findings}),
                                 counts["error"], counts["warning"], not counts["error"])

    def report(self) -> Report:
        """The findings, the counts for machines and one line for people."""
        figures = self.summary()
        text = (f"{figures.errors} error(s), {figures.warnings} warning(s) in "
                f"{figures.files_with_findings} file(s) ({self.records} records checked)"
                if self.findings else f"ok: {self.records} records valid")
        return Report(Summary("itsm validate", text, asdict(figures)), self.findings)


def select(findings: list[Finding], paths: Sequence[str]) -> list[Finding]:
    """The findings under `paths` (relative to the repository root); all without paths.

    A record file and its updates folder are one record: naming either selects the
    findings of both (a pre-commit hook names only the files a commit changed)."""
    if not paths:
        return findings
    wanted = [whole for path in paths for whole in _with_updates(path.strip("/"))]
    return [finding for finding in findings if _under(finding.path, wanted)]


def _with_updates(path: str) -> list[str]:
    """`path`, plus the rest of the record it belongs to when it is a record or update."""
    folder, _, name = path.rpartition("/")
    if folder.endswith(UPDATES):
        record = folder[:-len(UPDATES)]
        return [folder, f"{record}.yaml", f"{record}.yml"]
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in ("yaml", "yml"):
        return [path, f"{folder}/{stem}{UPDATES}" if folder else f"{stem}{UPDATES}"]
    return [path]


def _under(path: str, prefixes: Sequence[str]) -> bool:
    for prefix in prefixes:
        prefix = prefix.strip("/")
        if prefix in ("", ".") or path == prefix or path.startswith(prefix + "/"):
            return True
    return False
