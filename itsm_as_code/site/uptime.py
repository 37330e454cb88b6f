"""Uptime on the status site: the 90-day bars of a service, and its uptime over a window.

A service's spans (model/impact.py: the component status its incidents gave it over
time, and `under_maintenance` while maintenance really ran) are the input of both. A
day's status is the worst status of any moment of that day, in the site's time zone.

Uptime over a window is `itsm report`'s availability, computed by the same function
(sla/availability.py) on the same spans: time under maintenance is left out, and each
moment counts as downtime by the weight of the worst component status then (itsm.yaml's
`availability.weights`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from itsm_as_code.model.impact import Span
from itsm_as_code.model.lifecycle import worst
from itsm_as_code.sla.availability import availability

NO_DATA = "no_data"  # a day before the site's first record: nothing is known of it


@dataclass(frozen=True)
class Day:
    """One local day of a service's uptime bar."""

    day: date
    status: str  # a component status, or NO_DATA
    records: tuple[str, ...]  # the incidents and maintenance windows of that day


def day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


def days(spans: Sequence[Span], now: datetime, zone: ZoneInfo, count: int = 90,
         since: datetime | None = None) -> list[Day]:
    """The last `count` local days up to the one holding `now`, oldest first. Days that
    end at or before `since` (the site's first record) have no data: nothing says
    whether the service was up then."""
    today = now.astimezone(zone).date()
    first = today - timedelta(days=count - 1)
    recent = [span for span in spans if span.end >= day_start(first, zone)]
    found = []
    for offset in range(count):
        day = first + timedelta(days=offset)
        start, end = day_start(day, zone), min(day_start(day + timedelta(days=1), zone), now)
        touching = [span for span in recent if (span.start < end and span.end > start)
                    or (span.start == span.end and start <= span.start < end)]
        status = worst(span.status for span in touching)
        if not touching and since is not None and end <= since:
            status = NO_DATA
        found.append(Day(day, status, tuple(dict.fromkeys(span.record for span in touching))))
    return found


def uptime(spans: Sequence[Span], start: datetime, end: datetime,
           weights: Mapping[str, float]) -> float:
    """Percent of the time from `start` to `end` outside maintenance that was up (100 when
    all of it was maintenance)."""
    percent = availability(spans, start, end, weights).percent
    return 100.0 if percent is None else percent
