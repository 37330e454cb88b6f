"""Business days (`3bd`) worked out by hand: across a weekend, a holiday, a shorter day,
split days, a start outside working hours, a pause, working time after the days; the
schema and the model read them; the refusal on 24x7 and the warning about plain days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from itsm_as_code.model.context import RunContext
from itsm_as_code.model.readers import organisation as readers
from itsm_as_code.sla.calendar import CalendarTime, WallTime
from itsm_as_code.sla.check import check
from itsm_as_code.sla.clocks import Clock
from itsm_as_code.sla.history import instant_of, show
from itsm_as_code.sla.spec import CalendarSpec, plain_days, read_sla, working_hours
from itsm_as_code.store.schema import SchemaCheck
from itsm_as_code.timefmt import parse_duration, parse_timestamp
from tests.helpers import Data, affected, calendar, record, service, sla
from tests.helpers import incident as incident_data
from tests.helpers import repository as repository_of
from tests.unit.test_sla_properties import FIRST, LAST, SECOND, calendars
from tests.unit.test_sla_properties import build as built

BERLIN = ZoneInfo("Europe/Berlin")
WORKWEEK = ("mon", "tue", "wed", "thu", "fri")
NINE_TO_FIVE = ((9 * 3600, 17 * 3600),)
HOUR = 3600 * 1_000_000


def office(*holidays: date, friday: tuple[tuple[int, int], ...] = NINE_TO_FIVE,
           monday: tuple[tuple[int, int], ...] = NINE_TO_FIVE) -> CalendarTime:
    week = (monday, NINE_TO_FIVE, NINE_TO_FIVE, NINE_TO_FIVE, friday, (), ())
    return CalendarTime(CalendarSpec("office", BERLIN, week, frozenset(holidays)))


def due(time: CalendarTime, start: str, days: int) -> tuple[str | None, float]:
    """When `days` business days from `start` end, and how many working hours they are."""
    opened = instant_of(parse_timestamp(start))
    amount = time.ahead(opened, days)
    assert amount is not None
    return show(time.reach(opened, amount), BERLIN), amount / HOUR


@pytest.mark.parametrize(("start", "days", "expected"), [
    # Friday 15:00 is 6 hours into Friday: Monday is one, Tuesday 15:00 two.
    ("2026-11-27T15:00:00+01:00", 2, ("2026-12-01T15:00:00+01:00", 16.0)),
    ("2026-11-27T15:00:00+01:00", 1, ("2026-11-30T15:00:00+01:00", 8.0)),
    ("2026-11-27T15:00:00+01:00", 5, ("2026-12-04T15:00:00+01:00", 40.0)),
    # Outside working hours: the start of the next working day (Monday 09:00), so two
    # days end with Tuesday's working time.
    ("2026-11-27T18:00:00+01:00", 2, ("2026-12-01T17:00:00+01:00", 16.0)),
    ("2026-11-28T12:00:00+01:00", 1, ("2026-11-30T17:00:00+01:00", 8.0)),  # Saturday
    ("2026-11-27T17:00:00+01:00", 1, ("2026-11-30T17:00:00+01:00", 8.0)),  # at closing
    ("2026-11-27T09:00:00+01:00", 1, ("2026-11-27T17:00:00+01:00", 8.0)),  # at opening
    ("2026-11-27T08:00:00+01:00", 1, ("2026-11-27T17:00:00+01:00", 8.0)),  # before it
    # Across the change to winter time: positions are working time, not offsets.
    ("2026-10-23T10:00:00+02:00", 1, ("2026-10-26T10:00:00+01:00", 8.0)),
])
def test_business_days_end_at_the_same_point_of_a_later_working_day(
        start: str, days: int, expected: tuple[str, float]) -> None:
    assert due(office(), start, days) == expected


def test_a_holiday_is_no_business_day() -> None:
    # Monday 30 November a holiday: Friday 15:00 + 2bd is Wednesday 15:00.
    time = office(date(2026, 11, 30))
    assert due(time, "2026-11-27T15:00:00+01:00", 2) == ("2026-12-02T15:00:00+01:00", 16.0)
    # A start on the holiday counts from the next working day's start.
    assert due(time, "2026-11-30T11:00:00+01:00", 1) == ("2026-12-01T17:00:00+01:00", 8.0)


def test_a_shorter_day_ends_a_target_with_its_working_time() -> None:
    time = office(friday=((9 * 3600, 15 * 3600),))
    # Thursday 16:00 is 7 hours into Thursday; Friday has 6: it ends at Friday's close.
    assert due(time, "2026-11-26T16:00:00+01:00", 1) == ("2026-11-27T15:00:00+01:00", 7.0)
    # Friday 14:00 is 5 hours into Friday: Monday 14:00.
    assert due(time, "2026-11-27T14:00:00+01:00", 1) == ("2026-11-30T14:00:00+01:00", 6.0)


def test_the_point_of_a_split_day_is_its_working_time_before() -> None:
    # Monday 09:00-12:00 and 14:00-18:00; Tuesday 09:00-17:00. Monday 15:00 is 4 hours into
    # Monday, so one business day on is Tuesday 13:00.
    time = office(monday=((9 * 3600, 12 * 3600), (14 * 3600, 18 * 3600)))
    assert due(time, "2026-11-30T15:00:00+01:00", 1) == ("2026-12-01T13:00:00+01:00", 7.0)


def test_business_days_far_ahead_build_the_calendar_as_they_go() -> None:
    time = office()
    # 520 weeks of five days: ten years on, the same weekday and time.
    assert due(time, "2026-11-27T15:00:00+01:00", 2600)[0] == "2036-11-14T15:00:00+01:00"


ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata")


@settings(max_examples=150, deadline=None)
@given(calendars(), st.integers(FIRST // 60, LAST // 60), st.integers(1, 12),
       st.sampled_from(ZONES))
def test_agrees_with_a_walk_over_local_days(fields: dict[str, Any], minute: int, days: int,
                                            zone: str) -> None:
    """The day index against a walk over local dates, each day's working time counted
    from one local midnight to the next (zones whose midnight always exists)."""
    spec, time = built({**fields, "timezone": zone})
    assume(not spec.wall_time)  # no calendar at all: days of 24 hours, refused by the rules
    start = minute * 60 * SECOND

    def midnight(day: date) -> int:
        return instant_of(datetime.combine(day, datetime.min.time(), spec.zone))

    def length(day: date) -> int:
        return time.counted(midnight(day), midnight(day + timedelta(days=1)))

    day = datetime.fromtimestamp(minute * 60, spec.zone).date()
    into = time.counted(midnight(day), start)
    if into >= length(day):
        day, into = day + timedelta(days=1), 0
        while length(day) == 0:
            day += timedelta(days=1)
    for _ in range(days):
        day += timedelta(days=1)
        while length(day) == 0:
            day += timedelta(days=1)
    expected = time.counted(start, midnight(day)) + min(into, length(day))
    assert time.ahead(start, days) == expected


def test_without_working_hours_a_business_day_is_a_whole_day() -> None:
    assert WallTime().ahead(0, 3) == 72 * HOUR


# -- the clocks ---------------------------------------------------------------------


def clocks(now: str, *records: Data, targets: dict[str, Any]) -> dict[tuple[str, str], Clock]:
    repo = repository_of(
        calendar("office", holidays=["2026-11-30"]),
        sla("business", calendar="office", pause_on=["on_hold"], targets=targets),
        service("web", sla="business"), *records, timezone="Europe/Berlin")
    result = check(RunContext(repo, parse_timestamp(now)))
    assert result.findings == []
    return {(c.record, c.metric): c for c in result.clocks}


def incident(opened: str, *updates: tuple[str, str], **fields: Any) -> Data:
    timeline = [{"at": at, "status": status, "message": "update"} for at, status in updates]
    return incident_data("INC-1", **{
        "title": "Something broke", "services": [affected("web")], "priority": "P3",
        "status": updates[-1][1] if updates else "new", "opened_at": opened,
        "timeline": timeline, **fields})


def test_a_clock_in_business_days_is_due_after_the_weekend_and_the_holiday() -> None:
    found = clocks("2026-12-01T10:00:00+01:00",
                   incident("2026-11-27T15:00:00+01:00"),  # Friday; Monday a holiday
                   targets={"P3": {"response": "1bd", "resolution": "2bd4h"}})
    response, resolution = found[("INC-1", "response")], found[("INC-1", "resolution")]
    # Friday 15:00-17:00 and Tuesday 09:00-10:00 counted; one business day is Tuesday 15:00.
    assert (response.elapsed, response.target, response.state) == (3 * 3600, 8 * 3600,
                                                                    "within")
    assert show(response.due, BERLIN) == "2026-12-01T15:00:00+01:00"
    # Two business days, Wednesday 15:00, then 4 hours of working time: Thursday 11:00.
    assert resolution.target == 20 * 3600
    assert show(resolution.due, BERLIN) == "2026-12-03T11:00:00+01:00"


def test_a_pause_pushes_a_business_day_deadline_back() -> None:
    found = clocks("2026-12-01T12:00:00+01:00",
                   incident("2026-11-27T15:00:00+01:00",
                            ("2026-11-27T15:00:00+01:00", "investigating"),
                            ("2026-11-27T16:00:00+01:00", "on_hold"),
                            ("2026-12-01T11:00:00+01:00", "investigating")),
                   targets={"P3": {"resolution": "1bd"}})
    clock = found[("INC-1", "resolution")]
    # 8 working hours fixed at the opening; 1 counted on Friday, 1 on Tuesday from 11:00:
    # the 6 left end at Tuesday 18:00 less the hour to 17:00, Wednesday 10:00.
    assert (clock.elapsed, clock.target) == (2 * 3600, 8 * 3600)
    assert show(clock.due, BERLIN) == "2026-12-02T10:00:00+01:00"


def test_a_stopped_clock_in_business_days_is_met_or_breached_by_its_working_time() -> None:
    resolved = {"acknowledged_at": "2026-12-01T15:00:00+01:00"}
    met = clocks("2026-12-05T00:00:00+01:00", incident("2026-11-27T15:00:00+01:00", **resolved),
                 targets={"P3": {"response": "1bd"}})[("INC-1", "response")]
    assert (met.elapsed, met.state) == (8 * 3600, "met")
    late = {"acknowledged_at": "2026-12-01T15:00:01+01:00"}
    breached = clocks("2026-12-05T00:00:00+01:00",
                      incident("2026-11-27T15:00:00+01:00", **late),
                      targets={"P3": {"response": "1bd"}})[("INC-1", "response")]
    assert (breached.state, show(breached.breached_at, BERLIN)) == (
        "breached", "2026-12-01T15:00:00+01:00")


# -- schema, model, rules ----------------------------------------------------------


@pytest.mark.parametrize(("written", "valid"), [
    ("1bd", True), ("2bd4h", True), ("3bd30m", True), ("1bd1h30m15s", True),
    ("9999bd", True), ("3d", True), ("1h30m", True),
    ("bd", False), ("1bd2d", False), ("2d1bd", False), ("10000bd", False), ("1.5bd", False),
    ("1 bd", False), ("1BD", False), ("4h1bd", False),
])
def test_the_schema_reads_business_days_before_working_time(written: str, valid: bool) -> None:
    data = sla(calendar="office", targets={"P1": {"resolution": written}})
    findings = SchemaCheck().check(record(data))
    assert (findings == []) is valid, findings


def test_the_model_holds_business_days_apart_from_working_time() -> None:
    target = readers.sla(sla(targets={"P1": {"response": "1bd", "resolution": "2bd4h"},
                                    "P2": {"response": "3h"}})).targets
    assert (target["P1"].business_days, target["P1"].response, target["P1"].resolution) == (
        {"response": 1, "resolution": 2}, parse_duration("0s"), parse_duration("4h"))
    assert (target["P2"].business_days, target["P2"].response) == ({}, parse_duration("3h"))


def test_the_spec_keeps_the_days_beside_the_seconds() -> None:
    spec, flaws = read_sla(readers.sla(sla(targets={"P1": {"response": "1bd",
                                                         "resolution": "2bd4h"}})), True)
    assert flaws == [] and spec is not None
    assert spec.targets == {("P1", "response"): 0, ("P1", "resolution"): 4 * 3600}
    assert spec.business_days == {("P1", "response"): 1, ("P1", "resolution"): 2}


@pytest.mark.parametrize(("fields", "expected"), [
    ({}, "targets.P1.resolution: '2bd4h' counts business days, but the SLA has no calendar "
         "(24x7, no business days): give the SLA a calendar with working hours, or write "
         "'2d4h' for whole days around the clock"),
    ({"calendar": "always"},
     "targets.P1.resolution: '2bd4h' counts business days, but calendar 'always' has hours: "
     "always (24x7, no business days): give the SLA a calendar with working hours, or "
     "write '2d4h' for whole days around the clock"),
])
def test_business_days_on_a_24x7_sla_are_refused(fields: Data, expected: str) -> None:
    value = readers.sla(sla(targets={"P1": {"resolution": "2bd4h"}}, **fields))
    calendars = {"always": readers.calendar(calendar("always", hours="always"))}
    spec, flaws = read_sla(value, working_hours(value, calendars))
    assert (spec, [flaw.text for flaw in flaws]) == (None, [expected])


def test_days_on_a_working_time_calendar_are_a_warning_that_suggests_business_days() -> None:
    value = readers.sla(sla(calendar="office", targets={
        "P1": {"response": "1d", "resolution": "3d4h30m"}, "P2": {"resolution": "72h"},
        "P3": {"resolution": "3bd"}}))
    calendars = {"office": readers.calendar(calendar("office"))}
    assert [flaw.text for flaw in plain_days(value, working_hours(value, calendars))] == [
        "targets.P1.response: '1d' counts 24h of working time of calendar 'office', not 1 "
        "working day: write '1bd' for business days, or '24h' to keep 24h of working time",
        "targets.P1.resolution: '3d4h30m' counts 76h30m of working time of calendar "
        "'office', not 3 working days: write '3bd4h30m' for business days, or '76h30m' to "
        "keep 76h30m of working time",
    ]
    # 24x7, or a calendar that is missing (the reference rule says so): nothing to say.
    assert plain_days(value, working_hours(value, {})) == []
    always = {"office": readers.calendar(calendar("office", hours="always"))}
    assert plain_days(value, working_hours(value, always)) == []


def test_a_start_beyond_the_years_of_the_clocks_is_left_out_with_a_warning() -> None:
    repo = repository_of(
        calendar("office"), sla("business", calendar="office", targets={
            "P3": {"resolution": "30bd"}}),
        service("web", sla="business"),
        incident("2999-11-30T10:00:00+01:00"), timezone="Europe/Berlin")
    result = check(RunContext(repo, parse_timestamp("2999-11-30T12:00:00+01:00")))
    assert result.clocks == []
    assert [(f.message, f.level) for f in result.findings] == [
        ("left out of the SLA clocks: its 30 business days run past the years 1900 to 2999",
         "warning")]
