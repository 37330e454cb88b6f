"""Availability and time between failures of a service, from incidents and maintenance.

Over a window, a service's agreed time is the window less its maintenance windows
(planned work is not downtime). At each moment its downtime weight is the largest weight
of the component statuses its open incidents give it (`major_outage` 1.0 by default),
and 0 without one; availability is 1 less the weighted downtime over the agreed time.
The weights are itsm.yaml's `availability.weights` (config.DEFAULT_WEIGHTS by default).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from itsm_as_code.sla.calendar import US


@dataclass(frozen=True)
class Outage:
    start: int
    end: int  # resolved_at, or now while the incident is open
    weight: float


@dataclass(frozen=True)
class Uptime:
    agreed: int  # microseconds of the window outside maintenance
    downtime: float  # weighted microseconds of it
    disturbed: int  # microseconds of it with any incident open, whatever its weight
    weighted: bool = True  # False: the outages' weights mean nothing (the overall sweep)

    @property
    def availability(self) -> float | None:
        """Percent, None when there was no agreed time at all."""
        return 100.0 * (1 - self.downtime / self.agreed) if self.agreed > 0 else None

    def mtbf(self, failures: int) -> float | None:
        """Seconds of undisturbed agreed time per incident; None without incidents."""
        return (self.agreed - self.disturbed) / US / failures if failures else None


def uptime(start: int, end: int, outages: list[Outage],
           maintenance: list[tuple[int, int]], weighted: bool = True) -> Uptime:
    """Sweep the window once over the boundaries of outages and maintenance windows."""
    if end <= start:
        return Uptime(0, 0.0, 0, weighted)
    events: list[tuple[int, int, str, float]] = []  # (instant, +1/-1, what, weight)
    for outage in outages:
        if outage.end > start and outage.start < end and outage.end > outage.start:
            events += [(max(outage.start, start), 1, "outage", outage.weight),
                       (min(outage.end, end), -1, "outage", outage.weight)]
    for low, high in maintenance:
        if high > start and low < end and high > low:
            events += [(max(low, start), 1, "maintenance", 0.0),
                       (min(high, end), -1, "maintenance", 0.0)]
    events.sort(key=lambda event: event[0])
    active: Counter[float] = Counter()
    maintaining = 0
    agreed = disturbed = 0
    downtime = 0.0
    cursor = start
    for moment, step, what, weight in [*events, (end, 0, "end", 0.0)]:
        if moment > cursor and not maintaining:
            span = moment - cursor
            agreed += span
            if +active:
                disturbed += span
                downtime += span * max(+active)
        cursor = max(cursor, moment)
        if what == "outage":
            active[weight] += step
        elif what == "maintenance":
            maintaining += step
    return Uptime(agreed, downtime, disturbed, weighted)
