"""Working time, worked out by hand: weekends, holidays, split days, DST in both directions
in several time zones, 24x7, and deadlines found by walking the calendar forward."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from itsm_as_code.model.readers import organisation as readers
from itsm_as_code.sla.calendar import MICROS_PER_SECOND as SECOND
from itsm_as_code.sla.calendar import CalendarTime, WallTime, WorkingTime, working_time
from itsm_as_code.sla.history import instant_of, show
from itsm_as_code.sla.spec import WEEKDAYS, CalendarSpec, read_calendar
from itsm_as_code.timefmt import parse_timestamp

H = 3600
OFFICE = {"timezone": "Europe/Berlin", "hours": {d: ["09:00-17:00"] for d in WEEKDAYS[:5]}}


def calendar(**fields: Any) -> WorkingTime:
    spec, flaws = read_calendar(readers.calendar({"id": "test", **fields}))
    assert flaws == [] and spec is not None
    return working_time(spec)


def instant(text: str) -> int:
    return instant_of(parse_timestamp(text))


def seconds(time: WorkingTime, start: str, end: str) -> float:
    low, high = instant(start), instant(end)
    return time.counted(low, high) / SECOND


def due(time: WorkingTime, start: str, amount: int) -> str | None:
    low = instant(start)
    assert isinstance(time, CalendarTime)
    return show(time.reach(low, amount * SECOND), time.spec.zone)


def test_a_weekend_does_not_count() -> None:
    office = calendar(**OFFICE)
    # Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday.
    assert seconds(office, "2026-11-20T16:00:00+01:00", "2026-11-23T10:00:00+01:00") == 2 * H


def test_a_listed_holiday_does_not_count() -> None:
    office = calendar(**OFFICE, holidays=["2026-12-24"])
    # Wednesday 16:00 to Friday 10:00, Thursday 24 December off: 1h + 0 + 1h.
    assert seconds(office, "2026-12-23T16:00:00+01:00", "2026-12-25T10:00:00+01:00") == 2 * H


def test_a_countrys_public_holiday_does_not_count() -> None:
    office = calendar(**OFFICE, holiday_country="DE")
    # Friday 1 May 2026 is Labour Day in Germany: Thursday 16:00 to Monday 10:00 is 2h.
    assert seconds(office, "2026-04-30T16:00:00+02:00", "2026-05-04T10:00:00+02:00") == 2 * H


def test_a_subdivisions_holidays_are_its_own() -> None:
    # Epiphany, Tuesday 6 January 2026, is a holiday in Bavaria but not in Berlin.
    day = ("2026-01-06T00:00:00+01:00", "2026-01-07T00:00:00+01:00")
    assert seconds(calendar(**OFFICE, holiday_country="DE-BY"), *day) == 0
    assert seconds(calendar(**OFFICE, holiday_country="DE-BE"), *day) == 8 * H


def test_split_days_skip_the_lunch_break() -> None:
    split = calendar(timezone="Europe/Berlin", hours={"mon": ["08:00-12:00", "13:00-18:00"]})
    assert seconds(split, "2026-11-23T11:30:00+01:00", "2026-11-23T13:30:00+01:00") == H
    assert seconds(split, "2026-11-23T00:00:00+01:00", "2026-11-24T00:00:00+01:00") == 9 * H
    assert seconds(split, "2026-11-23T12:10:00+01:00", "2026-11-23T12:50:00+01:00") == 0


@pytest.mark.parametrize(
    ("zone", "day", "hours", "expected"),
    [
        # Europe/Berlin: clocks go forward 02:00 -> 03:00 on 29 March 2026...
        ("Europe/Berlin", "2026-03-29", "00:00-24:00", 23 * H),
        ("Europe/Berlin", "2026-03-29", "01:00-04:00", 2 * H),
        ("Europe/Berlin", "2026-03-29", "02:30-04:00", 1 * H),  # starts when clocks jump
        # ... and back 03:00 -> 02:00 on 25 October 2026: 02:00-03:00 happens twice.
        ("Europe/Berlin", "2026-10-25", "00:00-24:00", 25 * H),
        ("Europe/Berlin", "2026-10-25", "02:00-03:00", 2 * H),
        ("Europe/Berlin", "2026-10-25", "02:00-02:30", 1 * H),
        ("Europe/Berlin", "2026-10-25", "09:00-17:00", 8 * H),
        # America/New_York: forward on 8 March, back on 1 November 2026, at 02:00.
        ("America/New_York", "2026-03-08", "00:00-24:00", 23 * H),
        ("America/New_York", "2026-03-08", "01:00-03:00", 1 * H),
        ("America/New_York", "2026-11-01", "00:00-24:00", 25 * H),
        ("America/New_York", "2026-11-01", "01:00-02:00", 2 * H),
        # Australia/Lord_Howe turns back half an hour (02:00 -> 01:30) on 5 April 2026.
        ("Australia/Lord_Howe", "2026-04-05", "00:00-24:00", 24.5 * H),
        ("Australia/Lord_Howe", "2026-04-05", "01:30-02:00", 1 * H),
    ],
)
def test_dst_days_are_as_long_as_they_really_are(zone: str, day: str, hours: str,
                                                 expected: float) -> None:
    weekday = WEEKDAYS[date.fromisoformat(day).weekday()]
    time = calendar(timezone=zone, hours={weekday: [hours]})
    start = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(zone))
    end = (start + timedelta(days=1, hours=3)).replace(hour=0)  # next local midnight
    assert seconds(time, start.isoformat(), end.isoformat()) == expected


def test_office_hours_across_a_dst_change_are_unchanged() -> None:
    office = calendar(**OFFICE)
    # Friday 27 March 16:00 CET to Monday 30 March 10:00 CEST: 1h + 1h, DST in between.
    assert seconds(office, "2026-03-27T16:00:00+01:00", "2026-03-30T10:00:00+02:00") == 2 * H
    new_york = calendar(timezone="America/New_York",
                        hours={d: ["09:00-17:00"] for d in WEEKDAYS[:5]})
    assert seconds(new_york, "2026-10-30T16:00:00-04:00", "2026-11-02T10:00:00-05:00") == 2 * H


def test_24x7_counts_wall_time() -> None:
    always = calendar(timezone="Europe/Berlin", hours="always")
    assert isinstance(always, WallTime)
    # Across the October DST change: 25 real hours.
    assert seconds(always, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00") == 25 * H
    assert isinstance(working_time(None), WallTime)  # an SLA without a calendar


def test_24x7_with_a_holiday_skips_that_local_day() -> None:
    always = calendar(timezone="Europe/Berlin", hours="always", holidays=["2026-10-25"])
    assert isinstance(always, CalendarTime)
    # 24 October 12:00 to 26 October 12:00 is 49 real hours; 25 October (25h) is off.
    assert seconds(always, "2026-10-24T12:00:00+02:00", "2026-10-26T12:00:00+01:00") == 24 * H


def test_deadlines_walk_the_calendar_forward() -> None:
    office = calendar(**OFFICE, holidays=["2026-12-24", "2026-12-25"])
    # 2h from Friday 16:00: one hour on Friday, the second on Monday by 10:00.
    assert due(office, "2026-11-20T16:00:00+01:00", 2 * H) == "2026-11-23T10:00:00+01:00"
    # Ending exactly at the end of a day's hours, the deadline is that evening, not the
    # next morning.
    assert due(office, "2026-11-20T16:00:00+01:00", 1 * H) == "2026-11-20T17:00:00+01:00"
    # Over Christmas: Wednesday 23 December 16:00 + 2h is Monday 28 December 10:00.
    assert due(office, "2026-12-23T16:00:00+01:00", 2 * H) == "2026-12-28T10:00:00+01:00"
    # Outside hours, the clock starts with the next working hour.
    assert due(office, "2026-11-21T12:00:00+01:00", 30 * 60) == "2026-11-23T09:30:00+01:00"
    assert due(office, "2026-11-21T12:00:00+01:00", 0) == "2026-11-21T12:00:00+01:00"


def test_a_long_walk_is_found_and_agrees_with_the_count() -> None:
    office = calendar(**OFFICE, holiday_country="DE")
    start = instant("2026-01-05T09:00:00+01:00")
    assert start is not None
    amount = 1000 * 8 * H * SECOND  # 1000 working days: about four years ahead
    found = office.reach(start, amount)
    assert found is not None
    assert office.counted(start, found) == amount
    assert office.counted(start, found - SECOND) == amount - SECOND


def test_no_working_time_ahead_gives_no_deadline() -> None:
    # `itsm validate` refuses such a calendar; the clocks must still not hang on one.
    closed = CalendarTime(CalendarSpec("closed", ZoneInfo("UTC"), ((),) * 7))
    start = instant("2026-11-23T09:00:00Z")
    assert start is not None
    assert closed.reach(start, H * SECOND) is None
    assert closed.counted(start, start + 400 * 86400 * SECOND) == 0
