"""The records of the work of Service Operation: incidents, problems, known errors,
service requests and maintenance windows (each lifecycle from model/lifecycle.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Literal, NamedTuple

from itsm_as_code.model.lifecycle import (
    INCIDENT,
    MAINTENANCE,
    SERVICE_REQUEST,
    Lifecycle,
)
from itsm_as_code.model.types.catalogue import Answer
from itsm_as_code.model.types.organisation import Visibility
from itsm_as_code.model.types.timeline import Affected, Alert, Entry, status_changes

Level = Literal["high", "medium", "low"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the service desk took a record in (`itsm desk intake`): the channel, and the
    GitHub issue or the e-mail, so that answers go back there."""

    channel: Literal["github", "email"]
    github_issue: int | None = None
    github_user: str | None = None
    email: str | None = None
    message_id: str | None = None


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
    origin: Origin | None = None

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


class Done(NamedTuple):
    """A fulfilment step ticked off: the step id, when, and the timeline entry's index."""

    step: str
    at: datetime
    entry: int


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
    origin: Origin | None = None
    type: str | None = None  # the RequestType id
    answers: Mapping[str, Answer] = field(default_factory=dict)
    done: tuple[Done, ...] = ()  # the fulfilment steps ticked off, in timeline order

    lifecycle: ClassVar[Lifecycle] = SERVICE_REQUEST

    @property
    def service_ids(self) -> tuple[str, ...]:
        return (self.service,)

    def changes(self) -> list[tuple[datetime, str]]:
        return status_changes(self.timeline)


@dataclass(frozen=True, slots=True)
class Recurrence:
    """How a maintenance window repeats: an RFC 5545 rule (`FREQ=WEEKLY;BYDAY=SU`) read
    in `timezone` from the window's scheduled_start, each occurrence as long as the first
    (scheduled_start to scheduled_end); model/recurrence.py expands it."""

    rule: str
    timezone: str
    # (when, new end) of each timeline entry that extended an occurrence: the one under
    # way at `when`, or else the next one to start.
    extensions: tuple[tuple[datetime, datetime], ...] = ()


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
    recurrence: Recurrence | None = None
    # The monitoring alerts that fired on its services while it ran (none opened an
    # incident): see events/silence.py.
    alerts: tuple[Alert, ...] = ()
    # For one occurrence of a recurring window (model/recurrence.py): the record's id;
    # `id` is then the occurrence's own (`MNT-0003.20261129T0100Z`).
    series: str | None = None

    lifecycle: ClassVar[Lifecycle] = MAINTENANCE

    @property
    def internal(self) -> bool:
        return self.visibility == "internal"

    def changes(self) -> list[tuple[datetime, str]]:
        return status_changes(self.timeline)


Clocked = Incident | ServiceRequest
