from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from itsm_as_code.timefmt import format_timestamp, parse_duration, parse_timestamp


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
