"""Candidate problems as findings and a summary, for `itsm problems detect` and `itsm run`."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from itsm_as_code.findings import Finding, Summary
from itsm_as_code.problems.detect import Candidate, Detection
from itsm_as_code.reporters import Report
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


@dataclass(frozen=True)
class CandidateSummary:
    """One candidate for machines; times in itsm.yaml's time zone."""

    services: list[str]
    incidents: list[str]
    fingerprints: list[str]
    categories: list[str]
    title_words: list[str]
    first: str
    last: str


@dataclass(frozen=True)
class DetectSummary:
    """The summary for machines (`--format json`)."""

    candidates: list[CandidateSummary]
    considered: int
    since: str
    until: str
    written: list[str]  # the new Problem files, with --write


def detect_summary(detection: Detection, written: list[str] | None = None) -> DetectSummary:
    zone = detection.zone
    return DetectSummary(
        [CandidateSummary(list(c.services), [item.id for item in c.incidents],
                          list(c.fingerprints), list(c.categories), list(c.words),
                          format_timestamp(c.first.astimezone(zone)),
                          format_timestamp(c.last.astimezone(zone)))
         for c in detection.candidates],
        detection.considered, format_timestamp(detection.since),
        format_timestamp(detection.until), written or [])


def summary(detection: Detection, written: list[str] | None = None) -> Summary:
    figures = detect_summary(detection, written)
    count = len(figures.candidates)
    scope = (f"{figures.considered} incident(s) not linked to a problem, opened "
             f"{figures.since} to {figures.until}")
    text = (f"{count} candidate problem(s) among {scope}" if count
            else f"no candidate problems among {scope}")
    if figures.written:
        text += f"; written: {', '.join(figures.written)}"
    return Summary("itsm problems detect", text, asdict(figures))


def report(detection: Detection, written: list[str] | None = None) -> Report:
    """What `itsm problems detect` says: a notice per candidate, then the summary."""
    return Report(summary(detection, written), candidate_findings(detection))
