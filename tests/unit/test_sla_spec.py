"""Reading calendars and SLAs: what the clocks can use, and the words for what they cannot."""

from __future__ import annotations

from typing import Any

import pytest

from itsm_as_code.sla.spec import read_calendar, read_sla

OFFICE: dict[str, Any] = {"timezone": "Europe/Berlin", "hours": {"mon": ["09:00-17:00"]}}


def calendar_problems(**fields: Any) -> list[str]:
    spec, problems = read_calendar("c", {**OFFICE, **fields})
    assert (spec is None) == bool(problems)
    return [problem.text for problem in problems]


def test_a_good_calendar_reads_into_seconds_per_weekday() -> None:
    spec, problems = read_calendar("c", {"timezone": "UTC", "holidays": ["2026-12-24"],
                                         "hours": {"tue": ["13:00-17:00", "08:00-12:00"],
                                                   "fri": ["22:00-24:00"]}})
    assert problems == [] and spec is not None
    assert spec.week == ((), ((8 * 3600, 12 * 3600), (13 * 3600, 17 * 3600)), (), (),
                         ((22 * 3600, 86400),), (), ())
    assert not spec.wall_time


@pytest.mark.parametrize(("fields", "expected"), [
    ({"hours": {"mon": ["24:00-24:00"]}},
     ["hours.mon[0]: '24:00-24:00' is not a time of day: use 00:00 to 23:59, and 24:00 only "
      "as an end"]),
    ({"hours": {"mon": ["9-17"]}}, ["hours.mon[0]: '9-17' is not a range like 09:00-17:00"]),
    ({"hours": ["09:00-17:00"]},
     ["hours: hours must be `always` or working time per weekday, such as mon: "
      "[\"09:00-17:00\"]"]),
    ({"hours": {"mon": ["09:00-12:00", "08:00-17:00", "11:00-11:30"]}},
     ["hours.mon[1]: '08:00-17:00' overlaps '09:00-12:00' on mon: ranges of one day must "
      "not overlap",
      "hours.mon[2]: '11:00-11:30' overlaps '08:00-17:00' on mon: ranges of one day must "
      "not overlap"]),
    ({"holidays": ["2026-02-30"]}, ["holidays[0]: '2026-02-30' is not a date like 2026-12-24"]),
    ({"holiday_country": "IS-XX"}, ["holiday_country: IS has no subdivision 'XX': use just "
                                    "IS: it has no subdivisions"]),
    ({"timezone": "Mars/Olympus_Mons"},
     ["timezone: unknown time zone 'Mars/Olympus_Mons': use an IANA name such as "
      "Europe/Berlin, America/New_York or UTC"]),
])
def test_calendar_problems(fields: dict[str, Any], expected: list[str]) -> None:
    assert calendar_problems(**fields) == expected


def test_always_without_holidays_is_wall_time() -> None:
    spec, _ = read_calendar("c", {"timezone": "Asia/Kolkata", "hours": "always"})
    assert spec is not None and spec.wall_time


def test_sla_targets_read_into_seconds() -> None:
    sla, problems = read_sla("s", {"calendar": "office", "pause_on": ["on_hold"],
                                   "targets": {"P1": {"response": "15m",
                                                      "resolution": "1d2h"}}})
    assert problems == [] and sla is not None
    assert sla.targets == {("P1", "response"): 900, ("P1", "resolution"): 93600}
    assert (sla.warn_at, sla.applies_to) == (75, frozenset({"Incident", "ServiceRequest"}))


@pytest.mark.parametrize(("target", "expected"), [
    ("0s", "targets.P2.response: a target of '0s' can never be met: give a positive duration "
           "such as 15m, or remove it"),
    ("soon", "targets.P2.response: 'soon' is not a duration: write it like 45s, 15m, 4h, 2d "
             "or 1h30m"),
])
def test_sla_target_problems(target: str, expected: str) -> None:
    sla, problems = read_sla("s", {"targets": {"P2": {"response": target}}})
    assert sla is None
    assert [problem.text for problem in problems] == [expected]
