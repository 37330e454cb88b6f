"""Candidate problems as findings and a summary, for `itsm problems detect` and `itsm run`."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from itsm_as_code.findings import Finding, Summary
from itsm_as_code.problems.detect import Candidate, Detection
from itsm_as_code.timefmt import format_timestamp

RULE = "problem-candidate"


def describe(candidate: Candidate) -> str:
    """What the incidents share, in words: `category x, title words a, b`."""
    parts = []
    if candidate.fingerprints:
        parts.append("alert fingerprint " + ", ".join(candidate.fingerprints))
    if candidate.categories:
        parts.append("category " + ", ".join(candidate.categories))
    if candidate.words:
        parts.append("title words " + ", ".join(candidate.words))
    return "; ".join(parts) or "links between pairs of them"


def candidate_findings(detection: Detection) -> list[Finding]:
    """One notice per candidate, on the title of its latest incident."""
    findings = []
    zone = detection.zone
    for candidate in detection.candidates:
        ids = ", ".join(item.id for item in candidate.incidents)
        first, last = candidate.first.astimezone(zone), candidate.last.astimezone(zone)
        message = (
            f"{len(candidate.incidents)} incidents on {', '.join(candidate.services)} between "
            f"{first.date()} and {last.date()} are not linked to a problem "
            f"and share {describe(candidate)}: {ids}"
        )
        latest = candidate.incidents[-1].source
        findings.append(latest.finding(RULE, message, ("title",), level="notice"))
    return findings


def summary(detection: Detection, written: list[str] | None = None) -> Summary:
    count = len(detection.candidates)
    scope = (f"{detection.considered} incident(s) not linked to a problem, opened "
             f"{format_timestamp(detection.since)} to {format_timestamp(detection.until)}")
    text = (f"{count} candidate problem(s) among {scope}" if count
            else f"no candidate problems among {scope}")
    if written:
        text += f"; written: {', '.join(written)}"
    data: dict[str, Any] = {
        "candidates": [_data(candidate, detection.zone) for candidate in detection.candidates],
        "considered": detection.considered,
        "since": format_timestamp(detection.since),
        "until": format_timestamp(detection.until),
        "written": written or [],
    }
    return Summary("itsm problems detect", text, data)


def _data(candidate: Candidate, zone: tzinfo) -> dict[str, Any]:
    return {
        "services": list(candidate.services),
        "incidents": [item.id for item in candidate.incidents],
        "fingerprints": list(candidate.fingerprints),
        "categories": list(candidate.categories),
        "title_words": list(candidate.words),
        "first": format_timestamp(candidate.first.astimezone(zone)),
        "last": format_timestamp(candidate.last.astimezone(zone)),
    }
