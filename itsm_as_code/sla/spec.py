"""Calendar and SLA records read into typed values, with what is wrong in them.

The same readers serve `itsm validate` (which turns each problem into a finding with a
line) and the clocks (which leave a broken calendar or SLA out and say why), so the two
can never disagree about what a calendar means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from itsm_as_code.sla import country
from itsm_as_code.timefmt import parse_duration

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
METRICS = ("response", "resolution")
CLOCKED_KINDS = ("Incident", "ServiceRequest")
# Rule names of the findings about calendars and SLA targets (`itsm validate`'s and the
# clocks' alike).
CALENDAR_RULE = "calendar"
TARGET_RULE = "sla-target"
_RANGE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")

Ranges = tuple[tuple[int, int], ...]  # seconds after local midnight, [start, end)


@dataclass(frozen=True)
class Problem:
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


def read_calendar(record_id: str, data: dict[str, Any]) -> tuple[CalendarSpec | None,
                                                                  list[Problem]]:
    """The calendar, or None when it cannot be used; and every problem found in it."""
    problems: list[Problem] = []
    zone = _zone(data.get("timezone"), problems)
    week = _week(data.get("hours"), problems)
    holidays = _holidays(data.get("holidays"), problems)
    found: country.Country | None = None
    code = data.get("holiday_country")
    if code is not None:
        found, message = country.lookup(str(code))
        if message:
            problems.append(Problem(("holiday_country",), message))
    if problems or zone is None:
        return None, problems
    return CalendarSpec(record_id, zone, week, holidays, found), problems


def read_sla(record_id: str, data: dict[str, Any]) -> tuple[SlaSpec | None, list[Problem]]:
    problems: list[Problem] = []
    targets: dict[tuple[str, str], int] = {}
    raw_targets = data.get("targets")
    for priority, target in (raw_targets.items() if isinstance(raw_targets, dict) else ()):
        for metric in METRICS:
            text = target.get(metric) if isinstance(target, dict) else None
            if text is None:
                continue
            at = ("targets", priority, metric)
            try:
                seconds = int(parse_duration(str(text)).total_seconds())
            except ValueError:
                problems.append(Problem(at, f"'{text}' is not a duration: write it like 45s, "
                                            "15m, 4h, 2d or 1h30m"))
                continue
            if seconds <= 0:
                problems.append(Problem(at, f"a target of '{text}' can never be met: give a "
                                            "positive duration such as 15m, or remove it"))
                continue
            targets[(str(priority), metric)] = seconds
    if problems:
        return None, problems
    calendar = data.get("calendar")
    warn_at = data.get("warn_at", 75)
    return SlaSpec(
        record_id,
        str(calendar) if calendar is not None else None,
        frozenset(str(status) for status in data.get("pause_on") or ()),
        warn_at if isinstance(warn_at, int) and 0 < warn_at <= 100 else 75,
        frozenset(data.get("applies_to") or CLOCKED_KINDS),
        targets,
    ), problems


def _zone(name: Any, problems: list[Problem]) -> ZoneInfo | None:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError, OSError):
        problems.append(Problem(("timezone",), f"unknown time zone '{name}'"
                                f"{country.suggest_zone(str(name))}: use an IANA name such as "
                                "Europe/Berlin, America/New_York or UTC"))
        return None


def _week(hours: Any, problems: list[Problem]) -> tuple[Ranges, ...] | None:
    if hours == "always":
        return None
    if not isinstance(hours, dict):
        problems.append(Problem(("hours",), "hours must be `always` or working time per "
                                "weekday, such as mon: [\"09:00-17:00\"]"))
        return ()
    week = tuple(_day(day, hours.get(day) or [], problems) for day in WEEKDAYS)
    if not any(week) and not any(hours.get(day) for day in WEEKDAYS):
        problems.append(Problem(("hours",), "the calendar has no working time at all: give "
                                "at least one weekday a range such as [\"09:00-17:00\"], or "
                                "write hours: always for 24x7"))
    return week


def _day(day: str, texts: list[Any], problems: list[Problem]) -> Ranges:
    ranges: list[tuple[int, int, int]] = []
    for index, text in enumerate(texts):
        match = _RANGE.match(str(text))
        if match is None:
            problems.append(Problem(("hours", day, index), f"'{text}' is not a range like "
                                    "09:00-17:00"))
            continue
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
        if h1 > 23 or m1 > 59 or m2 > 59 or end > 86400:
            problems.append(Problem(("hours", day, index), f"'{text}' is not a time of day: "
                                    "use 00:00 to 23:59, and 24:00 only as an end"))
        elif end == start:
            problems.append(Problem(("hours", day, index), f"'{text}' is empty: a range ends "
                                    "after it starts"))
        elif end < start:
            problems.append(Problem(("hours", day, index), f"'{text}' ends before it starts: "
                                    "a range runs forward within one day (use 24:00 for "
                                    "midnight, and split a night shift over two days)"))
        else:
            ranges.append((start, end, index))
    ranges.sort()
    latest: tuple[int, int] | None = None  # the furthest end so far, and its range's index
    for start, end, index in ranges:
        if latest is not None and start < latest[0]:
            first, second = sorted((index, latest[1]))
            problems.append(Problem(("hours", day, second), f"'{texts[second]}' overlaps "
                                    f"'{texts[first]}' on {day}: ranges of one day must not "
                                    "overlap"))
        if latest is None or end > latest[0]:
            latest = (end, index)
    return tuple((start, end) for start, end, _ in ranges)


def _holidays(values: Any, problems: list[Problem]) -> frozenset[date]:
    days: set[date] = set()
    for index, text in enumerate(values or ()):
        try:
            days.add(date.fromisoformat(str(text)))
        except ValueError:
            problems.append(Problem(("holidays", index), f"'{text}' is not a date like "
                                    "2026-12-24"))
    return frozenset(days)
