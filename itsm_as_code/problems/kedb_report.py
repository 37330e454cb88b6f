"""What `itsm kedb match` says: findings for terminals and machines, a typed summary, and
a pull request comment in markdown ("INC-0042 looks like KE-0003 ...; workaround: ...")."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

from itsm_as_code.findings import Finding, Summary
from itsm_as_code.problems.kedb import KedbResult, Matches, Suggestion
from itsm_as_code.problems.patterns import TIMEOUT_SECONDS
from itsm_as_code.reporters import Report, Reporter

RULE = "kedb-match"


def evidence(suggestion: Suggestion) -> str:
    """What made the match, such as: matched `login` in the title and shares service
    identity; marked fixed."""
    said = ", ".join(f"matched {code(hit.pattern.text)} in the {hit.place}"
                     for hit in suggestion.hits)
    if suggestion.services:
        said += (" and " if said else "") + "shares service " + ", ".join(suggestion.services)
    flags = [flag for flag, on in (("marked fixed", suggestion.fixed),
                                   ("already linked", suggestion.linked)) if on]
    return "; ".join([said, *flags])


def first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "none recorded"


def findings(result: KedbResult) -> list[Finding]:
    """A notice per suggestion on the incident's title; a warning per pattern set aside."""
    found: list[Finding] = []
    for matches in result.matches:
        incident = matches.incident
        for suggestion in matches.suggestions:
            message = (f"{incident.id} looks like {suggestion.known_error.id} "
                       f"({evidence(suggestion)}); workaround: "
                       f"{first_line(suggestion.known_error.workaround)}")
            found.append(matches.source.finding(RULE, message, ("title",), level="notice"))
    for record, pattern in result.timed_out:
        found.append(record.finding(RULE, (
            f"match[{pattern.index}] ran longer than {TIMEOUT_SECONDS} s on one incident and "
            "was skipped: rewrite it without nested repetition such as (a+)+ or (a|aa)*"),
            ("match", pattern.index), level="warning"))
    for record, pattern in result.invalid:
        found.append(record.finding(RULE, f"match[{pattern.index}] {pattern.error}; it was "
                                    "skipped", ("match", pattern.index), level="warning"))
    for record, incident in result.unmatched:
        found.append(record.finding(RULE, (
            f"{incident.id} was not matched: known error matching stopped when its budget of "
            f"{result.budget:g} s per run was spent; match fewer incidents at once, or make "
            "slow patterns simpler"), ("title",)))
    return found


@dataclass(frozen=True)
class HitSummary:
    in_: str  # the place: `in` for machines
    match_index: int
    pattern: str


@dataclass(frozen=True)
class SuggestionSummary:
    known_error: str
    status: str
    hits: list[HitSummary]
    services: list[str]
    linked: bool
    workaround: str


@dataclass(frozen=True)
class IncidentSummary:
    id: str
    suggestions: list[SuggestionSummary]  # best first


@dataclass(frozen=True)
class SkippedPattern:
    known_error: str
    index: int
    reason: Literal["invalid", "timeout"]


@dataclass(frozen=True)
class KedbSummary:
    """The summary for machines (`--format json`; the kedb workflow reads `suggestions`)."""

    incidents: list[IncidentSummary]
    suggestions: int
    known_errors: int
    skipped_patterns: list[SkippedPattern]
    unmatched: list[str]  # incidents left out when the time budget was spent

    def as_dict(self) -> dict[str, Any]:
        return asdict(self, dict_factory=_json_names)


def kedb_summary(result: KedbResult) -> KedbSummary:
    return KedbSummary(
        [IncidentSummary(m.incident.id, [_suggestion(s) for s in m.suggestions])
         for m in result.matches],
        sum(len(m.suggestions) for m in result.matches),
        result.known_errors,
        [SkippedPattern(p.owner, p.index, "invalid" if p.compiled is None else "timeout")
         for _, p in [*result.timed_out, *result.invalid]],
        [incident.id for _, incident in result.unmatched])


def _suggestion(suggestion: Suggestion) -> SuggestionSummary:
    known = suggestion.known_error
    return SuggestionSummary(
        known.id, known.status,
        [HitSummary(hit.place, hit.pattern.index, hit.pattern.text) for hit in suggestion.hits],
        list(suggestion.services), suggestion.linked, known.workaround)


def _json_names(fields: list[tuple[str, Any]]) -> dict[str, Any]:
    """A trailing underscore keeps a name such as `in` apart from Python's keyword."""
    return {name.removesuffix("_"): value for name, value in fields}


def summary(result: KedbResult) -> Summary:
    figures = kedb_summary(result)
    suggested = sum(1 for incident in figures.incidents if incident.suggestions)
    text = (f"{figures.suggestions} suggestion(s) for {suggested} of "
            f"{len(figures.incidents)} incident(s) from {figures.known_errors} known error(s)")
    if figures.unmatched:
        text += (f"; {len(figures.unmatched)} incident(s) not matched: the time budget of "
                 f"{result.budget:g} s was spent")
    return Summary("itsm kedb match", text, figures.as_dict())


@dataclass(frozen=True, kw_only=True)
class KedbReport(Report):
    """The report, with the matches themselves for the pull request comment."""

    result: KedbResult


def report(result: KedbResult) -> KedbReport:
    """What `itsm kedb match` says: a notice per suggestion, a warning per pattern set
    aside, then the summary."""
    return KedbReport(summary=summary(result), findings=findings(result), result=result)


class PullRequestComment(Reporter):
    """Per incident, the best known error with its workaround in full, the others one line
    each, then the summary line."""

    name = "markdown"
    help = "the pull request comment"

    def render(self, report: Report) -> str:
        if not isinstance(report, KedbReport):
            raise TypeError("this markdown is the comment of itsm kedb match")
        result = report.result
        lines = ["### Known errors that fit", ""]
        for matches in result.matches:
            lines += _fits(matches)
        skipped = [*result.timed_out, *result.invalid]
        if skipped:
            lines.append("Skipped patterns: " + ", ".join(
                f"{p.owner} match[{p.index}] "
                f"({'invalid' if p.compiled is None else 'too slow'})" for _, p in skipped))
            lines.append("")
        if result.unmatched:
            ids = [incident.id for _, incident in result.unmatched]
            lines += ["Not matched (the time budget was spent): " + ", ".join(ids[:20])
                      + (f" and {len(ids) - 20} more" if len(ids) > 20 else ""), ""]
        lines.append(report.summary.text)
        return "\n".join(lines) + "\n"


# The formats `itsm kedb match` renders its own way.
OVERRIDES: dict[str, Reporter] = {"markdown": PullRequestComment()}


def _fits(matches: Matches) -> list[str]:
    incident = matches.incident.id
    if not matches.suggestions:
        return [f"{incident}: no known error fits.", ""]
    best, *others = matches.suggestions
    known = best.known_error
    lines = [f"**{incident}** looks like **{known.id}** ({evidence(best)}): "
             f"{_inline(known.title)}", "", "Workaround:", ""]
    lines += [f"> {line}".rstrip() for line in (known.workaround or
                                                "none recorded").splitlines()]
    lines.append("")
    if others:
        lines.append("Also possible:")
        lines += [f"- **{s.known_error.id}** ({evidence(s)}): "
                  f"{_inline(s.known_error.title)}" for s in others]
        lines.append("")
    return lines


def code(text: str) -> str:
    """`text` as an inline code span, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _inline(text: str) -> str:
    """Record text on one line, with HTML-looking text neutralised."""
    return " ".join(text.split()).replace("<", "&lt;").replace(">", "&gt;")
