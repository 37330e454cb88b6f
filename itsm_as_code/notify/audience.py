"""What a message may say: an event cut down to its audience. The one place that decides.

A public view is what the public status site shows of the event and nothing else: no
internal record (an internal incident or window, any service request, known error or SLA
escalation), no internal timeline entry's words, no internal service, no author. An event
whose only news is an internal entry has no public view at all. Templates see only the
view, so no template, shipped or a repository's own, can leak what it is not given.

The internal view holds everything, with names rather than ids (services, people).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from itsm_as_code.model.model import Model
from itsm_as_code.model.types.itil import Incident, KnownError, Maintenance, ServiceRequest
from itsm_as_code.notify.events import Event

NOUNS = {"Incident": "incident", "Maintenance": "maintenance",
         "ServiceRequest": "request", "KnownError": "known error"}
# Events that are news without their entry's words (a status moved, components changed,
# a window moved): told publicly without the words of an internal entry.
WITHOUT_WORDS = frozenset({"incident.opened", "incident.resolved", "incident.reopened",
                           "incident.components_changed", "maintenance.scheduled",
                           "maintenance.rescheduled", "maintenance.starting_soon",
                           "maintenance.started", "maintenance.completed",
                           "maintenance.canceled"})
PAGES = {"Incident": "incidents", "Maintenance": "maintenance"}


@dataclass(frozen=True)
class Said:
    """A timeline entry as a message tells it."""

    at: datetime
    message: str
    status: str | None
    public: bool
    author: str | None  # a name; internal views only


@dataclass(frozen=True)
class View:
    """An event as one audience may read it; every text a template can reach."""

    event: str
    kind: str
    noun: str
    id: str
    title: str
    public: bool  # the public cut: the view holds nothing internal
    status: str
    at: datetime | None
    services: tuple[str, ...]  # names
    priority: str | None = None
    url: str | None = None
    entry: Said | None = None
    changes: tuple[tuple[str, str, str], ...] = ()  # (service name, old, new)
    start: datetime | None = None
    end: datetime | None = None
    old_start: datetime | None = None
    old_end: datetime | None = None
    requester: str | None = None  # a name; internal views only
    detail: dict[str, str] = field(default_factory=dict)


def view(event: Event, model: Model, public: bool, base_url: str = "") -> View | None:
    """The event as `public` (or internal) readers may read it; None when a public reader
    may read nothing of it."""
    record = event.record
    if public and (event.name == "sla.escalation"
                   or isinstance(record, ServiceRequest | KnownError)
                   or getattr(record, "visibility", "internal") != "public"):
        return None
    services = _service_ids(record)
    shown = [s for s in services if not public or _public_service(model, s)]
    entry = event.entry
    if entry is not None and public and not entry.public:
        if event.name not in WITHOUT_WORDS:
            return None
        entry = None
    if public and event.name == "incident.components_changed" and entry is None and not any(
            c.service in shown for c in event.changes):
        return None  # only internal services changed, in an internal entry
    names = {s: model.name_of(s) for s in services}
    said = None if entry is None else Said(
        entry.at, entry.message, entry.status, entry.public,
        None if public or entry.author is None else model.name_of(entry.author))
    window = record if isinstance(record, Maintenance) else None
    before = event.before if isinstance(event.before, Maintenance) else None
    page = PAGES.get(type(record).__name__)
    return View(
        event.name, type(record).__name__, NOUNS[type(record).__name__], record.id,
        record.title, public or _wholly_public(event, model), record.status, event.at,
        tuple(names[s] for s in shown), getattr(record, "priority", None),
        f"{base_url.rstrip('/')}/{page}/{record.id}.html" if base_url and page
        and getattr(record, "visibility", "internal") == "public" else None,
        said,
        tuple((names.get(c.service, c.service), c.old, c.new) for c in event.changes
              if c.service in shown),
        window.scheduled_start if window else None, window.scheduled_end if window else None,
        before.scheduled_start if before else None, before.scheduled_end if before else None,
        model.name_of(record.requested_by) if isinstance(record, ServiceRequest)
        and not public else None,
        {} if public else dict(event.detail),
    )


def _service_ids(record: Incident | Maintenance | ServiceRequest | KnownError,
                 ) -> tuple[str, ...]:
    if isinstance(record, Incident):
        found = dict.fromkeys(record.service_ids)
        for entry in record.timeline:
            found.update(dict.fromkeys(a.service for a in entry.services))
        return tuple(found)
    if isinstance(record, ServiceRequest):
        return (record.service,)
    return record.services


def _public_service(model: Model, service_id: str) -> bool:
    service = model.services.get(service_id)
    return service is not None and not service.internal


def _wholly_public(event: Event, model: Model) -> bool:
    """Whether the internal view says nothing the public one would not: a public record,
    a public entry (or none), public services only."""
    record = event.record
    return (event.name != "sla.escalation"
            and getattr(record, "visibility", "internal") == "public"
            and not isinstance(record, ServiceRequest | KnownError)
            and (event.entry is None or event.entry.public)
            and all(_public_service(model, s) for s in _service_ids(record)))


def services_of(event: Event) -> tuple[str, ...]:
    """The service ids an event's record affects (subscriptions select by them)."""
    return _service_ids(event.record)
