"""What a record with a timeline carries: its entries, the services they affect, the
monitoring alerts attached to it. Timeline entries and affected services are the most
numerous values of the model, hence named tuples.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple


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


def status_changes(timeline: tuple[Entry, ...]) -> list[tuple[datetime, str]]:
    """Every (instant, status) a timeline sets, in order."""
    return [(entry.at, entry.status) for entry in timeline if entry.status]
