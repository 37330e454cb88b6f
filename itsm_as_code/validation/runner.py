"""Running a validation: schema checks per record, then the cross-record rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from itsm_as_code.findings import Finding
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.store.schema import SchemaCheck
from itsm_as_code.validation.rules import RULES


@dataclass(frozen=True)
class ValidationReport:
    """Everything `itsm validate` found, sorted by file and line."""

    findings: list[Finding]
    records: int
    files: int


def validate(repo: Repository, paths: Sequence[str] = ()) -> ValidationReport:
    """Check every record of `repo`; with `paths`, report only findings under those paths.

    The whole repository is always checked, because a reference in one file depends on
    the others; `paths` (relative to the repository root) narrows what is reported.
    """
    check = SchemaCheck()
    findings = list(repo.findings)
    valid: list[Record] = []
    for record in repo.records:
        problems = check.check(record)
        if problems:
            findings.extend(problems)
        else:
            valid.append(record)
    for rule in RULES.values():
        findings.extend(rule.check(repo, repo.records if rule.any_shape else valid))
    files = len(repo.records) + len(repo.findings)
    return ValidationReport(sorted(set(select(findings, paths))), len(repo.records), files)


def select(findings: list[Finding], paths: Sequence[str]) -> list[Finding]:
    """The findings under `paths` (relative to the repository root); all without paths."""
    if not paths:
        return findings
    return [finding for finding in findings if _under(finding.path, paths)]


def _under(path: str, prefixes: Sequence[str]) -> bool:
    for prefix in prefixes:
        prefix = prefix.strip("/")
        if prefix in ("", ".") or path == prefix or path.startswith(prefix + "/"):
            return True
    return False
