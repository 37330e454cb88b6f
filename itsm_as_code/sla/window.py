"""The report's window: its bounds as people write them, and its calendar months."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from itsm_as_code.errors import UsageError
from itsm_as_code.sla.history import EARLIEST, LATEST, instant_of
from itsm_as_code.timefmt import parse_timestamp

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Window:
    """[since, until) in microseconds, seen at `now`: nothing is known after `now`."""

    since: int
    until: int
    now: int

    @property
    def end(self) -> int:
        return min(self.until, self.now)

    def holds(self, moment: int) -> bool:
        return self.since <= moment < self.until


def parse_bound(text: str, zone: tzinfo, end: bool) -> int:
    """A date (a whole day in `zone`: its start, or with `end` the start of the next day,
    so that an end date is included) or an RFC 3339 timestamp, as an instant."""
    text = text.strip()
    try:
        if _DATE.match(text):
            day = date.fromisoformat(text) + timedelta(days=1 if end else 0)
            value = instant_of(datetime(day.year, day.month, day.day, tzinfo=zone))
        else:
            value = instant_of(parse_timestamp(text))
    except (ValueError, OverflowError):
        raise UsageError(f"'{text}' is neither a date like 2026-11-01 nor a timestamp like "
                         "2026-11-01T00:00:00+01:00") from None
    if not EARLIEST <= value <= LATEST:
        raise UsageError(f"'{text}' lies outside the years 1900 to 2999")
    return value


def months(window: Window, zone: tzinfo) -> list[tuple[str, int, int]]:
    """(`YYYY-MM`, start, end) of each month of the window up to its end, in `zone`."""
    found: list[tuple[str, int, int]] = []
    if window.end <= window.since:
        return found
    first = datetime.fromtimestamp(window.since // 1_000_000, zone)
    year, month = first.year, first.month
    while True:
        label = f"{year:04d}-{month:02d}"
        low = instant_of(datetime(year, month, 1, tzinfo=zone))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        high = instant_of(datetime(year, month, 1, tzinfo=zone))
        found.append((label, max(low, window.since), min(high, window.end)))
        if high >= window.end:
            return found
