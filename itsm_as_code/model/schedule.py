"""When a routine's runs are due: a cron expression or an RFC 5545 recurrence rule, read
in a time zone, as instants.

Both are rules of model/rrules.py, which reads, bounds and expands every recurrence rule
and places local times in the zone across daylight saving time: a cron expression is
parsed here, field by field, into the rule's BYxxx parts (two rules when both its days
are restricted, since cron runs on a day matching either). Two local times that land on
one instant (02:00 and 02:30 both skipped) are one run.

A recurrence rule is counted from `since` (to the minute), or from Monday 3 January 2000
00:00 local, so parts it leaves out (the weekday of a weekly rule, the hour, the minute)
come from that start. COUNT is refused: a routine recurs until it is removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

from itsm_as_code.model.rrules import FREQUENCIES, Policy, Recurring, read_rule, starts

ANCHOR = datetime(2000, 1, 3)  # a Monday: the start of a rule without `since`
MOST = 200_000  # due times one window may hold (a run every minute for 138 days)
MACROS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
          "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
          "@hourly": "0 * * * *"}
_NAMES = {"month": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                    "nov", "dec"),
          "day of week": ("sun", "mon", "tue", "wed", "thu", "fri", "sat")}
# name, lowest, highest
_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12),
           ("day of week", 0, 7))
_ITEM = re.compile(r"^(\*|[0-9a-z]+(?:-[0-9a-z]+)?)(?:/([0-9]+))?$")
ROUTINES = Policy(FREQUENCIES[:-1], "FREQ={freq} is more often than a routine can be watched",
                  "a routine's rule has no COUNT: it recurs until the routine is removed "
                  "(UNTIL may end it)")


@dataclass(frozen=True)
class Schedule:
    """Due times of one routine: `rules` make local times in `zone`, placed there."""

    rules: tuple[Recurring, ...]
    zone: ZoneInfo

    def due(self, start: datetime, end: datetime) -> list[datetime]:
        """The due instants in [start, end), in UTC, oldest first (at most MOST)."""
        found: set[datetime] = set()
        for rule in self.rules:
            for moment in starts(rule, self.zone, start, end):
                if start <= moment < end:
                    found.add(moment)
                    if len(found) > MOST:
                        raise ValueError(f"more than {MOST:,} runs due between {start} and "
                                         f"{end}: a schedule that often cannot be watched")
        return sorted(found)

    def next_due(self, after: datetime) -> datetime | None:
        """The first due instant after `after` (within ten years), or None."""
        for days in (2, 40, 400, 3660):
            found = self.due(after + timedelta(microseconds=1), after + timedelta(days=days))
            if found:
                return found[0]
        return None

    def previous_due(self, before: datetime) -> datetime | None:
        """The last due instant at or before `before` (within ten years), or None."""
        for days in (2, 40, 400, 3660):
            found = self.due(before - timedelta(days=days), before + timedelta(microseconds=1))
            if found:
                return found[-1]
        return None


def read_schedule(kind: str, text: str, zone: ZoneInfo,
                  since: datetime | None = None) -> Schedule:
    """The schedule of a `cron` or `rrule` text; ValueError saying what is wrong."""
    if kind == "cron":
        return Schedule(cron_rules(text, zone), zone)
    start = (since.astimezone(zone).replace(second=0, microsecond=0) if since
             else ANCHOR.replace(tzinfo=zone))
    return Schedule((read_rule(text, start, ROUTINES),), zone)


def read_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        raise ValueError(f"unknown time zone {name!r}: write an IANA name such as "
                         "Europe/Berlin or UTC") from None


def cron_rules(text: str, zone: ZoneInfo) -> tuple[Recurring, ...]:
    """The recurrence rules of a five-field cron expression, read in `zone`."""
    expression = MACROS.get(text.strip().lower(), text.strip().lower())
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"cron {text!r} has {len(fields)} field(s), not 5: minute hour "
                         "day-of-month month day-of-week, such as `0 2 * * *`, or @daily")
    minutes, hours, days, months, weekdays = (
        _field(value, *spec) for value, spec in zip(fields, _FIELDS, strict=True))
    by_weekday = sorted({(day - 1) % 7 for day in weekdays})

    anchor = ANCHOR.replace(tzinfo=zone)

    def daily(monthdays: list[int] | None = None, days: list[int] | None = None
              ) -> Recurring:
        return Recurring(rrule.rrule(rrule.DAILY, dtstart=anchor, byminute=sorted(minutes),
                                     byhour=sorted(hours), bysecond=0, bymonth=sorted(months),
                                     bymonthday=monthdays, byweekday=days),
                         anchor, timedelta(days=1))

    day_star, weekday_star = fields[2].startswith("*"), fields[4].startswith("*")
    if not day_star and not weekday_star:
        return (daily(monthdays=sorted(days)), daily(days=by_weekday))
    if not weekday_star:
        return (daily(days=by_weekday),)
    return (daily(monthdays=sorted(days)),)


def _field(text: str, name: str, low: int, high: int) -> set[int]:
    values: set[int] = set()
    for item in text.split(","):
        found = _ITEM.match(item)
        if found is None:
            raise ValueError(f"cron {name} {item!r} is not `*`, a value, a range a-b or a "
                             "step */n")
        span, step = found.group(1), int(found.group(2) or 1)
        if span == "*":
            first, last = low, high
        else:
            a, _, b = span.partition("-")
            first = _value(a, name, low, high)
            last = _value(b, name, low, high) if b else (high if found.group(2) else first)
        if first > last or step == 0:
            raise ValueError(f"cron {name} {item!r} runs backwards or steps by 0")
        values.update(range(first, last + 1, step))
    return values


def _value(text: str, name: str, low: int, high: int) -> int:
    names = _NAMES.get(name, ())
    if text in names:
        return names.index(text) + (1 if name == "month" else 0)
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValueError(f"cron {name} {text!r} is not a number from {low} to {high}"
                         + (f" or a name ({', '.join(names)})" if names else ""))
    return int(text)
