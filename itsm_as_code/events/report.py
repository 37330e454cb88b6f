"""What `itsm event ingest` says it did: a finding per alert, one line for people, the
counts for machines."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from itsm_as_code.events.deliver import Delivery
from itsm_as_code.findings import Summary
from itsm_as_code.reporters import Report

Action = Literal["opened", "joined", "updated", "resolved", "silenced", "duplicate",
                 "ignored", "unknown-service"]
# What can happen to an alert, in the order the summary names them.
ACTIONS: tuple[Action, ...] = ("opened", "joined", "updated", "resolved", "silenced",
                               "duplicate", "ignored", "unknown-service")


@dataclass(frozen=True)
class IngestSummary:
    """The summary for machines (`--format json`)."""

    alerts: int
    counts: dict[Action, int]  # every action, in ACTIONS order
    opened: list[str]
    updated: list[str]
    files: list[str]  # sorted
    branch: str | None
    commit: str | None
    attempts: int


def ingest_summary(delivery: Delivery, branch: str | None) -> IngestSummary:
    done = delivery.ingested
    return IngestSummary(delivery.events, {action: done.counts[action] for action in ACTIONS},
                         done.opened, done.updated, sorted(done.files), branch,
                         delivery.commit, delivery.attempts)


def summary_text(figures: IngestSummary) -> str:
    counts = ", ".join(f"{count} {action}" for action, count in figures.counts.items() if count)
    text = f"{figures.alerts} alert(s): {counts or 'none'}"
    if figures.commit:
        text += f"; committed {figures.commit[:12]} on {figures.branch}"
        if figures.attempts > 1:
            text += f" (after {figures.attempts - 1} retry(ies): the branch had moved)"
    elif figures.files and figures.branch is None:
        text += f"; wrote {len(figures.files)} file(s)"
    else:
        text += "; nothing to change"
    return text


def report(delivery: Delivery, branch: str | None) -> Report:
    figures = ingest_summary(delivery, branch)
    return Report(Summary("itsm event ingest", summary_text(figures), asdict(figures)),
                  delivery.ingested.findings)
