"""The service desk's queue (internal builds only): the open service requests and the
incidents users reported (taken in by `itsm desk intake`, so with an `origin`), by team,
the most urgent first (priority P1 first, then the oldest), each with its age, the state
of its most urgent SLA clock, its assignee and, for a request waiting for approval, the
stage whose approval is missing and who may give it.

The team is the record's own, else its request type's fulfilment team, else the owner
team of its (first) service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from itsm_as_code.model.context import RunContext
from itsm_as_code.model.lifecycle import INCIDENT, SERVICE_REQUEST
from itsm_as_code.model.model import Model
from itsm_as_code.model.stages import progress, request_type
from itsm_as_code.model.types.itil import Clocked, ServiceRequest
from itsm_as_code.sla.agreements import load_agreements
from itsm_as_code.sla.clocks import Clock, all_clocks
from itsm_as_code.sla.history import instant_of, moment_of
from itsm_as_code.templating import duration_text

SUBMITTED = "submitted"  # a request's status while it waits for its approvals
TONES = {"breached": "bad", "at_risk": "warn", "paused": "info", "within": "ok"}


@dataclass(frozen=True)
class Waiting:
    """The first approval stage of a request not yet complete."""

    stage: str
    missing: int  # how many more distinct approvals it needs
    approvers: tuple[str, ...]  # the names of the people who may still give one


@dataclass(frozen=True)
class Item:
    id: str
    kind: str  # Incident or ServiceRequest
    title: str
    priority: str
    status: str  # as people read it: `in fulfilment`
    opened: datetime
    age: str
    requester: str | None  # a request's requester, by name
    assignee: str | None  # by name
    type: str | None  # the request type's name
    sla_state: str | None  # the most urgent running clock's state: `at risk`
    sla_tone: str  # ok, warn, bad, info
    due: datetime | None  # that clock's deadline (or when it breached)
    waiting: Waiting | None


@dataclass(frozen=True)
class TeamQueue:
    team: str
    name: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Queue:
    teams: tuple[TeamQueue, ...]

    @property
    def count(self) -> int:
        return sum(len(team.items) for team in self.teams)


def queue(ctx: RunContext) -> Queue:
    """The queue as of the run's `now`."""
    model, now = ctx.model, ctx.now
    open_records: list[Clocked] = [
        *(i for i in model.incidents.values()
          if i.origin is not None and i.status in INCIDENT.active and i.opened_at <= now),
        *(r for r in model.requests.values()
          if r.status in SERVICE_REQUEST.active and r.opened_at <= now)]
    # The clocks of the open records alone: the site's build computes the run's other
    # clocks in its sections' process, and all of them here cost it half a second.
    urgent: dict[str, Clock] = {}
    for clock in all_clocks(model, ctx.shared(load_agreements), instant_of(now),
                            open_records).clocks:
        if clock.running and (clock.record not in urgent
                              or clock.sort_key() < urgent[clock.record].sort_key()):
            urgent[clock.record] = clock
    by_team: dict[str, list[Item]] = {}
    for record in open_records:
        by_team.setdefault(_team(record, model), []).append(
            _item(record, model, now, urgent.get(record.id)))
    teams = model.teams
    return Queue(tuple(
        TeamQueue(team, teams[team].name if team in teams else team or "No team",
                  tuple(sorted(items, key=lambda i: (i.priority, i.opened, i.id))))
        for team, items in sorted(by_team.items(), key=lambda pair: (
            teams[pair[0]].name.lower() if pair[0] in teams else "\uffff", pair[0]))))


def _team(record: Clocked, model: Model) -> str:
    if record.team:
        return record.team
    if isinstance(record, ServiceRequest):
        kind = request_type(record, model)
        if kind is not None:
            return kind.fulfilment.team
    service = next((model.services[s] for s in record.service_ids if s in model.services),
                   None)
    return service.owner if service is not None else ""


def _item(record: Clocked, model: Model, now: datetime, clock: Clock | None) -> Item:
    name = model.name_of
    due = None
    if clock is not None:
        instant = clock.breached_at if clock.state == "breached" else clock.due
        due = moment_of(instant) if instant is not None else None
    kind = request_type(record, model) if isinstance(record, ServiceRequest) else None
    return Item(
        record.id, type(record).__name__, record.title,
        record.priority, record.status.replace("_", " "), record.opened_at,
        duration_text(now - record.opened_at),
        name(record.requested_by) if isinstance(record, ServiceRequest) else None,
        name(record.assignee) if record.assignee else None,
        kind.name if kind is not None else None,
        clock.state.replace("_", " ") if clock is not None else None,
        TONES.get(clock.state, "info") if clock is not None else "info", due,
        _waiting(record, model) if isinstance(record, ServiceRequest) else None)


def _waiting(request: ServiceRequest, model: Model) -> Waiting | None:
    kind = request_type(request, model)
    if request.status != SUBMITTED or kind is None or kind.standard:
        return None
    found = progress(request, kind, model).waiting
    if found is None:
        return None
    _, stage = found
    still = [model.name_of(person) for person in stage.eligible
             if person not in stage.approved_by]
    return Waiting(stage.stage.name, stage.missing, tuple(sorted(still)))
