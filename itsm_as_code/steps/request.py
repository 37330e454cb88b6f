"""What a step command asks for, parsed from its options: a plain value the core runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class StepRequest:
    """One step on one record. `None` means "not given": the verb's default applies.

    `links` holds an incident's link fields (`problem`, `known_error`, `postmortem`,
    `category`); `services` the component statuses an incident update sets.
    """

    verb: str
    record_id: str
    at: datetime | None = None
    status: str | None = None
    message: str | None = None
    public: bool | None = None
    services: tuple[tuple[str, str], ...] = ()
    assignee: str | None = None
    team: str | None = None
    author: str | None = None
    approver: str | None = None
    comment: str | None = None
    until: datetime | None = None
    root_cause: str | None = None
    workaround: str | None = None
    links: dict[str, str] = field(default_factory=dict)
    done: tuple[str, ...] = ()  # fulfilment steps of a request's type ticked off
    commit: bool = False
    base: str | None = None
