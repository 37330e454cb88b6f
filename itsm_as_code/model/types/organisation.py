"""The kinds that describe the organisation: services, teams, people, calendars, SLAs,
and the systems and access policies that say who may use what."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

Visibility = Literal["public", "internal"]


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
