"""The typed domain model: one frozen type per record kind.

Values are built once per run (model/build.py) from records that passed their schema, so
every field here can be trusted: timestamps are aware datetimes in UTC, durations are
timedeltas, optional fields are None or empty, references are ids. The record a value
came from (for its path and positions) is `Model.source(id)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import ClassVar, Literal, NamedTuple

from itsm_as_code.model.lifecycle import (
    INCIDENT,
    MAINTENANCE,
    SERVICE_REQUEST,
    Lifecycle,
)

Visibility = Literal["public", "internal"]
Level = Literal["high", "medium", "low"]


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: str
    owner: str
    description: str | None = None
    group: str | None = None
    visibility: Visibility = "public"
    sla: str | None = None
    depends_on: tuple[str, ...] = ()
    position: int | None = None

    @property
    def internal(self) -> bool:
        return self.visibility == "internal"


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str
    members: tuple[str, ...]
    lead: str | None = None
    description: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    email: str
    status: Literal["active", "left"] = "active"
    left_at: datetime | None = None
    accounts: Mapping[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.status == "active"

    def account(self, system: str) -> str:
        """The person's account name on `system` (their id unless `accounts` says)."""
        return self.accounts.get(system, self.id)


@dataclass(frozen=True, slots=True)
class Calendar:
    """Working time as written; sla/spec.py turns it into ranges and checks its sense."""

    id: str
    timezone: str
    hours: Literal["always"] | Mapping[str, tuple[str, ...]]
    name: str | None = None
    holidays: tuple[date, ...] = ()
    holiday_country: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """Each metric's working time; with `business_days` (`2bd4h`), the working time
    (`4h`) that follows that many business days of the SLA's calendar."""

    response: timedelta | None = None
    resolution: timedelta | None = None
    # Each duration as written (`0m`), by metric: messages about a target quote it.
    written: Mapping[str, str] = field(default_factory=dict)
    business_days: Mapping[str, int] = field(default_factory=dict)  # by metric


@dataclass(frozen=True, slots=True)
class SLA:
    id: str
    name: str
    type: Literal["SLA", "OLA", "UC"]
    targets: Mapping[str, Target]  # by priority, P1..P5
    calendar: str | None = None
    pause_on: frozenset[str] = frozenset()
    warn_at: int = 75
    applies_to: tuple[str, ...] = ()
    description: str | None = None


class Affected(NamedTuple):
    """A service an incident affects, with the component status it gives it.

    Timeline entries and affected services are the most numerous values of the model (a
    hundred thousand and more in a large repository): immutable named tuples, which cost a
    third of a frozen dataclass to make."""

    service: str
    status: str


class Entry(NamedTuple):
    """One timeline entry (a named tuple, like `Affected`). `status` is the status it set,
    None for a plain update; `services` the component statuses it set (none: empty)."""

    at: datetime
    message: str
    status: str | None = None
    public: bool = True
    author: str | None = None
    services: tuple[Affected, ...] = ()


@dataclass(frozen=True, slots=True)
class Alert:
    """A monitoring alert an incident carries; only the fingerprint is required (an
    entry written by hand may leave out the rest)."""

    fingerprint: str
    name: str | None = None
    source: str | None = None
    started_at: datetime | None = None
    resolved_at: datetime | None = None


def status_changes(timeline: tuple[Entry, ...]) -> list[tuple[datetime, str]]:
    """Every (instant, status) a timeline sets, in order."""
    return [(entry.at, entry.status) for entry in timeline if entry.status]


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    title: str
    services: tuple[Affected, ...]
    impact: Level
    urgency: Level
    priority: str
    status: str
    opened_at: datetime
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    major: bool = False
    team: str | None = None
    assignee: str | None = None
    visibility: Visibility = "public"
    problem: str | None = None
    known_error: str | None = None
    category: str | None = None
    description: str | None = None
    postmortem: str | None = None
    reopen_count: int = 0
    alerts: tuple[Alert, ...] = ()
    timeline: tuple[Entry, ...] = ()

    lifecycle: ClassVar[Lifecycle] = INCIDENT

    @property
    def internal(self) -> bool:
        return self.visibility == "internal"

    @property
    def service_ids(self) -> tuple[str, ...]:
        return tuple(affected.service for affected in self.services)

    def changes(self) -> list[tuple[datetime, str]]:
        return status_changes(self.timeline)


@dataclass(frozen=True, slots=True)
class Problem:
    id: str
    title: str
    status: str
    opened_at: datetime
    incidents: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    priority: str | None = None
    owner: str | None = None
    root_cause: str | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class KnownError:
    id: str
    title: str
    status: str
    symptoms: str
    workaround: str
    problem: str | None = None
    services: tuple[str, ...] = ()
    match: tuple[str, ...] = ()
    root_cause: str | None = None
    fix: str | None = None
    opened_at: datetime | None = None
    fixed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Approval:
    by: str
    at: datetime
    comment: str | None = None
    decision: Literal["approved", "rejected"] = "approved"


@dataclass(frozen=True, slots=True)
class ServiceRequest:
    id: str
    title: str
    service: str
    requested_by: str
    status: str
    priority: str
    opened_at: datetime
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    team: str | None = None
    assignee: str | None = None
    access_policy: str | None = None
    approvals: tuple[Approval, ...] = ()
    timeline: tuple[Entry, ...] = ()
    description: str | None = None

    lifecycle: ClassVar[Lifecycle] = SERVICE_REQUEST

    @property
    def service_ids(self) -> tuple[str, ...]:
        return (self.service,)

    def changes(self) -> list[tuple[datetime, str]]:
        return status_changes(self.timeline)


@dataclass(frozen=True, slots=True)
class Maintenance:
    id: str
    title: str
    services: tuple[str, ...]
    scheduled_start: datetime
    scheduled_end: datetime
    status: str
    visibility: Visibility = "public"
    timeline: tuple[Entry, ...] = ()
    description: str | None = None

    lifecycle: ClassVar[Lifecycle] = MAINTENANCE

    @property
    def internal(self) -> bool:
        return self.visibility == "internal"

    def changes(self) -> list[tuple[datetime, str]]:
        return status_changes(self.timeline)


@dataclass(frozen=True, slots=True)
class System:
    id: str
    provider: str
    connection: Mapping[str, str | int | bool]
    break_glass: tuple[str, ...] = ()
    name: str | None = None
    owner: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Grant:
    subject: str
    justification: str
    approved_by: str
    approved_at: datetime | None = None
    expires: datetime | None = None
    ticket: str | None = None


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    id: str
    system: str
    role: str
    owners: tuple[str, ...]
    grants: tuple[Grant, ...]
    exclusive: bool = False
    max_duration: timedelta | None = None
    description: str | None = None


Clocked = Incident | ServiceRequest
