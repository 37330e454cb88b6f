"""Availability of a service over a window: the one definition, for `itsm report` and the
status site's uptime alike.

The input is the service's spans (model/impact.py): the component status each incident
gave it over time (a timeline entry may change it; a canceled incident gives none), and
`under_maintenance` while maintenance really ran (an overrun counts to its real end).
The agreed time is the window less the time under maintenance (planned work is not
downtime). At each moment of it the downtime weight is the largest weight of the
component statuses then (`major_outage` 1.0 by default), 0 without one; availability is
1 less the weighted downtime over the agreed time. The weights are itsm.yaml's
`availability.weights` (config.DEFAULT_WEIGHTS by default).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsm_as_code.model.impact import Span
from itsm_as_code.sla.calendar import MICROS_PER_SECOND

MAINTENANCE = "under_maintenance"
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Availability:
    """The figures of one service over one window, in microseconds."""

    agreed: int  # the window outside maintenance
    downtime: float  # the agreed time, weighted by the worst status at each moment
    disturbed: int  # the agreed time with any incident's status on, whatever its weight

    @property
    def percent(self) -> float | None:
        """Percent available, None when there was no agreed time at all."""
        return 100.0 * (1 - self.downtime / self.agreed) if self.agreed > 0 else None

    def mtbf(self, failures: int) -> float | None:
        """Seconds of undisturbed agreed time per failure; None without failures."""
        return (self.agreed - self.disturbed) / MICROS_PER_SECOND / failures if failures \
            else None


def availability(spans: Iterable[Span], start: datetime, end: datetime,
                 weights: Mapping[str, float]) -> Availability:
    """Sweep [start, end) once over the boundaries of the spans."""
    if end <= start:
        return Availability(0, 0.0, 0)
    events: list[tuple[datetime, int, str]] = []  # (instant, +1/-1, component status)
    for span in spans:
        if span.end > start and span.start < end and span.end > span.start:
            events += [(max(span.start, start), 1, span.status),
                       (min(span.end, end), -1, span.status)]
    events.sort(key=lambda event: event[0])
    active: Counter[str] = Counter()
    agreed = disturbed = 0
    downtime = 0.0
    cursor = start
    for moment, step, status in [*events, (end, 0, MAINTENANCE)]:
        if moment > cursor and not active[MAINTENANCE]:
            length = (moment - cursor) // MICROSECOND
            agreed += length
            statuses = [name for name, count in active.items() if count]
            if statuses:
                disturbed += length
                downtime += length * max(weights.get(name, 0.0) for name in statuses)
        cursor = max(cursor, moment)
        active[status] += step
    return Availability(agreed, downtime, disturbed)
