"""Uptime: what each moment of a service's recent past looked like, and how much of it
was up.

An incident gives each service it affects the component status written in the
incident, from its opening until service was restored (until now while it is open);
a canceled incident had no impact. A maintenance window gives `under_maintenance`
while the work ran. A day's status is the worst status of any moment of that day, in
the site's time zone.

Uptime over a window follows the definition of `itsm report`: time under maintenance
is left out, and each moment counts as downtime by the weight of the worst component
status then (itsm.yaml's `availability.weights`; by default Statuspage's: a major outage
1, a partial outage 0.3, degraded performance 0).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from itsm_as_code.site.records import SEVERITY, Selection


@dataclass(frozen=True)
class Span:
    """A stretch of time during which `record` gave a service `status`."""

    start: datetime
    end: datetime  # now, while it goes on
    status: str
    record: str
    ongoing: bool = False

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment and (moment < self.end or self.ongoing)


@dataclass(frozen=True)
class Day:
    """One local day of a service's uptime bar."""

    day: date
    status: str
    records: tuple[str, ...]  # the incidents and maintenance windows of that day


def worst(statuses: Iterable[str]) -> str:
    return max(statuses, key=SEVERITY.__getitem__, default="operational")


def spans_by_service(selection: Selection) -> dict[str, list[Span]]:
    """Every span of every service of the selection, in order of start."""
    found: dict[str, list[Span]] = {service.id: [] for service in selection.services}
    now = selection.now
    for incident in selection.incidents:
        if incident.canceled:
            continue
        end = incident.ended or now
        for service, status in incident.services:
            found[service].append(Span(incident.opened, end, status, incident.id,
                                       incident.ended is None))
    for window in selection.maintenance:
        if window.began is None or window.status == "canceled":
            continue
        for service in window.services:
            found[service].append(Span(window.began, window.finished or now,
                                       "under_maintenance", window.id, window.finished is None))
    for spans in found.values():
        spans.sort(key=lambda span: (span.start, span.record))
    return found


def day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


def days(spans: list[Span], now: datetime, zone: ZoneInfo, count: int = 90) -> list[Day]:
    """The last `count` local days up to the one holding `now`, oldest first."""
    today = now.astimezone(zone).date()
    first = today - timedelta(days=count - 1)
    recent = [span for span in spans if span.end >= day_start(first, zone)]
    found = []
    for offset in range(count):
        day = first + timedelta(days=offset)
        start, end = day_start(day, zone), min(day_start(day + timedelta(days=1), zone), now)
        touching = [span for span in recent if (span.start < end and span.end > start)
                    or (span.start == span.end and start <= span.start < end)]
        found.append(Day(day, worst(span.status for span in touching),
                         tuple(dict.fromkeys(span.record for span in touching))))
    return found


def uptime(spans: list[Span], start: datetime, end: datetime,
           weights: Mapping[str, float]) -> float:
    """Percent of the time from `start` to `end` outside maintenance that was up."""
    events: list[tuple[datetime, int, str]] = []
    for span in spans:
        if span.end > start and span.start < end:
            events += [(max(span.start, start), 1, span.status),
                       (min(span.end, end), -1, span.status)]
    events.sort(key=lambda event: event[0])
    open_: dict[str, int] = dict.fromkeys(SEVERITY, 0)
    agreed = down = 0.0
    cursor = start
    for moment, step, status in [*events, (end, 0, "operational")]:
        if moment > cursor and not open_["under_maintenance"]:
            seconds = (moment - cursor).total_seconds()
            agreed += seconds
            down += seconds * max((weights.get(s, 0.0) for s, n in open_.items() if n),
                                  default=0.0)
        cursor = max(cursor, moment)
        open_[status] += step
    return 100.0 if agreed <= 0 else 100.0 * (1 - down / agreed)
