"""What one build may show: the records, cut down to its audience, as of `now`.

Everything after this module sees only what it is given here. A public build gets
public services, incidents and maintenance windows with their public timeline entries
and nothing else: no internal record, internal entry, incident description, author,
assignee, team, problem, known error, person or access record is ever copied into it,
so no template can leak one. The internal build gets every record and its details.

"As of now": incidents opened after `now` and timeline entries written after it are
left out, and statuses are those in force at `now`.

The values come from the run's model (records that passed their schema); what a
record's status, end and component statuses were at `now` is model/impact.py's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from itsm_as_code.model.impact import (
    Span,
    maintenance_ran,
    maintenance_status_at,
    restored_at,
    spans_by_service,
    status_at,
)
from itsm_as_code.model.lifecycle import worst
from itsm_as_code.model.model import Model
from itsm_as_code.model.recurrence import following, occurrences
from itsm_as_code.model.types import itil, organisation
from itsm_as_code.model.types.timeline import Affected, Alert
from itsm_as_code.model.types.timeline import Entry as TimelineEntry


@dataclass(frozen=True, slots=True)
class Change:
    """A component status an update changed: `service` went from `old` to `new`."""

    service: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One timeline entry. `status` is the status it set, or None for a plain update."""

    at: datetime
    status: str | None
    message: str
    public: bool = True
    author: str | None = None  # a person's name; internal builds only
    changes: tuple[Change, ...] = ()  # the shown services whose status it changed
    # Each shown service's component status as the incident gives it after this entry.
    states: tuple[Affected, ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceDetails:
    """What only the internal build shows of a service."""

    owner: str
    sla: str | None


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: str
    description: str | None
    group: str | None
    position: int
    internal: bool
    depends_on: tuple[str, ...]
    details: ServiceDetails | None = None  # internal builds only


@dataclass(frozen=True, slots=True)
class IncidentDetails:
    """What only the internal build shows of an incident."""

    priority: str
    impact: str
    urgency: str
    category: str | None
    team: str | None
    problem: str | None
    known_error: str | None
    description: str | None
    assignee: str | None  # the person's name
    acknowledged: datetime | None
    closed: datetime | None


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    title: str
    internal: bool
    services: tuple[Affected, ...]  # the shown services, each with its status as of now
    opened: datetime
    status: str  # as of now
    changes: tuple[tuple[datetime, str], ...]  # every status change up to now, in order
    entries: tuple[Entry, ...]  # the entries this build shows, oldest first
    ended: datetime | None  # when service was restored (resolved or canceled), if it was
    postmortem: str | None
    major: bool
    # The worst component status the incident gave any service it names, shown or not:
    # how bad the incident is is public even when the service it hit is not.
    severity: str = "operational"
    details: IncidentDetails | None = None  # internal builds only
    # Ended, and nothing of its record lies after now: it reads the same at any later time.
    settled: bool = False

    @property
    def active(self) -> bool:
        return self.ended is None

    @property
    def canceled(self) -> bool:
        return self.status == "canceled"


@dataclass(frozen=True, slots=True)
class Maintenance:
    id: str
    title: str
    description: str | None
    internal: bool
    services: tuple[str, ...]
    start: datetime  # scheduled
    end: datetime
    status: str  # as of now: scheduled, in_progress, completed or canceled
    entries: tuple[Entry, ...]
    began: datetime | None = None  # when the work really started and ended, if known
    finished: datetime | None = None
    # How many times it changed, as far as this build may tell: its entries up to now
    # that the build shows or that set a status (each reschedule or extension is an
    # entry). The calendar feed's SEQUENCE.
    revision: int = 0
    # One occurrence of a recurring window: the record's id and its rule as written.
    series: str | None = None
    rule: str | None = None
    # The alerts that fired on its services while it ran, none opening an incident
    # (events/silence.py); internal builds only.
    alerts: tuple[Alert, ...] = ()


@dataclass(frozen=True)
class Selection:
    """The records of one build. Problems, known errors, people and links stay empty in
    public builds."""

    internal: bool
    now: datetime
    services: list[Service]
    incidents: list[Incident]
    maintenance: list[Maintenance]
    # Each shown service's component status over time, from the shown records only.
    spans: dict[str, list[Span]] = field(default_factory=dict)
    problems: list[itil.Problem] = field(default_factory=list)
    known_errors: list[itil.KnownError] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # id -> name, internal only
    problem_links: dict[str, frozenset[str]] = field(default_factory=dict)  # incident ->


def select(model: Model, internal: bool, now: datetime) -> Selection:
    """The records a build for this audience may show, as of `now`."""
    now = now.astimezone(timezone.utc)
    people = ({p.id: p.name for p in model.people.values()} if internal else {})
    shown = [s for s in model.services.values() if internal or not s.internal]
    known = {s.id for s in shown}
    services = [_service(s, internal, known) for s in shown]
    records = [i for i in model.incidents.values()
               if (internal or not i.internal) and i.opened_at <= now]
    incidents = [_incident(i, internal, now, known, people) for i in records]
    windows = [w for w in model.maintenance.values() if internal or not w.internal]
    views = [_maintenance(w, internal, now, known, people, rule)
             for w, rule in _windows(windows, now)]
    spans = spans_by_service(records, windows, now)
    return Selection(
        internal, now, sorted(services, key=lambda s: s.id),
        sorted(incidents, key=lambda i: (i.opened, i.id)),
        sorted((w for w in views if w.services), key=lambda w: (w.start, w.id)),
        {service: spans.get(service, []) for service in sorted(known)},
        sorted(model.problems.values(), key=lambda p: p.id) if internal else [],
        sorted(model.known_errors.values(), key=lambda k: k.id) if internal else [],
        people, model.problem_links() if internal else {},
    )


def _service(service: organisation.Service, internal: bool, known: set[str]) -> Service:
    # A public service may depend on an internal one: the public build does not name it.
    return Service(
        service.id, service.name, service.description, service.group,
        100000 if service.position is None else service.position, service.internal,
        tuple(d for d in service.depends_on if d in known),
        ServiceDetails(service.owner, service.sla) if internal else None,
    )


def _entries(timeline: tuple[TimelineEntry, ...], internal: bool, now: datetime,
             people: dict[str, str], services: tuple[Affected, ...] = (),
             ) -> tuple[list[Entry], tuple[Affected, ...], bool]:
    """The entries this build shows (each with the shown services' component statuses it
    changed and left), those statuses as of now, and whether the timeline holds entries
    after now."""
    shown: list[Entry] = []
    current = {affected.service: affected.status for affected in services}
    states = services
    for entry in timeline:
        if entry.at > now:
            return shown, states, True
        changes = tuple(Change(c.service, current[c.service], c.status)
                        for c in entry.services
                        if c.service in current and c.status != current[c.service])
        if changes:
            current.update((change.service, change.new) for change in changes)
            states = tuple(Affected(service, status) for service, status in current.items())
        if internal or entry.public:
            author = people.get(entry.author or "", entry.author) if internal else None
            shown.append(Entry(entry.at, entry.status, entry.message, entry.public, author,
                               changes, states))
    return shown, states, False


def _incident(incident: itil.Incident, internal: bool, now: datetime, known: set[str],
              people: dict[str, str]) -> Incident:
    named = tuple(a for a in incident.services if a.service in known)
    entries, states, later = _entries(incident.timeline, internal, now, people, named)
    changes = tuple((at, status) for at, status in incident.changes() if at <= now)
    status = status_at(incident, now)
    ended = restored_at(incident, now)
    # Every status the incident gave any service it names, up to now.
    given = [a.status for a in incident.services]
    given += [c.status for e in incident.timeline if e.at <= now for c in e.services]
    details = None
    if internal:
        details = IncidentDetails(
            incident.priority, incident.impact, incident.urgency, incident.category,
            incident.team, incident.problem, incident.known_error, incident.description,
            people.get(incident.assignee or "", incident.assignee),
            incident.acknowledged_at, incident.closed_at)
    times = (incident.resolved_at, incident.acknowledged_at, incident.closed_at)
    later = later or any(time is not None and time > now for time in times)
    return Incident(
        incident.id, incident.title, incident.internal,
        states, incident.opened_at, status, changes,
        tuple(entries), ended, incident.postmortem, incident.major, worst(given), details,
        ended is not None and not later,
    )


def _maintenance(window: itil.Maintenance, internal: bool, now: datetime, known: set[str],
                 people: dict[str, str], rule: str | None = None) -> Maintenance:
    entries, _, _ = _entries(window.timeline, internal, now, people)
    ran = maintenance_ran(window, now)
    began, finished = ran if ran is not None else (None, None)
    revision = sum(1 for entry in window.timeline
                   if entry.at <= now and (internal or entry.public or entry.status))
    return Maintenance(
        window.id, window.title, window.description, window.internal,
        tuple(s for s in window.services if s in known), window.scheduled_start,
        window.scheduled_end, maintenance_status_at(window, now), tuple(entries), began,
        finished, revision, window.series, rule,
        tuple(a for a in window.alerts if a.started_at is not None and a.started_at <= now)
        if internal else (),
    )


def _windows(windows: list[itil.Maintenance], now: datetime
             ) -> Iterator[tuple[itil.Maintenance, str | None]]:
    """Each window a build shows, with its rule: a one-off window itself; of a recurring
    one, every occurrence that has begun by now and the next one to come."""
    for window in windows:
        if window.recurrence is None:
            yield window, None
            continue
        shown = occurrences(window, now, now + timedelta(microseconds=1))
        coming = following(window, now)
        for occurrence in [*shown, *([coming] if coming is not None else [])]:
            yield occurrence, window.recurrence.rule
