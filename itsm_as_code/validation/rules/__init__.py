"""The cross-record rules. Each takes records and yields findings.

Most rules see only records that passed their schema check, so they can trust their
shape. Rules marked `any_shape` guard every value they read; they also run on records
that failed the schema, so one run reports a broken field and a broken reference together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from itsm_as_code.findings import Finding
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.rules import (
    access,
    calendars,
    chronology,
    identity,
    patterns,
    priority,
    references,
    status,
)


@dataclass(frozen=True)
class Rule:
    name: str
    summary: str
    check: Callable[[Repository, list[Record]], Iterable[Finding]]
    any_shape: bool = False


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("id-file", "a record's id equals its file name", identity.id_matches_file),
        Rule("id-unique", "ids are unique across the repository", identity.ids_unique),
        Rule("kind-folder", "each kind lives in its folder", identity.kind_in_folder),
        Rule("reference", "every reference names an existing record of the right kind",
             references.check, any_shape=True),
        Rule("priority-matrix", "an incident's priority follows from impact and urgency",
             priority.check),
        Rule("time-order", "timestamps and timelines run forward", chronology.check),
        Rule("status-timeline", "the status equals the last status in the timeline",
             status.matches_timeline),
        Rule("status-timestamps", "resolved_at, closed_at and the like agree with the status",
             status.matches_timestamps),
        Rule("match-pattern", "a known error's match patterns are valid regular expressions",
             patterns.compile_),
        Rule("grant-approver", "a grant is approved by an owner of the policy, not the subject",
             access.approver),
        Rule("grant-duration", "a grant runs no longer than its policy's max_duration",
             access.duration),
        Rule("grant-break-glass", "no grant gives a system's break-glass account",
             access.break_glass),
        Rule("calendar", "a calendar's time zone, hours and holiday country can be used",
             calendars.calendar),
        Rule("sla-target", "an SLA's targets are durations above zero", calendars.sla_targets),
    )
}
