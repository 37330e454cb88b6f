"""What `itsm kedb match` says: findings for terminals and machines, and a pull request
comment in markdown ("INC-0042 looks like KE-0003 ...; workaround: ...")."""

from __future__ import annotations

import re
from typing import Any

from itsm_as_code.findings import Finding, Summary
from itsm_as_code.problems.kedb import KedbResult, Suggestion
from itsm_as_code.problems.patterns import TIMEOUT_SECONDS

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
        found.append(record.finding(RULE, (
            f"match[{pattern.index}] is not a valid regular expression ({pattern.error}) "
            "and was skipped"), ("match", pattern.index), level="warning"))
    return found


def summary(result: KedbResult) -> Summary:
    suggested = sum(1 for m in result.matches if m.suggestions)
    count = sum(len(m.suggestions) for m in result.matches)
    text = (f"{count} suggestion(s) for {suggested} of {len(result.matches)} incident(s) "
            f"from {result.known_errors} known error(s)")
    data = {
        "incidents": [
            {"id": m.incident.id,
             "suggestions": [_data(s) for s in m.suggestions]}
            for m in result.matches
        ],
        "suggestions": count,
        "known_errors": result.known_errors,
        "skipped_patterns": [{"known_error": p.owner, "index": p.index,
                              "reason": "invalid" if p.compiled is None else "timeout"}
                             for _, p in [*result.timed_out, *result.invalid]],
    }
    return Summary("itsm kedb match", text, data)


def _data(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "known_error": suggestion.known_error.id,
        "status": suggestion.known_error.status,
        "hits": [{"in": hit.place, "match_index": hit.pattern.index, "pattern": hit.pattern.text}
                 for hit in suggestion.hits],
        "services": list(suggestion.services),
        "linked": suggestion.linked,
        "workaround": suggestion.known_error.workaround,
    }


def render_markdown(result: KedbResult) -> str:
    """A pull request comment: per incident, the best known error with its workaround in
    full, the others one line each."""
    lines = ["### Known errors that fit", ""]
    for matches in result.matches:
        incident = matches.incident.id
        if not matches.suggestions:
            lines += [f"{incident}: no known error fits.", ""]
            continue
        best, *others = matches.suggestions
        known = best.known_error
        lines += [f"**{incident}** looks like **{known.id}** ({evidence(best)}): "
                  f"{_inline(known.title)}", "", "Workaround:", ""]
        lines += [f"> {line}".rstrip() for line in (known.workaround or
                                                    "none recorded").splitlines()]
        lines.append("")
        if others:
            lines.append("Also possible:")
            lines += [f"- **{s.known_error.id}** ({evidence(s)}): "
                      f"{_inline(s.known_error.title)}" for s in others]
            lines.append("")
    skipped = [*result.timed_out, *result.invalid]
    if skipped:
        lines.append("Skipped patterns: " + ", ".join(
            f"{p.owner} match[{p.index}] ({'invalid' if p.compiled is None else 'too slow'})"
            for _, p in skipped))
        lines.append("")
    lines.append(summary(result).text)
    return "\n".join(lines) + "\n"


def code(text: str) -> str:
    """`text` as an inline code span, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _inline(text: str) -> str:
    """Record text on one line, with HTML-looking text neutralised."""
    return " ".join(text.split()).replace("<", "&lt;").replace(">", "&gt;")
