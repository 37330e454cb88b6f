"""The finding value: one thing wrong (or worth saying) about one place in one file, and
the summary a command says after its findings. Reporters (reporters.py) render both."""

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


# The most characters of a finding's message a refusal quotes: a schema message quotes
# the value it judges, which an alert storm or a pasted log makes megabytes long.
MAX_MESSAGE = 300


def shortened(message: str, limit: int = MAX_MESSAGE) -> str:
    """`message`, cut to `limit` characters ending in "..." when it is longer."""
    return message if len(message) <= limit else message[:limit - 3] + "..."


def count_by_level(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "notice": 0}
    for finding in findings:
        counts[finding.level] += 1
    return counts


@dataclass(frozen=True)
class Summary:
    """What a command says after its findings: a title, a line for people, data for machines."""

    title: str
    text: str
    data: dict[str, Any]


def markdown_cell(text: str) -> str:
    """Text made safe for one cell of a markdown table."""
    for old, new in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;"),
                     ("\r", " "), ("\n", " ")):
        text = text.replace(old, new)
    return text
