"""Properties of working time over random calendars (zones with DST shifts of an hour and
of half an hour, split days, holidays) and random intervals: it agrees with a count
minute by minute, is additive, never exceeds wall time, is zero across closed days, does
not see holidays outside the interval, and deadlines invert it."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from itsm_as_code.model.readers import organisation as readers
from itsm_as_code.sla.calendar import MICROS_PER_SECOND as SECOND
from itsm_as_code.sla.calendar import WorkingTime, working_time
from itsm_as_code.sla.spec import WEEKDAYS, CalendarSpec, read_calendar

ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
         "America/Santiago", "Asia/Kolkata")
FIRST = int(datetime(2025, 12, 1, tzinfo=timezone.utc).timestamp())
LAST = int(datetime(2027, 2, 1, tzinfo=timezone.utc).timestamp())
DAY = 86400
PROPERTY = settings(max_examples=150, deadline=None)


@st.composite
def day_ranges(draw: st.DrawFn) -> list[str]:
    """0 to 3 ranges of one day, on whole minutes, sorted and not overlapping."""
    cuts = sorted(draw(st.sets(st.integers(0, 1440), max_size=6)))
    cuts = cuts[: len(cuts) // 2 * 2]
    return [f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}"
            for a, b in zip(cuts[::2], cuts[1::2], strict=True) if a < b]


@st.composite
def calendars(draw: st.DrawFn) -> dict[str, Any]:
    fields: dict[str, Any] = {"timezone": draw(st.sampled_from(ZONES))}
    if draw(st.integers(0, 9)) == 0:
        fields["hours"] = "always"
    else:
        fields["hours"] = {day: draw(day_ranges()) for day in WEEKDAYS}
        if not any(fields["hours"].values()):
            fields["hours"]["mon"] = ["09:00-17:00"]
    days = st.dates(date(2025, 12, 1), date(2027, 1, 31)).map(date.isoformat)
    fields["holidays"] = draw(st.lists(days, max_size=5, unique=True))
    return fields


def build(fields: dict[str, Any]) -> tuple[CalendarSpec, WorkingTime]:
    spec, flaws = read_calendar(readers.calendar({"id": "random", **fields}))
    assert flaws == [] and spec is not None, flaws
    return spec, working_time(spec)


def by_minute(spec: CalendarSpec, start: int, end: int) -> int:
    """The oracle: seconds of [start, end) (whole minutes) whose local minute is working."""
    total = 0
    for second in range(start, end, 60):
        local = datetime.fromtimestamp(second, spec.zone)
        if local.date() in spec.holidays:
            continue
        week = spec.week if spec.week is not None else (((0, DAY),),) * 7
        minute = local.hour * 3600 + local.minute * 60
        total += 60 * any(a <= minute < b for a, b in week[local.weekday()])
    return total


minutes = st.integers(FIRST // 60, LAST // 60).map(lambda m: m * 60)


@PROPERTY
@given(calendars(), minutes, st.integers(0, 3 * DAY // 60))
def test_agrees_with_a_count_minute_by_minute(fields: dict[str, Any], start: int,
                                              length: int) -> None:
    spec, time = build(fields)
    end = start + length * 60
    assert time.counted(start * SECOND, end * SECOND) == by_minute(spec, start, end) * SECOND


instants = st.integers(FIRST * SECOND, LAST * SECOND)


@PROPERTY
@given(calendars(), st.lists(instants, min_size=3, max_size=3))
def test_additive_when_an_interval_is_split(fields: dict[str, Any], points: list[int]) -> None:
    _, time = build(fields)
    a, b, c = sorted(points)
    assert time.counted(a, c) == time.counted(a, b) + time.counted(b, c)


@PROPERTY
@given(calendars(), instants, instants)
def test_never_more_than_wall_time(fields: dict[str, Any], start: int, end: int) -> None:
    _, time = build(fields)
    assert 0 <= time.counted(start, end) <= max(0, end - start)


@PROPERTY
@given(calendars(), st.dates(date(2025, 12, 2), date(2027, 1, 30)))
def test_zero_across_a_closed_day(fields: dict[str, Any], day: date) -> None:
    fields["holidays"] = [*fields["holidays"], day.isoformat()]
    if day.isoformat() in fields["holidays"][:-1]:
        fields["holidays"].pop()
    spec, time = build(fields)
    start = datetime(day.year, day.month, day.day, tzinfo=spec.zone)
    end = start + timedelta(days=1)  # aware arithmetic in one zone: the next local midnight
    assert time.counted(int(start.timestamp()) * SECOND, int(end.timestamp()) * SECOND) == 0


@PROPERTY
@given(calendars(), minutes, st.integers(0, 20 * DAY // 60), st.integers(2, 40),
       st.booleans())
def test_a_holiday_outside_the_interval_changes_nothing(
    fields: dict[str, Any], start: int, length: int, away: int, before: bool
) -> None:
    spec, time = build(fields)
    end = start + length * 60
    first = datetime.fromtimestamp(start, spec.zone).date()
    last = datetime.fromtimestamp(end, spec.zone).date()
    outside = first - timedelta(days=away) if before else last + timedelta(days=away)
    day = outside.isoformat()
    other = dict(fields, holidays=[h for h in fields["holidays"] if h != day] if day in
                 fields["holidays"] else [*fields["holidays"], day])
    _, changed = build(other)
    low, high = start * SECOND, end * SECOND
    assert changed.counted(low, high) == time.counted(low, high)


@PROPERTY
@given(calendars(), instants, st.integers(0, 30 * DAY * SECOND), st.integers(0, 100))
def test_a_deadline_is_the_earliest_instant_with_that_much_time(
    fields: dict[str, Any], start: int, span: int, percent: int
) -> None:
    _, time = build(fields)
    amount = time.counted(start, start + span) * percent // 100
    found = time.reach(start, amount)
    assert found is not None
    assert time.counted(start, found) == amount
    if amount:
        assert time.counted(start, found - 1) == amount - 1


def test_the_oracle_sees_dst() -> None:
    """The oracle itself is right: a 00:00-24:00 Sunday in Berlin on 29 March is 23h."""
    spec, _ = build({"timezone": "Europe/Berlin", "hours": {"sun": ["00:00-24:00"]}})
    start = int(datetime(2026, 3, 29, tzinfo=ZoneInfo("Europe/Berlin")).timestamp())
    assert by_minute(spec, start, start + 2 * DAY) == 23 * 3600
