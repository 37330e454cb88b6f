"""One reader of RFC 5545 rules for routines and maintenance windows: the same bounds and
words for both, each kind with its own frequencies and COUNT."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from itsm_as_code.model.recurrence import compiled
from itsm_as_code.model.rrules import RuleError
from itsm_as_code.model.schedule import read_schedule

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 1, 2, 30, tzinfo=BERLIN)
NEVER = "BYMONTHDAY=30 falls in no month of BYMONTH=2: no occurrence would ever start"


def routine(rule: str) -> str:
    with pytest.raises(ValueError) as raised:
        read_schedule("rrule", rule, BERLIN)
    return str(raised.value)


def window(rule: str) -> str:
    with pytest.raises(RuleError) as raised:
        compiled(rule, "Europe/Berlin", START)
    return str(raised.value)


@pytest.mark.parametrize(("rule", "message"), [
    ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", NEVER),
    ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL is a whole number from 1 to 1000"),
    ("FREQ=WEEKLY;UNTIL=20270101T000000", "UNTIL is a time in UTC, such as "
                                          "UNTIL=20271231T230000Z"),
    ("FREQ=MONTHLY;BYDAY=6MO", "BYDAY in a monthly rule counts at most 5 of a weekday in a "
                               "month (1MO to 5MO, -1MO to -5MO)"),
    ("FREQ=DAILY;BYYEARDAY=366", "BYYEARDAY is not a part a rule may use here: use BYDAY, "
                                 "BYHOUR, BYMINUTE, BYMONTH, BYMONTHDAY, BYSETPOS, COUNT, FREQ, "
                                 "INTERVAL, UNTIL, WKST"),
    ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY is not one of YEARLY, MONTHLY, WEEKLY, DAILY, "
                         "HOURLY, MINUTELY, SECONDLY"),
])
def test_routines_and_windows_refuse_the_same_rules_in_the_same_words(rule: str,
                                                                       message: str) -> None:
    assert routine(rule) == window(rule) == message


def test_each_kind_keeps_its_frequencies_and_count() -> None:
    assert routine("FREQ=DAILY;COUNT=3") == (
        "a routine's rule has no COUNT: it recurs until the routine is removed (UNTIL may "
        "end it)")
    assert compiled("FREQ=DAILY;COUNT=3", "Europe/Berlin", START).period is None
    assert window("FREQ=HOURLY").startswith("FREQ=HOURLY: a maintenance window repeats")
    assert read_schedule("rrule", "FREQ=HOURLY", BERLIN).rules[0].period is not None


def test_a_routines_rule_ends_at_an_until_in_utc() -> None:
    schedule = read_schedule("rrule", "FREQ=DAILY;BYHOUR=6;UNTIL=20261103T050000Z", BERLIN,
                             datetime(2026, 11, 1, tzinfo=BERLIN))
    due = schedule.due(datetime(2026, 11, 1, tzinfo=timezone.utc),
                       datetime(2026, 11, 10, tzinfo=timezone.utc))
    assert [f"{moment:%d %H:%M}" for moment in due] == ["01 05:00", "02 05:00", "03 05:00"]
