"""Calendars and SLAs of the model turned into what the clocks count, with what is wrong
in them (the schema checks their shape; this checks their meaning).

The same readers serve `itsm validate` (which turns each flaw into a finding with a
line) and the clocks (which leave a broken calendar or SLA out and say why), so the two
can never disagree about what a calendar means.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from itsm_as_code.model.types.organisation import SLA, Calendar, Escalation
from itsm_as_code.sla import country

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
METRICS = ("response", "resolution")
CLOCKED_KINDS = ("Incident", "ServiceRequest")
# Rule names of the findings about calendars and SLA targets (`itsm validate`'s and the
# clocks' alike).
CALENDAR_RULE = "calendar"
TARGET_RULE = "sla-target"
DAYS_RULE = "sla-days"  # a warning: days (`3d`) where business days (`3bd`) are meant
_RANGE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
_DAYS = re.compile(r"^([0-9]+)d")  # a duration in days (`3d4h`), not business days

Ranges = tuple[tuple[int, int], ...]  # seconds after local midnight, [start, end)
Hours = Literal["always"] | Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Flaw:
    """Something wrong at `at` inside a record (a path of keys and list indexes)."""

    at: tuple[str | int, ...]
    message: str

    @property
    def text(self) -> str:
        """The message after where it is, `hours.tue[1]: ...`, as schema messages read."""
        where = ""
        for step in self.at:
            where += f"[{step}]" if isinstance(step, int) else (f".{step}" if where else step)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class CalendarSpec:
    """Working time: `week` holds Monday..Sunday's ranges; None means `hours: always`."""

    id: str
    zone: ZoneInfo
    week: tuple[Ranges, ...] | None
    holidays: frozenset[date] = frozenset()
    country: country.Country | None = None

    @property
    def wall_time(self) -> bool:
        """True when every instant counts: 24x7 with no holidays at all."""
        return self.week is None and not self.holidays and self.country is None


@dataclass(frozen=True)
class SlaSpec:
    id: str
    calendar: str | None
    pause_on: frozenset[str]
    warn_at: int
    applies_to: frozenset[str]
    targets: dict[tuple[str, str], int] = field(default_factory=dict)  # (P1, metric) -> s
    # Targets in business days (`2bd4h`): the days, which come before `targets`' seconds.
    business_days: dict[tuple[str, str], int] = field(default_factory=dict)
    escalations: tuple[Escalation, ...] = ()  # as written; sla/escalation.py reads them


def read_calendar(calendar: Calendar) -> tuple[CalendarSpec | None, list[Flaw]]:
    """The calendar's working time, or None when it cannot be used; and every flaw in it."""
    flaws: list[Flaw] = []
    zone = _zone(calendar.timezone, flaws)
    week = _week(calendar.hours, flaws)
    holidays = frozenset(calendar.holidays)
    found: country.Country | None = None
    if calendar.holiday_country is not None:
        found, message = country.lookup(calendar.holiday_country)
        if message:
            flaws.append(Flaw(("holiday_country",), message))
    if flaws or zone is None:
        return None, flaws
    return CalendarSpec(calendar.id, zone, week, holidays, found), flaws


def working_hours(sla: SLA, calendars: Mapping[str, Calendar]) -> bool | None:
    """Whether the SLA counts the working hours of a calendar (False: it runs 24x7); None
    when its calendar is not among `calendars` (the reference rule reports that)."""
    if sla.calendar is None:
        return False
    calendar = calendars.get(sla.calendar)
    return None if calendar is None else calendar.hours != "always"


def read_sla(sla: SLA, working: bool | None = None) -> tuple[SlaSpec | None, list[Flaw]]:
    """The SLA's targets in seconds, or None when one can never be met or counts business
    days without working hours (`working` is `working_hours(...)`); and every flaw."""
    flaws: list[Flaw] = []
    targets: dict[tuple[str, str], int] = {}
    business: dict[tuple[str, str], int] = {}
    for priority, target in sla.targets.items():
        for metric, duration in (("response", target.response),
                                 ("resolution", target.resolution)):
            if duration is None:
                continue
            seconds = int(duration.total_seconds())
            days = target.business_days.get(metric, 0)
            if seconds <= 0 and days <= 0:
                text = target.written.get(metric, f"{seconds}s")
                flaws.append(Flaw(("targets", priority, metric),
                                  f"a target of '{text}' can never be met: give a positive "
                                  "duration such as 15m, or remove it"))
                continue
            if days and working is False:
                flaws.append(Flaw(("targets", priority, metric), _no_business_days(
                    sla, target.written.get(metric, f"{days}bd"))))
                continue
            targets[(priority, metric)] = seconds
            if days:
                business[(priority, metric)] = days
    if flaws:
        return None, flaws
    return SlaSpec(sla.id, sla.calendar, sla.pause_on, sla.warn_at,
                   frozenset(sla.applies_to or CLOCKED_KINDS), targets, business,
                   sla.escalations), flaws


def _no_business_days(sla: SLA, text: str) -> str:
    # Refused rather than read as `d`: whoever wrote `bd` expects weekends and holidays
    # skipped, and 24x7 would silently count them.
    where = (f"calendar '{sla.calendar}' has hours: always" if sla.calendar is not None
             else "the SLA has no calendar")
    return (f"'{text}' counts business days, but {where} (24x7, no business days): give "
            f"the SLA a calendar with working hours, or write '{text.replace('bd', 'd')}' "
            "for whole days around the clock")


def plain_days(sla: SLA, working: bool | None) -> list[Flaw]:
    """Targets in days (`3d`, 72 hours of working time) on an SLA whose calendar has
    working hours, where business days (`3bd`) are nearly always what is meant."""
    if working is not True:
        return []
    flaws: list[Flaw] = []
    for priority, target in sla.targets.items():
        for metric, duration in (("response", target.response),
                                 ("resolution", target.resolution)):
            text = target.written.get(metric, "")
            found = _DAYS.match(text)
            if duration is None or found is None:
                continue
            days, seconds = found[1], int(duration.total_seconds())
            hours = f"{seconds // 3600}h" + "".join(
                f"{amount}{unit}" for amount, unit in ((seconds % 3600 // 60, "m"),
                                                      (seconds % 60, "s")) if amount)
            plural = "" if days == "1" else "s"
            flaws.append(Flaw(("targets", priority, metric), (
                f"'{text}' counts {hours} of working time of calendar '{sla.calendar}', not "
                f"{days} working day{plural}: write '{days}bd{text[found.end():]}' for "
                f"business days, or '{hours}' to keep {hours} of working time")))
    return flaws


def _zone(name: str, flaws: list[Flaw]) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        flaws.append(Flaw(("timezone",),
                          f"unknown time zone '{name}'{country.suggest_zone(name)}: use an "
                          "IANA name such as Europe/Berlin, America/New_York or UTC"))
        return None


def _week(hours: Hours, flaws: list[Flaw]) -> tuple[Ranges, ...] | None:
    if isinstance(hours, str):  # the schema allows one word: `always`
        return None
    week = tuple(_day(day, hours.get(day) or (), flaws) for day in WEEKDAYS)
    if not any(week) and not any(hours.get(day) for day in WEEKDAYS):
        flaws.append(Flaw(("hours",),
                          "the calendar has no working time at all: give at least one "
                          "weekday a range such as [\"09:00-17:00\"], or write hours: always "
                          "for 24x7"))
    return week


def _day(day: str, texts: Sequence[str], flaws: list[Flaw]) -> Ranges:
    ranges: list[tuple[int, int, int]] = []
    for index, text in enumerate(texts):
        at = ("hours", day, index)
        match = _RANGE.match(text)
        if match is None:
            flaws.append(Flaw(at, f"'{text}' is not a range like 09:00-17:00"))
            continue
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
        if h1 > 23 or m1 > 59 or m2 > 59 or end > 86400:
            flaws.append(Flaw(at, f"'{text}' is not a time of day: use 00:00 to 23:59, and "
                                  "24:00 only as an end"))
        elif end == start:
            flaws.append(Flaw(at, f"'{text}' is empty: a range ends after it starts"))
        elif end < start:
            flaws.append(Flaw(at, f"'{text}' ends before it starts: a range runs forward "
                                  "within one day (use 24:00 for midnight, and split a night "
                                  "shift over two days)"))
        else:
            ranges.append((start, end, index))
    ranges.sort()
    latest: tuple[int, int] | None = None  # the furthest end so far, and its range's index
    for start, end, index in ranges:
        if latest is not None and start < latest[0]:
            first, second = sorted((index, latest[1]))
            flaws.append(Flaw(("hours", day, second),
                              f"'{texts[second]}' overlaps '{texts[first]}' on {day}: ranges "
                              "of one day must not overlap"))
        if latest is None or end > latest[0]:
            latest = (end, index)
    return tuple((start, end) for start, end, _ in ranges)
