"""Recurring maintenance windows: the one expansion of a window's rule into occurrences.

A window with `recurrence` stands for a series: each start its RFC 5545 rule yields from
`scheduled_start` on, read as local time in the rule's time zone (python-dateutil's
rrule), begins an occurrence as long as the first one (`scheduled_start` to
`scheduled_end`). Every reader (status at a moment, the site, the Statuspage API,
availability, alert ingestion) asks here for occurrences and treats each as a one-off
window with an id of its own (`MNT-0003.20261129T0100Z`, the start in UTC), so none of
them knows about rules.

Daylight saving time, as for routines (model/schedule.py's `place`): a start in the hour
skipped when the clocks go forward happens when they jump (02:30 becomes 03:00); a start
in the hour that repeats when they go back happens at its first instance. Durations are
elapsed time.

Timeline entries act on the series as known at `now`: a move to `completed` or
`canceled` ends it (no occurrence starts later; one under way ends there); an entry with
`scheduled_end` moves the end of the occurrence under way, or else of the next one. Each
occurrence carries the entries written since the previous one ended, without their
status (an occurrence's status follows the clock), and the alerts that started in it.

Bounded: a series yields at most MAX_OCCURRENCES, and rules whose expansion could run
without end (more often than daily, INTERVAL=0, a BYMONTHDAY no BYMONTH has, a BYSETPOS or
a counted BYDAY that may select nothing) are refused; a window
whose rule cannot be used stands for its first occurrence alone (`itsm validate` says
why).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from itsm_as_code.model.schedule import place
from itsm_as_code.model.types import Maintenance, Recurrence

MAX_OCCURRENCES = 10_000
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH",
                   "BYHOUR", "BYMINUTE", "BYSETPOS", "WKST"})
_LONGEST = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # days, by month
_ENDS_SERIES = frozenset({"completed", "canceled"})
UTC = timezone.utc


class RuleError(ValueError):
    """A recurrence that cannot be used; the message says why, for `itsm validate`."""


@lru_cache(maxsize=1024)
def compiled(rule: str, zone: str, start: datetime) -> rrule:
    """The rule as dateutil iterates it from `start` (local to `zone`), or RuleError."""
    try:
        local = ZoneInfo(zone)
    except (ValueError, KeyError, OSError) as error:  # ZoneInfoNotFoundError is a KeyError
        raise RuleError(f"unknown time zone {zone!r}") from error
    _parts(rule)
    try:
        found = rrulestr(rule, dtstart=start.astimezone(local))
    except (ValueError, TypeError, OverflowError, IndexError) as error:
        if "UNTIL" in str(error):
            raise RuleError("UNTIL is a time in UTC, such as UNTIL=20271231T230000Z") from error
        raise RuleError(f"{rule} cannot be read: {error}") from error
    if not isinstance(found, rrule):  # a set: only from several rules, which _parts refuses
        raise RuleError(f"{rule} is not one rule")
    return found


def _parts(rule: str) -> dict[str, str]:
    """The rule's parts by name, checked for what this module can expand in bounded time."""
    parts: dict[str, str] = {}
    for part in rule.split(";"):
        name, _, value = part.partition("=")
        name = name.upper()
        if name not in PARTS:
            raise RuleError(f"{name} is not a part a maintenance rule may use: use "
                            + ", ".join(sorted(PARTS)))
        if name in parts:
            raise RuleError(f"{name} is given twice")
        parts[name] = value.upper()
    freq = parts.get("FREQ")
    if freq not in FREQUENCIES:
        said = f"FREQ={freq}" if freq else "no FREQ"
        raise RuleError(f"{said}: a maintenance window repeats DAILY, WEEKLY, MONTHLY or "
                        "YEARLY (several times a day: FREQ=DAILY;BYHOUR=2,14)")
    if not _number_in(parts.get("INTERVAL", "1"), 1, 1000):
        raise RuleError("INTERVAL is a whole number from 1 to 1000")
    if "BYSETPOS" in parts:
        _possible_positions(freq, parts)
    if freq == "MONTHLY" and any(not _number_in(day[:-2] or "1", -5, 5) or day[:-2] in
                                 ("0", "+0", "-0") for day in parts.get("BYDAY", "").split(",")
                                 if day):
        raise RuleError("BYDAY in a monthly rule counts at most 5 of a weekday in a month "
                        "(1MO to 5MO, -1MO to -5MO)")
    if "BYMONTHDAY" in parts:
        if any(not day.isalpha() for day in parts.get("BYDAY", "").split(",") if day):
            raise RuleError("BYDAY with a count (2MO) and BYMONTHDAY together may never "
                            "meet: use one of them")
        _possible_days(parts["BYMONTHDAY"], parts.get("BYMONTH"))
    return parts


def _number_in(text: str, low: int, high: int) -> bool:
    try:
        return low <= int(text) <= high
    except ValueError:
        return False


def _possible_positions(freq: str, parts: dict[str, str]) -> None:
    """BYSETPOS only where each position always exists: among plain weekdays (BYDAY
    without counts, no BYMONTHDAY), at most as many as a week or month surely has; else
    dateutil would search for an occurrence until the year 9999."""
    days = [day for day in parts.get("BYDAY", "").split(",") if day]
    most = len(days) if freq == "WEEKLY" else 4
    plain = days and all(day.isalpha() for day in days) and "BYMONTHDAY" not in parts
    if freq == "DAILY" or not plain or not all(
            _number_in(pos, -most, most) and pos.lstrip("+-") != "0"
            for pos in parts["BYSETPOS"].split(",")):
        raise RuleError(f"BYSETPOS picks among the weekdays of BYDAY (without counts or "
                        f"BYMONTHDAY) in a WEEKLY, MONTHLY or YEARLY rule, at most "
                        f"{most} from either end here, such as "
                        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1 (the last weekday)")


def _possible_days(days: str, months: str | None) -> None:
    """Refuse a BYMONTHDAY that none of the rule's months has (`30` in February), which
    dateutil would search for until the year 9999."""
    try:
        wanted = [abs(int(day)) for day in days.split(",")]
        chosen = [int(month) for month in months.split(",")] if months else range(1, 13)
        longest = max(_LONGEST[month - 1] for month in chosen if 1 <= month <= 12)
    except ValueError:
        return  # dateutil says what is wrong with the numbers
    if min(wanted) > longest:
        raise RuleError(f"BYMONTHDAY={days} falls in no month "
                        f"{'of BYMONTH=' + months if months else 'at all'}: no occurrence "
                        "would ever start")


def problem(window: Maintenance) -> str | None:
    """Why the window's recurrence cannot be used, or None when it can."""
    if window.recurrence is None:
        return None
    try:
        compiled(window.recurrence.rule, window.recurrence.timezone, window.scheduled_start)
    except RuleError as error:
        return str(error)
    return None


def occurrences(window: Maintenance, now: datetime, until: datetime) -> list[Maintenance]:
    """The windows `window` stands for that start before `until`, as known at `now`:
    itself when it does not recur; each occurrence otherwise (at most MAX_OCCURRENCES)."""
    if window.recurrence is None:
        return [window] if window.scheduled_start < until else []
    found = []
    for occurrence in _series(window, window.recurrence, now):
        if occurrence.scheduled_start >= until:
            break
        found.append(occurrence)
    return found


def following(window: Maintenance, now: datetime) -> Maintenance | None:
    """The first occurrence of a recurring window that starts after `now`, if any."""
    if window.recurrence is None:
        return None
    return next((o for o in _series(window, window.recurrence, now)
                 if o.scheduled_start > now), None)


def _starts(window: Maintenance, recurrence: Recurrence) -> Iterator[datetime]:
    try:
        rule = compiled(recurrence.rule, recurrence.timezone, window.scheduled_start)
    except RuleError:
        yield window.scheduled_start
        return
    zone = ZoneInfo(recurrence.timezone)
    for count, start in enumerate(rule):
        if count >= MAX_OCCURRENCES:
            return
        # The one placing of a local time (routines' due times use it too).
        yield place(start.replace(tzinfo=None), zone)


def _series(window: Maintenance, recurrence: Recurrence, now: datetime
            ) -> Iterator[Maintenance]:
    ended = next((entry.at for entry in window.timeline
                  if entry.at <= now and entry.status in _ENDS_SERIES), None)
    length = window.scheduled_end - window.scheduled_start
    extensions = [(at, end) for at, end in recurrence.extensions if at <= now]
    previous: datetime | None = None
    for start in _starts(window, recurrence):
        if ended is not None and start >= ended:
            return
        end = start + length
        for at, new_end in extensions:
            if (previous is None or previous <= at) and at < end and new_end > start:
                end = new_end
        if ended is not None:
            end = min(end, ended)
        entries = tuple(entry._replace(status=None) for entry in window.timeline
                        if (previous is None or previous <= entry.at) and entry.at < end)
        alerts = tuple(alert for alert in window.alerts if alert.started_at is not None
                       and start <= alert.started_at < end)
        yield replace(window, id=f"{window.id}.{start:%Y%m%dT%H%MZ}", scheduled_start=start,
                      scheduled_end=end, status="scheduled", timeline=entries,
                      recurrence=None, alerts=alerts, series=window.id)
        previous = end
