"""What changed, in record terms: the events between a record before a commit and after it.

Records are compared as every command reads them (update files folded in), so a step
written as an update file and one written into the record file are the same event. A
timeline is append-only: the entries of the later record that the earlier one lacks are
the new ones, each one event, named by what it did (resolved, reopened, changed component
statuses, or a plain update).

Each event has a stable key, the same in every run that sees it: the commit that
introduced it, the record, the event's name and what tells its occurrences apart (the
entry's time and content, or the window's times). A message's idempotency key is derived
from it (notify/render.py), and the delivery ledger sends each key once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from itsm_as_code.model.lifecycle import INCIDENT
from itsm_as_code.model.types.itil import Incident, KnownError, Maintenance, ServiceRequest
from itsm_as_code.model.types.timeline import Entry

# Every event `itsm notify` tells, by record kind (a subscription's `events` name them).
VOCABULARY: dict[str, tuple[str, ...]] = {
    "Incident": ("incident.opened", "incident.updated", "incident.components_changed",
                 "incident.resolved", "incident.reopened"),
    "Maintenance": ("maintenance.scheduled", "maintenance.rescheduled",
                    "maintenance.starting_soon", "maintenance.started", "maintenance.updated",
                    "maintenance.completed", "maintenance.canceled"),
    "ServiceRequest": ("request.submitted", "request.approved", "request.rejected",
                       "request.fulfilled", "request.updated"),
    "KnownError": ("known_error.published",),
    "SLA": ("sla.escalation",),
}
EVENTS: tuple[str, ...] = tuple(name for names in VOCABULARY.values() for name in names)

Told = Incident | Maintenance | ServiceRequest | KnownError


@dataclass(frozen=True)
class Change:
    """A component status an entry changed: `service` from `old` to `new`."""

    service: str
    old: str
    new: str


@dataclass(frozen=True)
class Event:
    """One thing that happened to one record.

    `entry` is the timeline entry that made it (None for a new known error, a
    rescheduling written in the record file, or a time-based event); `changes` the
    component statuses that entry changed; `before` the record as it was (rescheduled
    windows show their old times); `detail` what a time-based event adds (an escalation's
    metric, level and the names of the people it names); `people` the Person ids the
    event is for beside its subscribers (an escalation level's)."""

    name: str
    record: Told
    at: datetime | None  # when it happened; None: not known (a known error's)
    key: str
    entry: Entry | None = None
    changes: tuple[Change, ...] = ()
    before: Told | None = None
    detail: dict[str, str] = field(default_factory=dict)
    people: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return type(self.record).__name__


def event_key(*parts: str) -> str:
    return ":".join(parts)


def entry_mark(entry: Entry) -> str:
    """An entry's time and a digest of its content: the same entry in every run."""
    digest = hashlib.sha256(repr(tuple(entry)).encode()).hexdigest()[:12]
    return f"{entry.at.isoformat()}/{digest}"


def compare(before: Told | None, after: Told, commit: str) -> list[Event]:
    """The events a commit made to one record (`before` None: the commit added it)."""
    if isinstance(after, Incident):
        return _incident(before if isinstance(before, Incident) else None, after, commit)
    if isinstance(after, Maintenance):
        return _maintenance(before if isinstance(before, Maintenance) else None, after,
                            commit)
    if isinstance(after, ServiceRequest):
        return _request(before if isinstance(before, ServiceRequest) else None, after,
                        commit)
    if before is None:
        return [Event("known_error.published", after, after.opened_at,
                      event_key(commit, after.id, "known_error.published"),
                      detail={"workaround": after.workaround})]
    return []


def _new_entries(before: tuple[Entry, ...], after: tuple[Entry, ...],
                 ) -> list[tuple[int, Entry]]:
    """The entries of `after` that `before` lacks, with their index in `after`."""
    old = Counter(before)
    found = []
    for index, entry in enumerate(after):
        if old[entry]:
            old[entry] -= 1
        else:
            found.append((index, entry))
    return found


def _incident(before: Incident | None, after: Incident, commit: str) -> list[Event]:
    if before is None:
        first = after.timeline[0] if after.timeline else None
        return [Event("incident.opened", after, after.opened_at,
                      event_key(commit, after.id, "incident.opened"), first)]
    events = []
    statuses = _statuses(after)
    components = _components(after)
    for index, entry in _new_entries(before.timeline, after.timeline):
        previous, changes = statuses[index], components[index]
        if entry.status in INCIDENT.done and previous not in INCIDENT.done:
            name = "incident.resolved"
        elif entry.status and INCIDENT.is_reopening(previous, entry.status):
            name = "incident.reopened"
        elif changes and not entry.status:
            name = "incident.components_changed"
        else:
            name = "incident.updated"
        events.append(Event(name, after, entry.at,
                            event_key(commit, after.id, name, entry_mark(entry)),
                            entry, changes, before))
    return events


def _statuses(record: Incident) -> list[str]:
    """The status before each entry of the timeline."""
    found, status = [], INCIDENT.initial
    for entry in record.timeline:
        found.append(status)
        status = entry.status or status
    return found


def _components(record: Incident) -> list[tuple[Change, ...]]:
    """The component statuses each entry of the timeline changed."""
    current = {affected.service: affected.status for affected in record.services}
    found = []
    for entry in record.timeline:
        changes = []
        for affected in entry.services:
            old = current.get(affected.service, "operational")
            if old != affected.status:
                changes.append(Change(affected.service, old, affected.status))
            current[affected.service] = affected.status
        found.append(tuple(changes))
    return found


_MAINTENANCE_MOVES = {"in_progress": "maintenance.started",
                      "completed": "maintenance.completed", "canceled": "maintenance.canceled"}
_REQUEST_MOVES = {"approved": "request.approved", "rejected": "request.rejected",
                  "fulfilled": "request.fulfilled"}


def _maintenance(before: Maintenance | None, after: Maintenance,
                 commit: str) -> list[Event]:
    if before is None:
        return [Event("maintenance.scheduled", after, after.scheduled_start,
                      event_key(commit, after.id, "maintenance.scheduled"))]
    events = _moves(before, after, commit, _MAINTENANCE_MOVES, "maintenance.updated")
    moved = (before.scheduled_start, before.scheduled_end) != (after.scheduled_start,
                                                               after.scheduled_end)
    if moved and after.status not in ("completed", "canceled"):
        mark = f"{after.scheduled_start.isoformat()}/{after.scheduled_end.isoformat()}"
        # An extension written as an entry is told by the entry, with its own words.
        told = next((e for e in events if e.name == "maintenance.updated"), None)
        events = [e for e in events if e is not told]
        events.append(Event("maintenance.rescheduled", after, told.at if told else
                            after.scheduled_start,
                            event_key(commit, after.id, "maintenance.rescheduled", mark),
                            told.entry if told else None, before=before))
    return events


def _request(before: ServiceRequest | None, after: ServiceRequest,
             commit: str) -> list[Event]:
    if before is None:
        return [Event("request.submitted", after, after.opened_at,
                      event_key(commit, after.id, "request.submitted"))]
    return _moves(before, after, commit, _REQUEST_MOVES, "request.updated")


def _moves(before: Maintenance | ServiceRequest, after: Maintenance | ServiceRequest,
           commit: str, moves: dict[str, str], otherwise: str) -> list[Event]:
    """An event per entry `after` adds: named by the status it moves to (`moves`), else
    `otherwise`."""
    events = []
    for _, entry in _new_entries(before.timeline, after.timeline):
        name = moves.get(entry.status or "", otherwise)
        events.append(Event(name, after, entry.at,
                            event_key(commit, after.id, name, entry_mark(entry)), entry,
                            before=before))
    return events
