"""One reporter per output format, for the result of any command.

A command's core returns a `Report`: its findings, a summary (a title, a line for people,
data for machines) and optional tables (what a person reads in a terminal or a pull
request: clocks, plan entries, review rows). A reporter renders any report; the command
line picks it from `REPORTER_BY_NAME`. A page that needs its own form (the KPI report as
HTML, a pull request comment) is a reporter of its own passed as an override, never string
surgery on another reporter's output.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar, overload

from itsm_as_code.findings import Finding, Level, Summary, markdown_cell

ICONS: dict[str, str] = {"error": "\u274c", "warning": "\u26a0\ufe0f", "notice": "\u2139\ufe0f"}


@dataclass(frozen=True)
class Row:
    """One row of cells as people read them; `icon` marks it in markdown."""

    cells: tuple[str, ...]
    icon: str = ""


@dataclass(frozen=True)
class Table:
    """Rows under column headings, optionally in a titled section with a note. Markdown
    shows at most `markdown_limit` rows (a job summary holds 1 MiB) and then `left_out`,
    in which `{count}` is how many rows it left out."""

    columns: tuple[str, ...]
    rows: Sequence[Row]
    title: str = ""
    note: str = ""
    markdown_limit: int | None = None
    left_out: str = ""


T = TypeVar("T")


class Later(Sequence[T]):
    """A sequence made the first time a reporter reads it: a format that does not show it
    (the table of 100,000 clocks in json, the annotations in text) costs nothing."""

    def __init__(self, make: Callable[[], Sequence[T]]) -> None:
        self._make = make
        self._items: Sequence[T] | None = None

    def _made(self) -> Sequence[T]:
        if self._items is None:
            self._items = self._make()
        return self._items

    def __len__(self) -> int:
        return len(self._made())

    def __iter__(self) -> Iterator[T]:
        return iter(self._made())

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._made()[index]


@dataclass(frozen=True)
class Report:
    """What a command found and says. `document` is the JSON for machines (by default
    the findings and the summary's data); `annotations` the findings that become GitHub
    annotations (by default all of them)."""

    summary: Summary
    findings: Sequence[Finding] = ()
    tables: Sequence[Table] = ()
    document: Mapping[str, Any] | Sequence[Any] | None = None  # a list for `itsm log`
    annotations: Sequence[Finding] | None = None
    trailer: Sequence[str] = field(default_factory=tuple)  # lines after the summary


class Reporter(ABC):
    """Renders a report in one format. A command's own format says in `help` what it is
    for (shown by `--format` in `--help`)."""

    name: ClassVar[str]
    help: ClassVar[str] = ""

    @abstractmethod
    def render(self, report: Report) -> str:
        """The report as text in this format."""


def finding_line(finding: Finding) -> str:
    return (f"{finding.path}:{finding.line}:{finding.column}: {finding.level}: "
            f"{finding.message} [{finding.rule}]")


class TextReporter(Reporter):
    """`path:line:col: level: message [rule]` per finding, tables in aligned columns, then
    the summary line."""

    name = "text"

    def render(self, report: Report) -> str:
        lines = [finding_line(finding) for finding in report.findings]
        for table in report.tables:
            lines += self.table(table)
        lines += [report.summary.text, *report.trailer]
        return "\n".join(lines) + "\n"

    @staticmethod
    def table(table: Table) -> list[str]:
        lines = [table.title] if table.title else []
        if table.note:
            lines.append(f"  {table.note}" if table.title else table.note)
        if not table.rows:
            return lines
        grid = [tuple(column.upper() for column in table.columns),
                *(row.cells for row in table.rows)]
        widths = [max(len(cells[index]) for cells in grid) for index in range(len(grid[0]))]
        indent = "  " if table.title else ""
        for cells in grid:
            text = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            lines.append(indent + text.rstrip())
        return lines


class JsonReporter(Reporter):
    name = "json"

    def render(self, report: Report) -> str:
        document: Mapping[str, Any] | Sequence[Any] | None = report.document
        if document is None:
            document = {"findings": [f.as_dict() for f in report.findings],
                        "summary": report.summary.data}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class MarkdownReporter(Reporter):
    """A heading, the summary, the findings and the tables: fit for a pull request
    comment or a job summary."""

    name = "markdown"

    def render(self, report: Report) -> str:
        lines = [f"### {report.summary.title}", "", report.summary.text, ""]
        if report.findings:
            lines += ["| | File | Line | Rule | Message |", "| --- | --- | --- | --- | --- |"]
            lines += [f"| {ICONS[f.level]} | {markdown_cell(f.path)} | {f.line} | {f.rule} "
                      f"| {markdown_cell(f.message)} |" for f in report.findings]
            lines.append("")
        for table in report.tables:
            lines += self.table(table)
        lines += list(report.trailer)
        return "\n".join(lines) + ("\n" if report.trailer else "")

    @staticmethod
    def table(table: Table) -> list[str]:
        lines = [f"#### {markdown_cell(table.title)}", ""] if table.title else []
        if table.note:
            lines += [markdown_cell(table.note), ""]
        if not table.rows:
            return lines
        rows = table.rows if table.markdown_limit is None else table.rows[:table.markdown_limit]
        icons = any(row.icon for row in rows)
        head = ("",) * icons + table.columns
        lines += ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
        for row in rows:
            cells = ((row.icon,) if icons else ()) + tuple(markdown_cell(c) for c in row.cells)
            lines.append("| " + " | ".join(cells) + " |")
        if len(rows) < len(table.rows):
            lines += ["", table.left_out.format(count=len(table.rows) - len(rows))]
        return [*lines, ""]


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: one annotation per finding, then the summary."""

    name = "github"

    def render(self, report: Report) -> str:
        chosen = report.findings if report.annotations is None else report.annotations
        lines = [annotation(finding) for finding in chosen]
        return "\n".join([*lines, report.summary.text, *report.trailer]) + "\n"


def annotation(finding: Finding, level: Level | None = None) -> str:
    """The finding as a workflow command; one with no path (about a run, not a file, such
    as an access apply's results) is annotated without a place."""
    where = (f"file={_property(finding.path)},line={finding.line},col={finding.column},"
             if finding.path else "")
    return (f"::{level or finding.level} {where}title={_property(finding.rule)}::"
            f"{_data(finding.message)}")


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


REPORTER_BY_NAME: dict[str, Reporter] = {
    reporter.name: reporter
    for reporter in (TextReporter(), JsonReporter(), MarkdownReporter(), GithubReporter())
}
FORMATS = tuple(REPORTER_BY_NAME)


def render(report: Report, name: str, overrides: Mapping[str, Reporter] | None = None) -> str:
    """The report in format `name`, from `overrides` (a command's own pages) first."""
    reporter = (overrides or {}).get(name) or REPORTER_BY_NAME[name]
    return reporter.render(report)
