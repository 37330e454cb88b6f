from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from itsm_as_code.timefmt import format_timestamp, parse_duration, parse_human, parse_timestamp

BERLIN = ZoneInfo("Europe/Berlin")
# 06:33 in Berlin on a winter morning: what `04:40` (today) and `-15m` are read against.
WALL = datetime(2026, 12, 6, 5, 33, tzinfo=timezone.utc)
FORMS = ("give an RFC 3339 timestamp (2026-12-06T04:40:00+01:00), a date and time in "
         "Europe/Berlin (2026-12-06 04:40), a time today (04:40) or a time ago (-15m, -2h, -1d)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-02T09:14:00+01:00", datetime(2026, 11, 2, 8, 14, tzinfo=timezone.utc)),
        ("2026-11-02T08:14:00Z", datetime(2026, 11, 2, 8, 14, tzinfo=timezone.utc)),
        ("2026-11-02t08:14:00z", datetime(2026, 11, 2, 8, 14, tzinfo=timezone.utc)),
        ("2026-11-02 13:44:00+05:30", datetime(2026, 11, 2, 8, 14, tzinfo=timezone.utc)),
    ],
)
def test_timestamps_with_offsets(text: str, expected: datetime) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize("digits", range(1, 10))
def test_fractions_of_one_to_nine_digits(digits: int) -> None:
    fraction = "123456789"[:digits]
    microseconds = int((fraction + "000000")[:6])  # past microseconds: cut, not rounded
    expected = datetime(2026, 11, 2, 8, 14, 5, microseconds, tzinfo=timezone.utc)
    assert parse_timestamp(f"2026-11-02T09:14:05.{fraction}+01:00") == expected
    assert parse_timestamp(f"2026-11-02 08:14:05.{fraction}Z") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc)),
        ("2016-12-31 23:59:60.5Z",
         datetime(2016, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc)),
        ("2017-01-01T00:59:60+01:00",
         datetime(2016, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc)),
    ],
)
def test_a_leap_second_is_the_last_instant_before_the_next_minute(text: str,
                                                                  expected: datetime) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize("text", ["2026-11-02T09:14:00", "2026-13-02T09:14:00Z", "soon"])
def test_naive_or_malformed_timestamps_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(text)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("45s", 45), ("15m", 900), ("4h", 14400), ("2d", 172800), ("1h30m", 5400),
     ("1d2h3m4s", 93784)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "15", "15 minutes", "1m1h", "h"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_format_keeps_the_offset_and_writes_z_for_utc() -> None:
    berlin = timezone(timedelta(hours=1))
    assert format_timestamp(datetime(2026, 11, 2, 9, 14, 5, 123, tzinfo=berlin)) == (
        "2026-11-02T09:14:05+01:00"
    )
    assert format_timestamp(datetime(2026, 11, 2, 8, 14, tzinfo=timezone.utc)) == (
        "2026-11-02T08:14:00Z"
    )


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("2026-12-06T04:40:00+05:30", "2026-12-06T04:40:00+05:30"),  # RFC 3339: as given
        ("2026-12-06 04:40:00Z", "2026-12-06T04:40:00Z"),
        ("2026-12-06 04:40", "2026-12-06T04:40:00+01:00"),
        ("2026-12-06T04:40", "2026-12-06T04:40:00+01:00"),
        ("2026-12-06t04:40", "2026-12-06T04:40:00+01:00"),
        ("2026-12-06 04:40:30", "2026-12-06T04:40:30+01:00"),
        ("2026-07-06 04:40", "2026-07-06T04:40:00+02:00"),  # summer time: its own offset
        (" 04:40 ", "2026-12-06T04:40:00+01:00"),
        ("4:40", "2026-12-06T04:40:00+01:00"),
        ("-15m", "2026-12-06T06:18:00+01:00"),
        ("-2h", "2026-12-06T04:33:00+01:00"),
        ("-1d", "2026-12-05T06:33:00+01:00"),
        ("-1h30m", "2026-12-06T05:03:00+01:00"),
    ],
)
def test_times_as_people_type_them(text: str, written: str) -> None:
    value = parse_human(text, BERLIN, WALL)
    assert format_timestamp(value) == written
    assert value == parse_timestamp(written)
    # A fixed offset: adding hours to it moves real time, whatever the zone's rules.
    assert value.tzinfo == timezone(value.utcoffset() or timedelta(0))


def test_today_is_the_zones_today() -> None:
    # 23:30 UTC on the 5th is already the 6th in Berlin.
    late = datetime(2026, 12, 5, 23, 30, tzinfo=timezone.utc)
    assert format_timestamp(parse_human("04:40", BERLIN, late)) == "2026-12-06T04:40:00+01:00"
    assert format_timestamp(parse_human("04:40", ZoneInfo("UTC"), late)) == (
        "2026-12-05T04:40:00Z")


def test_a_time_ago_keeps_the_zones_offset_across_a_change() -> None:
    # An hour after summer time began (01:00 UTC): an hour and a half ago was winter time.
    after = datetime(2026, 3, 29, 2, 0, tzinfo=timezone.utc)
    assert format_timestamp(parse_human("-90m", BERLIN, after)) == "2026-03-29T01:30:00+01:00"


def test_a_skipped_local_time_is_refused_with_one_that_exists() -> None:
    with pytest.raises(ValueError) as refused:
        parse_human("2026-03-29 02:30", BERLIN, WALL)
    assert str(refused.value) == (
        "'2026-03-29 02:30' does not exist in Europe/Berlin: the clocks go forward there "
        "(from +01:00 to +02:00); give a time outside the gap or an offset, such as "
        "2026-03-29T03:30:00+02:00")
    assert format_timestamp(parse_human("2026-03-29T03:30:00+02:00", BERLIN, WALL)) == (
        "2026-03-29T03:30:00+02:00")


def test_a_local_time_passed_twice_is_the_first() -> None:
    first = parse_human("2026-10-25 02:30", BERLIN, WALL)
    assert format_timestamp(first) == "2026-10-25T02:30:00+02:00"
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)
    # The edges of the repeated hour.
    assert format_timestamp(parse_human("2026-10-25 01:59", BERLIN, WALL)) == (
        "2026-10-25T01:59:00+02:00")
    assert format_timestamp(parse_human("2026-10-25 03:00", BERLIN, WALL)) == (
        "2026-10-25T03:00:00+01:00")


@pytest.mark.parametrize("text", ["yesterday", "", "-", "-15", "-15 minutes", "+15m",
                                  "25:00", "04:60", "2026-02-30 10:00", "2026-12-06",
                                  "2026-12-06 4h40", "04:40 tomorrow"])
def test_other_text_is_refused_with_the_forms_accepted(text: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_human(text, BERLIN, WALL)
    assert str(refused.value) == f"{text!r} is not a time: {FORMS}"
