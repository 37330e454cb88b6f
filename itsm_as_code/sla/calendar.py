"""Working time: how much of an interval a calendar counts, and when an amount is reached.

Instants are integers: microseconds since 1970-01-01 UTC. A calendar's working time is
kept as a sorted list of UTC pieces with the working time before each, so the working
time between two instants is two binary searches, and the instant at which an amount
of working time is reached is one more. The list is built day by day for the span the
clocks ask about and grows by doubling, so a pause of a year costs the same as a pause
of a minute, and the days are walked once in all.

A day's pieces are the instants whose local wall-clock reading falls in one of that
weekday's ranges. Reading that set off the zone's UTC offsets, rather than converting
each range's ends, is what makes DST exact: on a 23-hour day a 00:00-24:00 range is 23
hours long; when the clocks go back, 02:00-03:00 happens twice and counts twice; a range
that begins inside the skipped hour begins when the clocks jump.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime
from typing import Protocol

from itsm_as_code.sla import country
from itsm_as_code.sla.spec import CalendarSpec, Ranges

MICROS_PER_SECOND = 1_000_000
DAY = 86_400
EPOCH = date(1970, 1, 1).toordinal()
FIRST_DAY = date(1900, 1, 1).toordinal()  # the span of instants clocks are computed for
LAST_DAY = date(2999, 12, 31).toordinal()
HORIZON = 50 * 366  # days a deadline is looked for ahead of its start before giving up
MARGIN = 2  # days beyond an instant's UTC date that may hold pieces before it
FULL_DAY: Ranges = ((0, DAY),)
# Offsets lie within UTC-12..UTC+14: the instants whose local reading is in a range of a
# day lie inside that range widened by these amounts.
_EAST, _WEST = 15 * 3600, 13 * 3600


class WorkingTime(Protocol):
    def counted(self, start: int, end: int) -> int:
        """Working microseconds in [start, end); 0 when end <= start."""

    def reach(self, start: int, amount: int) -> int | None:
        """The earliest instant t >= start with counted(start, t) == amount, or None when
        that lies beyond the horizon (a calendar with too little working time ahead)."""

    def ahead(self, start: int, days: int) -> int | None:
        """The working time from `start` to the same point of the working day `days`
        working days on (or that day's end, when it is shorter); None beyond the horizon.

        The point of a working day is the working time of that day before it; an instant
        outside working time is at the start of the next working day."""


class WallTime:
    """24x7 without holidays: every microsecond counts."""

    def counted(self, start: int, end: int) -> int:
        return max(0, end - start)

    def reach(self, start: int, amount: int) -> int | None:
        return start + max(0, amount)

    def ahead(self, start: int, days: int) -> int | None:
        # Without a calendar there is no zone and so no local day: days of 24 hours (the
        # rules refuse business days on an SLA that runs 24x7 before a clock sees them).
        return max(0, days) * DAY * MICROS_PER_SECOND


def utc_day(instant: int) -> int:
    """The proleptic ordinal of the UTC date of `instant`."""
    return instant // (DAY * MICROS_PER_SECOND) + EPOCH


class CalendarTime:
    """A calendar's working time, built lazily over the days that queries touch."""

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self._week: tuple[Ranges, ...] = spec.week if spec.week is not None else (FULL_DAY,) * 7
        self._listed = frozenset(day.toordinal() for day in spec.holidays)
        self._first = self._last = 0  # day ordinals covered: [first, last)
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._before: list[int] = []  # working time before each piece
        self._after: list[int] = []  # ... and up to its end
        # Each working day's working time before its first piece and after its last one,
        # in order: the index of business days.
        self._day_starts: list[int] = []
        self._day_ends: list[int] = []

    def counted(self, start: int, end: int) -> int:
        if end <= start:
            return 0
        self._cover(utc_day(start), utc_day(end))
        return self._cumulative(end) - self._cumulative(start)

    def reach(self, start: int, amount: int) -> int | None:
        if amount <= 0:
            return start
        limit = min(utc_day(start) + HORIZON, LAST_DAY)
        self._cover(utc_day(start), utc_day(start))
        while True:
            goal = self._cumulative(start) + amount
            index = bisect_left(self._after, goal)
            if index < len(self._after):
                found = self._starts[index] + goal - self._before[index]
                if utc_day(found) + MARGIN < self._last:
                    return found
            if self._last >= limit:
                return None
            self._cover(self._last, min(self._last + (self._last - self._first), limit))

    def ahead(self, start: int, days: int) -> int | None:
        if days <= 0:
            return 0
        limit = min(utc_day(start) + HORIZON, LAST_DAY)
        self._cover(utc_day(start), utc_day(start))
        while True:
            before = self._cumulative(start)
            first = bisect_right(self._day_ends, before)  # the day `start` is in, or the next
            last = first + days
            if last < len(self._day_ends):
                into = max(0, before - self._day_starts[first])
                length = self._day_ends[last] - self._day_starts[last]
                return self._day_starts[last] + min(into, length) - before
            if self._last >= limit:
                return None
            self._cover(self._last, min(self._last + (self._last - self._first), limit))

    def _cumulative(self, instant: int) -> int:
        index = bisect_right(self._starts, instant) - 1
        if index < 0:
            return 0
        return self._before[index] + min(instant, self._ends[index]) - self._starts[index]

    def _cover(self, low: int, high: int) -> None:
        """Make sure the pieces of every day that can hold instants of [low, high] are built.

        The span at least doubles on each rebuild, so the days are built O(1) times each
        on average however the queries wander.
        """
        low, high = max(low - MARGIN, FIRST_DAY), min(high + MARGIN + 1, LAST_DAY)
        if self._first < self._last and self._first <= low and high <= self._last:
            return
        if self._first < self._last:
            span = max(self._last - self._first, 64)
            low = min(self._first, low - span if low < self._first else low)
            high = max(self._last, high + span if high > self._last else high)
        else:
            low, high = low - 32, high + 32
        self._build(max(low, FIRST_DAY), min(high, LAST_DAY))

    def _build(self, first: int, last: int) -> None:
        holidays = set(self._listed)
        if self.spec.country is not None:
            for year in range(date.fromordinal(first).year, date.fromordinal(last).year + 1):
                holidays.update(day.toordinal() for day in country.days(self.spec.country, year))
        pieces: list[tuple[int, int]] = []
        days: list[tuple[int, int]] = []  # each working day's first start and last end
        for ordinal in range(first, last):
            ranges = self._week[(ordinal - 1) % 7]
            if ranges and ordinal not in holidays:
                found = self._day(ordinal, ranges)
                if found:  # a range inside the hour a DST change skips leaves none
                    pieces.extend(found)
                    days.append((min(a for a, _ in found), max(b for _, b in found)))
        pieces.sort()  # days are nearly always in order; a zone that turns back at midnight
        starts: list[int] = []
        ends: list[int] = []
        before: list[int] = []
        after: list[int] = []
        total = 0
        for start, end in pieces:
            if ends and start <= ends[-1]:  # touching pieces (24x7) become one
                total += max(0, end - ends[-1])
                ends[-1] = max(ends[-1], end)
                after[-1] = total
                continue
            starts.append(start)
            ends.append(end)
            before.append(total)
            total += end - start
            after.append(total)
        self._starts, self._ends, self._before, self._after = starts, ends, before, after
        self._first, self._last = first, last
        self._day_starts = [self._cumulative(start) for start, _ in days]
        self._day_ends = [self._cumulative(end) for _, end in days]

    def _day(self, ordinal: int, ranges: Ranges) -> list[tuple[int, int]]:
        """The UTC pieces (microseconds) whose local reading on this day is in `ranges`."""
        midnight = (ordinal - EPOCH) * DAY  # local midnight, in seconds of local time
        low = midnight + ranges[0][0] - _EAST
        high = midnight + ranges[-1][1] + _WEST
        before, after = self._offset(low), self._offset(high)
        if before == after:
            return [((midnight + a - before) * MICROS_PER_SECOND,
                     (midnight + b - before) * MICROS_PER_SECOND) for a, b in ranges]
        change = self._transition(low, high, before)
        segments = ((low, change, before), (change, high, after))
        pieces = []
        for a, b in ranges:
            for seg_start, seg_end, offset in segments:
                start, end = max(midnight + a - offset, seg_start), min(midnight + b - offset,
                                                                         seg_end)
                if start < end:
                    pieces.append((start * MICROS_PER_SECOND, end * MICROS_PER_SECOND))
        return pieces

    def _offset(self, second: int) -> int:
        offset = datetime.fromtimestamp(second, self.spec.zone).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    def _transition(self, low: int, high: int, before: int) -> int:
        """The first second in (low, high] whose offset differs from `before`."""
        while high - low > 1:
            middle = (low + high) // 2
            if self._offset(middle) == before:
                low = middle
            else:
                high = middle
        return high


def working_time(spec: CalendarSpec | None) -> WorkingTime:
    """The working time of a calendar; None (an SLA without a calendar) runs 24x7."""
    if spec is None or spec.wall_time:
        return WallTime()
    return CalendarTime(spec)
