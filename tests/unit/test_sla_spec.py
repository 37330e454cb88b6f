"""Reading the model's calendars and SLAs: what the clocks can use, and the words for
what they cannot (the schema has already checked the shape)."""

from __future__ import annotations

from typing import Any

import pytest

from itsm_as_code.model.readers import organisation as readers
from itsm_as_code.sla.spec import read_calendar, read_sla

OFFICE: dict[str, Any] = {"id": "c", "timezone": "Europe/Berlin",
                          "hours": {"mon": ["09:00-17:00"]}}


def calendar_flaws(**fields: Any) -> list[str]:
    spec, flaws = read_calendar(readers.calendar({**OFFICE, **fields}))
    assert (spec is None) == bool(flaws)
    return [flaw.text for flaw in flaws]


def sla(**fields: Any) -> Any:
    return readers.sla({"id": "s", "name": "S", "type": "SLA", **fields})


def test_a_good_calendar_reads_into_seconds_per_weekday() -> None:
    spec, flaws = read_calendar(readers.calendar({
        "id": "c", "timezone": "UTC", "holidays": ["2026-12-24"],
        "hours": {"tue": ["13:00-17:00", "08:00-12:00"], "fri": ["22:00-24:00"]}}))
    assert flaws == [] and spec is not None
    assert spec.week == ((), ((8 * 3600, 12 * 3600), (13 * 3600, 17 * 3600)), (), (),
                         ((22 * 3600, 86400),), (), ())
    assert not spec.wall_time


@pytest.mark.parametrize(("fields", "expected"), [
    ({"hours": {"mon": ["24:00-24:00"]}},
     ["hours.mon[0]: '24:00-24:00' is not a time of day: use 00:00 to 23:59, and 24:00 only "
      "as an end"]),
    ({"hours": {"mon": ["9-17"]}}, ["hours.mon[0]: '9-17' is not a range like 09:00-17:00"]),
    ({"hours": {"mon": ["09:00-12:00", "08:00-17:00", "11:00-11:30"]}},
     ["hours.mon[1]: '08:00-17:00' overlaps '09:00-12:00' on mon: ranges of one day must "
      "not overlap",
      "hours.mon[2]: '11:00-11:30' overlaps '08:00-17:00' on mon: ranges of one day must "
      "not overlap"]),
    ({"hours": {"mon": ["17:00-09:00", "13:00-13:00"]}},
     ["hours.mon[0]: '17:00-09:00' ends before it starts: a range runs forward within one "
      "day (use 24:00 for midnight, and split a night shift over two days)",
      "hours.mon[1]: '13:00-13:00' is empty: a range ends after it starts"]),
    ({"hours": {"sat": []}},
     ["hours: the calendar has no working time at all: give at least one weekday a range "
      "such as [\"09:00-17:00\"], or write hours: always for 24x7"]),
    ({"holiday_country": "IS-XX"}, ["holiday_country: IS has no subdivision 'XX': use just "
                                    "IS: it has no subdivisions"]),
    ({"timezone": "Mars/Olympus_Mons"},
     ["timezone: unknown time zone 'Mars/Olympus_Mons': use an IANA name such as "
      "Europe/Berlin, America/New_York or UTC"]),
])
def test_calendar_flaws(fields: dict[str, Any], expected: list[str]) -> None:
    assert calendar_flaws(**fields) == expected


def test_always_without_holidays_is_wall_time() -> None:
    spec, _ = read_calendar(readers.calendar({"id": "c", "timezone": "Asia/Kolkata",
                                            "hours": "always"}))
    assert spec is not None and spec.wall_time


def test_sla_targets_read_into_seconds() -> None:
    spec, flaws = read_sla(sla(calendar="office", pause_on=["on_hold"],
                               targets={"P1": {"response": "15m", "resolution": "1d2h"}}))
    assert flaws == [] and spec is not None
    assert spec.targets == {("P1", "response"): 900, ("P1", "resolution"): 93600}
    assert (spec.warn_at, spec.applies_to) == (75, frozenset({"Incident", "ServiceRequest"}))
    assert (spec.calendar, spec.pause_on) == ("office", frozenset({"on_hold"}))


@pytest.mark.parametrize("target", ["0s", "0m", "0h0m"])
def test_a_zero_target_is_quoted_as_written(target: str) -> None:
    spec, flaws = read_sla(sla(targets={"P2": {"response": target, "resolution": "4h"}}))
    assert spec is None
    assert [flaw.text for flaw in flaws] == [
        f"targets.P2.response: a target of '{target}' can never be met: give a positive "
        "duration such as 15m, or remove it"]


def test_every_country_and_subdivision_the_holidays_package_lists_is_known() -> None:
    # Countries are looked up in the package's registry, without importing all of them.
    import holidays

    from itsm_as_code.sla.country import Country, lookup

    for code, subdivisions in holidays.list_supported_countries().items():
        assert lookup(code) == (Country(code), "")
        for subdivision in subdivisions:
            assert lookup(f"{code}-{subdivision}") == (Country(code, subdivision), "")
        assert lookup(f"{code}-XX9")[0] is None
