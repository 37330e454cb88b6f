"""The finding value: one thing wrong (or worth saying) about one place in one file."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
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


@dataclass(frozen=True)
class Summary:
    """What a command says after its findings: a title, a line for people, data for machines."""

    title: str
    text: str
    data: dict[str, Any]


def render_text(findings: list[Finding], summary: Summary) -> str:
    """`path:line:col: level: message [rule]`, one per line, then the summary line."""
    lines = [f"{f.path}:{f.line}:{f.column}: {f.level}: {f.message} [{f.rule}]" for f in findings]
    return "\n".join([*lines, summary.text]) + "\n"


def render_json(findings: list[Finding], summary: Summary) -> str:
    document = {"findings": [f.as_dict() for f in findings], "summary": summary.data}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_markdown(findings: list[Finding], summary: Summary) -> str:
    """A table fit for a pull request comment or a job summary."""
    lines = [f"### {summary.title}", "", summary.text, ""]
    if findings:
        lines += ["| | File | Line | Rule | Message |", "| --- | --- | --- | --- | --- |"]
        lines += [
            f"| {_ICONS[f.level]} | {markdown_cell(f.path)} | {f.line} | {f.rule} "
            f"| {markdown_cell(f.message)} |"
            for f in findings
        ]
        lines.append("")
    return "\n".join(lines)


def render_github(findings: list[Finding], summary: Summary) -> str:
    """GitHub Actions workflow commands: one annotation per finding, then the summary."""
    lines = [
        f"::{f.level} file={_property(f.path)},line={f.line},col={f.column},"
        f"title={_property(f.rule)}::{_data(f.message)}"
        for f in findings
    ]
    return "\n".join([*lines, summary.text]) + "\n"


RENDERERS: dict[str, Callable[[list[Finding], Summary], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": render_github,
}

_ICONS = {"error": "\u274c", "warning": "\u26a0\ufe0f", "notice": "\u2139\ufe0f"}


def markdown_cell(text: str) -> str:
    """Text made safe for one cell of a markdown table."""
    for old, new in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;"),
                     ("\r", " "), ("\n", " ")):
        text = text.replace(old, new)
    return text


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
