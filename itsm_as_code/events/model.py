"""The event value every alert source is parsed into."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Status = Literal["firing", "resolved"]


@dataclass(frozen=True)
class Event:
    """One alert from one source, as ingest sees it.

    `at` is when the alert started firing; `ended_at` when it was resolved (None while it
    fires). `service` and `severity` are None when the alert did not carry them.
    """

    source: str
    fingerprint: str
    name: str
    status: Status
    at: datetime
    ended_at: datetime | None
    service: str | None
    severity: str | None
    summary: str
    description: str = ""

    @property
    def resolved(self) -> bool:
        return self.status == "resolved"

    @property
    def moment(self) -> datetime:
        """When this report of the alert happened: its end once resolved, else its start."""
        return self.ended_at if self.resolved and self.ended_at is not None else self.at
