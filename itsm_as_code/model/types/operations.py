"""IT operations: routines (scheduled work such as backups and batch jobs) and the
evidence each run must report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal


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
