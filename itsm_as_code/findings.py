"""The finding value: one thing wrong (or worth saying) about one place in one file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

Level = Literal["error", "warning", "notice"]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found at `path:line:column`, raised by `rule`.

    Fields are ordered so that sorting findings sorts them as a reader expects:
    by file, then line, then column.
    """

    path: str
    line: int
    column: int
    rule: str
    message: str
    record: str | None = None
    level: Level = "error"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def count_by_level(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "notice": 0}
    for finding in findings:
        counts[finding.level] += 1
    return counts


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(finding.level == "error" for finding in findings)
