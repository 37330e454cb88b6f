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
    github: str | None = None  # the GitHub login

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
class Recipient:
    """Whom an escalation level names: `assignee`, `team` or `team_lead` of the record
    (`id` None), or a named `person` or `team` (`id` set)."""

    role: Literal["assignee", "team", "team_lead", "person"]
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Escalation:
    """A level of an SLA: at `at` percent of a target, `notify` is told; `metric` None
    means both the response and the resolution clock."""

    at: int
    notify: tuple[Recipient, ...]
    metric: Literal["response", "resolution"] | None = None


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
    escalations: tuple[Escalation, ...] = ()


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
    # True when the entry names an assignee or a team (`itsm assign`): the work was handed
    # on (a record's first assignee and team are written in its own fields).
    assigns: bool = False


@dataclass(frozen=True, slots=True)
class Alert:
    """A monitoring alert an incident carries; only the fingerprint is required (an
    entry written by hand may leave out the rest)."""

    fingerprint: str
    name: str | None = None
    source: str | None = None
    started_at: datetime | None = None
    resolved_at: datetime | None = None
    service: str | None = None  # the Service it named: kept on a maintenance window's alerts


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the service desk took a record in (`itsm desk intake`): the channel, and the
    GitHub issue or the e-mail, so that answers go back there."""

    channel: Literal["github", "email"]
    github_issue: int | None = None
    github_user: str | None = None
    email: str | None = None
    message_id: str | None = None


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


Answer = str | int | float | bool | tuple[str, ...]


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


@dataclass(frozen=True, slots=True)
class Subscription:
    """Who wants to be told what (notify/match.py reads it): empty filters match all."""

    id: str
    channel: str
    services: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    audience: Visibility = "public"
    requester: bool = False
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Smtp:
    """The SMTP server an e-mail channel hands its messages to; secrets by variable name."""

    host: str
    port: int = 587
    starttls: bool = True
    username_env: str | None = None
    password_env: str | None = None


@dataclass(frozen=True, slots=True)
class Channel:
    """Where messages go (notify/deliver.py sends them). Which of the settings a type
    needs is the `channel-settings` rule's to check: a value here may be None."""

    id: str
    type: Literal["slack", "teams", "webhook", "email"]
    audience: Visibility
    name: str | None = None
    description: str | None = None
    url_env: str | None = None
    secret_env: str | None = None
    smtp: Smtp | None = None
    sender: str | None = None  # `from` in the record
    to: tuple[str, ...] = ()

    @property
    def public(self) -> bool:
        return self.audience == "public"


FieldType = Literal["text", "textarea", "number", "date", "choice", "multichoice", "person",
                    "checkbox"]


@dataclass(frozen=True, slots=True)
class FormField:
    """One question of a request type's form; `id` is the answer's key."""

    id: str
    label: str
    type: FieldType
    required: bool = False
    options: tuple[str, ...] = ()
    help: str | None = None
    pattern: str | None = None


@dataclass(frozen=True, slots=True)
class Approvers:
    """Who may approve a stage: one of the owners of `policy_owners`, the members of
    `team`, the `people` named, or (`requester_lead`) the lead of a requester's team."""

    policy_owners: str | None = None
    team: str | None = None
    people: tuple[str, ...] = ()
    requester_lead: bool = False


@dataclass(frozen=True, slots=True)
class ApprovalStage:
    name: str
    approvers: Approvers
    count: int = 1


@dataclass(frozen=True, slots=True)
class FulfilmentStep:
    id: str  # written, or the step's number (`1`, `2`, ...) for a step written as text
    text: str


@dataclass(frozen=True, slots=True)
class Fulfilment:
    team: str
    sla: str | None = None
    steps: tuple[FulfilmentStep, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestType:
    """An entry of the request catalogue. No `stages` means a standard (pre-approved)
    request."""

    id: str
    name: str
    description: str
    service: str
    fulfilment: Fulfilment
    stages: tuple[ApprovalStage, ...] = ()
    form: tuple[FormField, ...] = ()
    priority: str = "P4"
    access_policy: str | None = None

    @property
    def standard(self) -> bool:
        return not self.stages

    def question(self, field_id: str) -> FormField | None:
        return next((item for item in self.form if item.id == field_id), None)


@dataclass(frozen=True, slots=True)
class EvidenceRule:
    """What a good run of a routine reports under one key, and the rules its value keeps."""

    key: str
    type: Literal["number", "bytes", "text", "url", "checksum"]
    required: bool = True
    min: float | None = None
    max: float | None = None
    min_ratio_of_previous: float | None = None
    max_ratio_of_previous: float | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Routine:
    """Scheduled operations work; `schedule` is ("cron", text) or ("rrule", text), read in
    `timezone`, or in the time zone of `calendar` (then `timezone` is None)."""

    id: str
    name: str
    service: str
    team: str
    schedule: tuple[Literal["cron", "rrule"], str]
    grace: timedelta
    timezone: str | None = None
    calendar: str | None = None
    since: datetime | None = None
    evidence: tuple[EvidenceRule, ...] = ()
    runbook: str | None = None
    description: str | None = None


Clocked = Incident | ServiceRequest
