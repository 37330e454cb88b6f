"""RFC 5545 recurrence rules: the one reader, bounds and expander for every record with a
rule (routines' `schedule.rrule`, maintenance windows' `recurrence.rule`; a routine's cron
expression is read into the same rules by model/schedule.py).

A rule is read from a start, in a time zone (python-dateutil's `rrule`, which counts on
the local wall clock): the parts it leaves out (the weekday of a weekly rule, the hour,
the minute) come from the start, and UNTIL is an instant in UTC, as RFC 5545 says for a
rule with a time zone. Each local time is then placed in the zone (`place`):

- a local time the clocks skip (02:30 on a spring-forward night) happens at the instant
  the clocks jump (03:00 local), the next time that exists;
- a local time the clocks pass twice (02:30 on a fall-back night) happens the first time.

Rules come from pull requests, and dateutil searches for the next occurrence until the
year 9999, so a rule whose expansion could run without end is refused: a BYMONTHDAY
that none of its months has, a BYSETPOS or a counted BYDAY that may select nothing, an
INTERVAL outside 1 to 1000, a part beyond the ones listed. Each kind of record says how
often its rules may repeat and whether COUNT may end them (a `Policy`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import rrule

from itsm_as_code.yamlerrors import shown

UTC = timezone.utc
FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH",
                   "BYHOUR", "BYMINUTE", "BYSETPOS", "WKST"})
_LONGEST = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # days, by month
_STEP = {"DAILY": timedelta(days=1), "WEEKLY": timedelta(weeks=1),
         "HOURLY": timedelta(hours=1), "MINUTELY": timedelta(minutes=1)}
# A local time is placed within hours of the instant it names (offsets differ by < 3 h).
_SLACK = timedelta(hours=3)


class RuleError(ValueError):
    """A rule that cannot be used; the message says why, for `itsm validate`."""


@dataclass(frozen=True)
class Policy:
    """What one kind of record allows of its rules: the frequencies (others are refused
    with `too_often`, where `{freq}` is the rule's FREQ), and whether COUNT may end a rule
    (None: it may; else why not)."""

    frequencies: tuple[str, ...]
    too_often: str
    no_count: str | None = None


@dataclass(frozen=True)
class Recurring:
    """A rule counted from `start` (local to the zone its times are placed in), and its
    period when that is fixed (None: months, years, or a COUNT to keep)."""

    rule: rrule.rrule
    start: datetime
    period: timedelta | None


def read_rule(text: str, start: datetime, policy: Policy) -> Recurring:
    """The rule `text` (RRULE's value, `RRULE:` allowed in front) counted from `start`, an
    aware datetime in the zone of the rule; RuleError saying what is wrong."""
    value = text.strip().removeprefix("RRULE:").removeprefix("rrule:")
    parts = _parts(value, policy)
    try:
        found = rrule.rrulestr(value, dtstart=start)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        if "UNTIL" in str(error):
            raise RuleError("UNTIL is a time in UTC, such as UNTIL=20271231T230000Z") from error
        raise RuleError(f"{shown(value)} cannot be read: {shown(str(error))}") from error
    if not isinstance(found, rrule.rrule):  # a set: only from several rules, which _parts refuses
        raise RuleError(f"{shown(value)} is not one rule")
    step = _STEP.get(parts["FREQ"])
    period = None if step is None or "COUNT" in parts else step * int(parts.get("INTERVAL", 1))
    return Recurring(found, start, period)


def starts(recurring: Recurring, zone: ZoneInfo, low: datetime | None = None,
           high: datetime | None = None) -> Iterator[datetime]:
    """The instants (UTC) the rule's local times name in `zone`, oldest first: all of them
    (the caller bounds how many it takes), or with `low` and `high` those near [low, high]
    (within hours: the caller keeps the ones it wants)."""
    rule = recurring.rule
    if low is None or high is None:
        found: Iterator[datetime] = iter(rule)
    else:
        local_low, local_high = low.astimezone(zone) - _SLACK, high.astimezone(zone) + _SLACK
        start, period = recurring.start, recurring.period
        if period is not None and start < local_low:
            # Counting from the start costs a step per period since then: start near `low`
            # by whole periods instead, which keeps the rule's phase.
            rule = rule.replace(dtstart=start + period * ((local_low - start) // period))
        found = iter(rule.between(local_low, local_high, inc=True))
    for local in found:
        yield place(local.replace(tzinfo=None), zone)


def place(local: datetime, zone: ZoneInfo) -> datetime:
    """The instant of a naive local time in `zone`: the first of a time the clocks pass
    twice; for a time they skip, the instant they jump."""
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == local:
        return first
    # Skipped: the later offset reads it before the jump, the earlier one after it.
    low = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = max(first, low)
    low = min(first, low)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= local:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def _parts(rule: str, policy: Policy) -> dict[str, str]:
    """The rule's parts by name, checked for what can be expanded in bounded time."""
    parts: dict[str, str] = {}
    for part in rule.split(";"):
        name, _, value = part.partition("=")
        name = name.upper()
        if name not in PARTS:
            raise RuleError(f"{shown(name)} is not a part a rule may use here: use "
                            + ", ".join(sorted(PARTS)))
        if name in parts:
            raise RuleError(f"{name} is given twice")
        parts[name] = value.upper()
    freq = parts.get("FREQ")
    if freq is None:
        raise RuleError(f"'{shown(rule)}' has no FREQ: a recurrence rule says how often, such "
                        "as FREQ=WEEKLY;BYDAY=SU;BYHOUR=3")
    if freq not in FREQUENCIES:
        raise RuleError(f"FREQ={shown(freq)} is not one of {', '.join(FREQUENCIES)}")
    if freq not in policy.frequencies:
        raise RuleError(policy.too_often.format(freq=freq))
    if "COUNT" in parts and policy.no_count is not None:
        raise RuleError(policy.no_count)
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
    if freq not in ("WEEKLY", "MONTHLY", "YEARLY") or not plain or not all(
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
