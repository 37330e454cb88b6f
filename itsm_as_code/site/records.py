"""What one build may show: the records, cut down to its audience, as of `now`.

Everything after this module sees only what it is given here. A public build gets
public services, incidents and maintenance windows with their public timeline entries
and nothing else: no internal record, internal entry, incident description, author,
assignee, team, problem, known error, person or access record is ever copied into it,
so no template can leak one. The internal build gets every record and its details.

"As of now": incidents opened after `now` and timeline entries written after it are
left out, and statuses are those in force at `now`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.timefmt import parse_timestamp

ENDED = ("resolved", "closed")
# Component statuses, mildest first: a day or a service shows the worst of them.
SEVERITY = {"operational": 0, "under_maintenance": 1, "degraded_performance": 2,
            "partial_outage": 3, "major_outage": 4}


@dataclass(frozen=True)
class Entry:
    """One timeline entry. `status` is the status it set, or None for a plain update."""

    at: datetime
    status: str | None
    message: str
    public: bool = True
    author: str | None = None  # a person's name; internal builds only


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    description: str | None
    group: str | None
    position: int
    internal: bool
    depends_on: tuple[str, ...]
    details: dict[str, Any] | None = None  # internal builds: owner, sla


@dataclass(frozen=True)
class Incident:
    id: str
    title: str
    internal: bool
    services: tuple[tuple[str, str], ...]  # (service id, component status), shown ones
    opened: datetime
    status: str  # as of now
    changes: tuple[tuple[datetime, str], ...]  # every status change up to now, in order
    entries: tuple[Entry, ...]  # the entries this build shows, oldest first
    ended: datetime | None  # when service was restored (resolved or canceled), if it was
    postmortem: str | None
    major: bool
    # The worst component status of every service the record names, shown or not: how
    # bad the incident is is public even when the service it hit is not.
    severity: str = "operational"
    details: dict[str, Any] | None = None  # internal builds: priority, team, links...
    # Ended, and nothing of its record lies after now: it reads the same at any later time.
    settled: bool = False

    @property
    def active(self) -> bool:
        return self.ended is None

    @property
    def canceled(self) -> bool:
        return self.status == "canceled"


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Selection:
    """The records of one build. Problems and known errors stay empty in public builds."""

    internal: bool
    now: datetime
    services: list[Service]
    incidents: list[Incident]
    maintenance: list[Maintenance]
    problems: list[Record] = field(default_factory=list)
    known_errors: list[Record] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # id -> name, internal only


def _at(text: str) -> datetime:
    # In UTC: times with one tzinfo compare without an offset lookup each (sorting and
    # sweeping tens of thousands of them is a visible part of a large build).
    return parse_timestamp(text).astimezone(timezone.utc)


def _time(value: Any) -> datetime | None:
    return _at(value) if isinstance(value, str) else None


def _shown(record: Record, internal: bool) -> bool:
    return internal or record.get("visibility", "public") == "public"


def select(repo: Repository, internal: bool, now: datetime) -> Selection:
    """The records a build for this audience may show, as of `now`."""
    now = now.astimezone(timezone.utc)
    people = ({p.id: str(p.get("name", p.id)) for p in repo.of_kind("Person")}
              if internal else {})
    services = [_service(r, internal) for r in repo.of_kind("Service") if _shown(r, internal)]
    known = {s.id for s in services}
    # A public service may depend on an internal one: the public build does not name it.
    services = [replace(s, depends_on=tuple(d for d in s.depends_on if d in known))
                for s in services]
    incidents = [
        incident for record in repo.of_kind("Incident") if _shown(record, internal)
        if (incident := _incident(record, internal, now, known, people)) is not None
    ]
    windows = [_maintenance(r, internal, now, known, people)
               for r in repo.of_kind("Maintenance") if _shown(r, internal)]
    return Selection(
        internal, now, sorted(services, key=lambda s: s.id),
        sorted(incidents, key=lambda i: (i.opened, i.id)),
        sorted((w for w in windows if w.services), key=lambda w: (w.start, w.id)),
        sorted(repo.of_kind("Problem"), key=lambda r: r.id) if internal else [],
        sorted(repo.of_kind("KnownError"), key=lambda r: r.id) if internal else [],
        people,
    )


def _service(record: Record, internal: bool) -> Service:
    details = {"owner": record.get("owner"), "sla": record.get("sla")} if internal else None
    return Service(
        record.id, str(record.get("name", record.id)), record.get("description"),
        record.get("group"), int(record.get("position", 100000)),
        record.get("visibility", "public") == "internal",
        tuple(record.get("depends_on", ())), details,
    )


def _entries(record: Record, internal: bool, now: datetime, people: dict[str, str],
             ) -> tuple[list[Entry], list[tuple[datetime, str]], bool]:
    """The entries this build shows, every status change (shown or not) up to now, and
    whether the timeline holds entries after now."""
    shown: list[Entry] = []
    changes: list[tuple[datetime, str]] = []
    later = False
    for item in record.get("timeline", ()):
        at = _at(item["at"])
        if at > now:
            later = True
            continue
        if item.get("status"):
            changes.append((at, item["status"]))
        public = bool(item.get("public", True))
        if internal or public:
            author = people.get(item.get("author", ""), item.get("author")) if internal else None
            shown.append(Entry(at, item.get("status"), item["message"], public, author))
    return shown, changes, later


def _incident(record: Record, internal: bool, now: datetime, known: set[str],
              people: dict[str, str]) -> Incident | None:
    opened = _time(record.get("opened_at"))
    if opened is None or opened > now:
        return None
    entries, changes, later = _entries(record, internal, now, people)
    status = changes[-1][1] if changes else "new"
    ended: datetime | None = None
    resolved = _time(record.get("resolved_at"))
    if status in ENDED:
        first = next(at for at, change in changes if change in ENDED)
        ended = resolved if resolved is not None and resolved <= now else first
    elif status == "canceled":
        ended = changes[-1][0]
    named = record.get("services", ())
    services = tuple((item["id"], item["status"]) for item in named if item["id"] in known)
    severity = max((item["status"] for item in named), key=SEVERITY.__getitem__,
                   default="operational")
    details = None
    if internal:
        details = {key: record.get(key) for key in (
            "priority", "impact", "urgency", "category", "team", "problem", "known_error",
            "description")}
        details["assignee"] = people.get(record.get("assignee", ""), record.get("assignee"))
        details["acknowledged"] = _time(record.get("acknowledged_at"))
        details["closed"] = _time(record.get("closed_at"))
    times = (resolved, _time(record.get("acknowledged_at")), _time(record.get("closed_at")))
    later = later or any(time is not None and time > now for time in times)
    return Incident(
        record.id, str(record.data["title"]), record.get("visibility", "public") == "internal",
        services, opened, status, tuple(changes), tuple(entries), ended,
        record.get("postmortem"), bool(record.get("major", False)), severity, details,
        ended is not None and not later,
    )


def _maintenance(record: Record, internal: bool, now: datetime, known: set[str],
                 people: dict[str, str]) -> Maintenance:
    entries, changes, _ = _entries(record, internal, now, people)
    start, end = _at(record.data["scheduled_start"]), _at(record.data["scheduled_end"])
    status = changes[-1][1] if changes else "scheduled"
    # Statuspage moves a window along by the clock when nobody says otherwise.
    if status == "scheduled" and start <= now:
        status = "in_progress" if now < end else "completed"
    began = next((at for at, change in changes if change == "in_progress"), None)
    finished = next((at for at, change in changes if change == "completed"), None)
    if status in ("in_progress", "completed") and began is None:
        began = start
    if status == "completed" and finished is None:
        finished = end
    return Maintenance(
        record.id, str(record.data["title"]), record.get("description"),
        record.get("visibility", "public") == "internal",
        tuple(s for s in record.get("services", ()) if s in known), start, end, status,
        tuple(entries), began, finished,
    )
