"""What the records say happened, as of a moment: the one definition of a record's status
at a time, of when an incident's service was restored and when maintenance really ran,
and of each service's component status over time.

Every figure that needs one of these (the site's uptime bars and 30-day uptime, the
report's availability, the Statuspage API, the feeds) reads it here, so they agree.

An incident gives each service it affects the component status written under its
`services` from its opening; a timeline entry with `services` changes a status from its
time on. A move to a done status (resolved, closed) restores every service; a reopening
brings back the statuses in force before it. A canceled incident had no impact at all.
A maintenance window gives `under_maintenance` while the work really ran: from its
`in_progress` entry (or its scheduled start) to its `completed` entry (or its scheduled
end), so a window that overran counts to its real end; a recurring window, while each of
its occurrences ran (model/recurrence.py). A service that depends on one in outage is
affected by it (`affected_by`): a status derived at a moment, not a span of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsm_as_code.model.lifecycle import INCIDENT
from itsm_as_code.model.recurrence import occurrences
from itsm_as_code.model.types.itil import Incident, Maintenance, ServiceRequest
from itsm_as_code.model.types.timeline import Entry

Timed = Incident | ServiceRequest | Maintenance
_INSTANT = timedelta(microseconds=1)  # an occurrence that starts at `now` has begun


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of time during which `record` gave `service` the component `status`."""

    service: str
    start: datetime
    end: datetime  # `now` while it goes on
    status: str
    record: str
    ongoing: bool = False

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment and (moment < self.end or self.ongoing)


def status_at(record: Timed, now: datetime) -> str:
    """The status the record's timeline had set by `now` (its initial status before)."""
    status = record.lifecycle.initial
    for entry in record.timeline:
        if entry.at <= now and entry.status:
            status = entry.status
    return status


def restored_at(incident: Incident, now: datetime) -> datetime | None:
    """When the incident ended, as known at `now`: when it last moved into a done status
    (its `resolved_at`, when that is written and not after `now`), or when it was
    canceled; None while it is active."""
    ended: datetime | None = None
    status = INCIDENT.initial
    for entry in incident.timeline:
        if entry.at > now or not entry.status:
            continue
        status = entry.status
        ended = (ended or entry.at) if status in INCIDENT.ended else None
    if ended is not None and status in INCIDENT.done:
        resolved = incident.resolved_at
        if resolved is not None and resolved <= now:
            return resolved
    return ended


def incident_spans(incident: Incident, now: datetime) -> list[Span]:
    """The component status of each affected service over the incident's active time."""
    if incident.opened_at > now or status_at(incident, now) == "canceled":
        return []
    current = {affected.service: affected.status for affected in incident.services}
    opened: dict[str, datetime] = dict.fromkeys(current, incident.opened_at)
    spans: list[Span] = []
    active = True
    restored = restored_at(incident, now)
    # `restored` (resolved_at) is when the last ending took effect; an earlier ending
    # that a reopening undid ends at its own entry.
    last_ending = _last_ending(incident, now)

    def close(service: str, end: datetime) -> None:
        start = opened.pop(service, None)
        if start is not None:
            spans.append(Span(service, start, max(start, end), current[service], incident.id))

    for entry in incident.timeline:
        if entry.at > now:
            break
        for change in entry.services:
            if change.service in current and change.status != current[change.service]:
                if active:
                    close(change.service, entry.at)
                    opened[change.service] = entry.at
                current[change.service] = change.status
        if entry.status in INCIDENT.ended and active:
            final = entry is last_ending
            end = restored if final and restored is not None and restored >= entry.at \
                else entry.at
            for service in list(opened):
                close(service, end)
            active = False
        elif entry.status in INCIDENT.active and not active:
            opened = dict.fromkeys(current, entry.at)
            active = True
    for service, start in opened.items():
        spans.append(Span(service, start, max(start, now), current[service], incident.id,
                          ongoing=True))
    return [span for span in spans if span.status != "operational"]


def may_span_after(incident: Incident, moment: datetime, now: datetime) -> bool:
    """Whether a span of `incident_spans(incident, now)` may end after `moment`: False
    only for an incident ended by `now` whose every entry, resolved_at and opening came
    before `moment` (one pass, where the spans take four: a window's figures leave out
    the incidents of the years before it)."""
    status, latest, read = INCIDENT.initial, incident.opened_at, True
    if incident.resolved_at is not None and incident.resolved_at <= now:
        latest = max(latest, incident.resolved_at)
    for entry in incident.timeline:
        if entry.at > now:
            read = False  # as incident_spans, which reads no entry after this one
            continue
        latest = max(latest, entry.at)
        if read and entry.status:
            status = entry.status
    return status in INCIDENT.active or latest >= moment


def _last_ending(incident: Incident, now: datetime) -> Entry | None:
    """The entry that began the ended run the incident is in at `now`, if it is in one."""
    found: Entry | None = None
    for entry in incident.timeline:
        if entry.at > now or not entry.status:
            continue
        found = (found or entry) if entry.status in INCIDENT.ended else None
    return found


def maintenance_status_at(window: Maintenance, now: datetime) -> str:
    """As Statuspage does, a window nobody updated moves along by the clock."""
    status = status_at(window, now)
    if status == "scheduled" and window.scheduled_start <= now:
        return "in_progress" if now < window.scheduled_end else "completed"
    return status


def maintenance_ran(window: Maintenance, now: datetime) -> tuple[datetime, datetime | None] | None:
    """When the work really began and ended (None while it goes on), as known at `now`;
    None when it has not begun or was canceled."""
    status = maintenance_status_at(window, now)
    if status not in ("in_progress", "completed"):
        return None
    changes = [(at, status) for at, status in window.changes() if at <= now]
    began = next((at for at, change in changes if change == "in_progress"),
                 window.scheduled_start)
    finished = next((at for at, change in changes if change == "completed"), None)
    if status == "completed" and finished is None:
        finished = max(began, window.scheduled_end)
    return began, finished


def maintenance_spans(window: Maintenance, now: datetime) -> list[Span]:
    """`under_maintenance` while the work ran; for a recurring window, while each
    occurrence ran (each span names its occurrence)."""
    if window.recurrence is not None:
        return [span for occurrence in occurrences(window, now, now + _INSTANT)
                for span in maintenance_spans(occurrence, now)]
    ran = maintenance_ran(window, now)
    if ran is None:
        return []
    began, finished = ran
    return [Span(service, began, finished or max(began, now), "under_maintenance", window.id,
                 ongoing=finished is None) for service in window.services]


def spans_by_service(incidents: Iterable[Incident], windows: Iterable[Maintenance],
                     now: datetime) -> dict[str, list[Span]]:
    """Every span of every service, in order of start (then record id)."""
    found: defaultdict[str, list[Span]] = defaultdict(list)
    for incident in incidents:
        for span in incident_spans(incident, now):
            found[span.service].append(span)
    for window in windows:
        for span in maintenance_spans(window, now):
            found[span.service].append(span)
    for spans in found.values():
        spans.sort(key=lambda span: (span.start, span.record))
    return dict(found)


# Derived impact: a service that depends on one in outage is affected by it. It is shown
# as this status (never an outage of its own: its own records say how it is), and only
# while the outage lasts; uptime and availability count a service's own spans alone.
DERIVED_STATUS = "degraded_performance"
OUTAGES = frozenset({"partial_outage", "major_outage"})


def affected_by(depends_on: Mapping[str, Sequence[str]], current: Mapping[str, str]
                ) -> dict[str, tuple[str, ...]]:
    """For each service that depends on a service in outage (`current` status
    `partial_outage` or `major_outage`), directly or through other services: those
    services, sorted. A dependency cycle (a validation finding) is followed once."""
    found: dict[str, tuple[str, ...]] = {}
    for service in depends_on:
        seen: set[str] = set()
        todo = list(depends_on.get(service, ()))
        while todo:
            other = todo.pop()
            if other in seen or other == service:
                continue
            seen.add(other)
            todo.extend(depends_on.get(other, ()))
        causes = sorted(other for other in seen if current.get(other) in OUTAGES)
        if causes:
            found[service] = tuple(causes)
    return found
