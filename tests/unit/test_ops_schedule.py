"""Due times of routines: cron expressions and recurrence rules, read in a time zone,
across daylight saving changes."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from itsm_as_code.model.schedule import read_schedule

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc


def local(schedule: tuple[str, str], start: str, end: str, since: str | None = None
          ) -> list[str]:
    found = read_schedule(*schedule, BERLIN, datetime.fromisoformat(since) if since else None)
    return [f"{moment.astimezone(BERLIN):%a %Y-%m-%d %H:%M %Z}" for moment in found.due(
        datetime.fromisoformat(start), datetime.fromisoformat(end))]


def test_a_nightly_cron_is_due_every_night_at_its_local_time() -> None:
    assert local(("cron", "0 2 * * *"), "2026-11-20T00:00:00+01:00",
                 "2026-11-23T00:00:00+01:00") == [
        "Fri 2026-11-20 02:00 CET", "Sat 2026-11-21 02:00 CET", "Sun 2026-11-22 02:00 CET"]


def test_a_time_the_clocks_skip_is_due_once_when_they_jump() -> None:
    assert local(("cron", "30 2 * * *"), "2026-03-28T00:00:00+01:00",
                 "2026-03-31T00:00:00+02:00") == [
        "Sat 2026-03-28 02:30 CET", "Sun 2026-03-29 03:00 CEST", "Mon 2026-03-30 02:30 CEST"]


def test_a_time_the_clocks_pass_twice_is_due_once_the_first_time() -> None:
    assert local(("cron", "30 2 * * *"), "2026-10-25T00:00:00+02:00",
                 "2026-10-26T00:00:00+01:00") == ["Sun 2026-10-25 02:30 CEST"]


def test_two_skipped_times_are_one_run() -> None:
    assert local(("cron", "0,30 2 * * *"), "2026-03-29T00:00:00+01:00",
                 "2026-03-29T12:00:00+02:00") == ["Sun 2026-03-29 03:00 CEST"]


def test_restricted_days_of_month_and_week_are_due_on_either_as_cron_does() -> None:
    assert local(("cron", "0 9 1 * mon"), "2026-11-29T00:00:00+01:00",
                 "2026-12-15T00:00:00+01:00") == [
        "Mon 2026-11-30 09:00 CET", "Tue 2026-12-01 09:00 CET", "Mon 2026-12-07 09:00 CET",
        "Mon 2026-12-14 09:00 CET"]


def test_names_ranges_steps_and_macros() -> None:
    assert local(("cron", "*/20 8-9 * nov mon-fri"), "2026-11-20T00:00:00+01:00",
                 "2026-11-21T00:00:00+01:00") == [
        f"Fri 2026-11-20 {time} CET" for time in ("08:00", "08:20", "08:40", "09:00",
                                                 "09:20", "09:40")]
    assert local(("cron", "@weekly"), "2026-11-20T00:00:00+01:00",
                 "2026-11-30T00:00:00+01:00") == ["Sun 2026-11-22 00:00 CET",
                                                  "Sun 2026-11-29 00:00 CET"]


def test_a_recurrence_rule_takes_what_it_leaves_out_from_since() -> None:
    assert local(("rrule", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=3"), "2026-11-01T00:00:00+01:00",
                 "2026-11-16T00:00:00+01:00") == ["Sun 2026-11-01 03:00 CET",
                                                  "Sun 2026-11-08 03:00 CET",
                                                  "Sun 2026-11-15 03:00 CET"]
    assert local(("rrule", "FREQ=DAILY;INTERVAL=2"), "2026-11-20T00:00:00+01:00",
                 "2026-11-25T00:00:00+01:00", since="2026-11-19T06:45:00+01:00") == [
        "Sat 2026-11-21 06:45 CET", "Mon 2026-11-23 06:45 CET"]


def test_next_and_previous_due() -> None:
    schedule = read_schedule("rrule", "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=6", BERLIN)
    now = datetime(2026, 11, 22, 9, tzinfo=UTC)
    assert schedule.next_due(now) == datetime(2026, 12, 1, 5, tzinfo=UTC)
    assert schedule.previous_due(now) == datetime(2026, 11, 1, 5, tzinfo=UTC)


@pytest.mark.parametrize(("kind", "text", "message"), [
    ("cron", "61 * * * *", "cron minute '61' is not a number from 0 to 59"),
    ("cron", "0 2 * *", "cron '0 2 * *' has 4 field(s), not 5: minute hour day-of-month month "
                        "day-of-week, such as `0 2 * * *`, or @daily"),
    ("cron", "0 2 * * funday", "cron day of week 'funday' is not a number from 0 to 7 or a "
                               "name (sun, mon, tue, wed, thu, fri, sat)"),
    ("cron", "5-1 * * * *", "cron minute '5-1' runs backwards or steps by 0"),
    ("rrule", "BYDAY=MO", "'BYDAY=MO' has no FREQ: a recurrence rule says how often, such as "
                          "FREQ=WEEKLY;BYDAY=SU;BYHOUR=3"),
    ("rrule", "FREQ=DAILY;COUNT=3", "a routine's rule has no COUNT: it recurs until the "
                                    "routine is removed (UNTIL may end it)"),
    ("rrule", "FREQ=SECONDLY", "FREQ=SECONDLY is more often than a routine can be watched"),
])
def test_a_schedule_that_does_not_read_says_why(kind: str, text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        read_schedule(kind, text, BERLIN)
    assert str(raised.value) == message
