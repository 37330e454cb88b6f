"""What the pages say about the uptime bars and figures: days before the first record
have no data, a bar never shows coloured days beside an uptime they do not lower without
saying why, and every uptime and availability figure is cut one way (percent.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from itsm_as_code.config import DEFAULT_WEIGHTS
from itsm_as_code.model.impact import Span
from itsm_as_code.percent import percent_text, truncated
from itsm_as_code.site.uptime import NO_DATA, Day, days
from itsm_as_code.site.views import uncounted_note
from itsm_as_code.timefmt import parse_timestamp

BERLIN = ZoneInfo("Europe/Berlin")


def _at(text: str) -> datetime:
    return parse_timestamp(text)


def test_days_before_the_first_record_have_no_data() -> None:
    now = _at("2026-11-22T12:00:00+01:00")
    first = _at("2026-11-20T15:00:00+01:00")
    outage = Span("web", first, _at("2026-11-20T16:00:00+01:00"), "partial_outage", "INC-1",
                  False)
    found = days([outage], now, BERLIN, 5, since=first)
    assert [(d.day.isoformat(), d.status) for d in found] == [
        ("2026-11-18", NO_DATA), ("2026-11-19", NO_DATA), ("2026-11-20", "partial_outage"),
        ("2026-11-21", "operational"), ("2026-11-22", "operational")]
    # With no record at all, nothing is known of any day up to now.
    assert {d.status for d in days([], now, BERLIN, 3, since=now)} == {NO_DATA}


def _day(status: str) -> Day:
    return Day(_at("2026-11-20T00:00:00Z").date(), status, ("INC-1",))


def test_days_the_uptime_does_not_count_are_explained() -> None:
    assert uncounted_note([_day("operational"), _day(NO_DATA)], DEFAULT_WEIGHTS) == ""
    assert uncounted_note([_day("degraded_performance")], DEFAULT_WEIGHTS) == (
        "Degraded performance does not count as downtime.")
    assert uncounted_note([_day("degraded_performance"), _day("under_maintenance")],
                          DEFAULT_WEIGHTS) == (
        "Degraded performance does not count as downtime; time under maintenance is left "
        "out of the uptime.")
    weighed = {**DEFAULT_WEIGHTS, "degraded_performance": 0.1, "partial_outage": 0.0}
    assert uncounted_note([_day("degraded_performance"), _day("partial_outage")],
                          weighed) == "Partial outage does not count as downtime."


def test_figures_are_cut_never_rounded_up() -> None:
    assert percent_text(99.9996, 3) == "99.999%"
    assert percent_text(99.9996) == "99.99%"
    assert percent_text(100.0) == "100.00%"
    # 99.879 * 1000 is 99878.99999999999 in floating point: still 99.879.
    assert truncated(99.879, 3) == 99.879
    assert truncated(99.87949, 3) == 99.879
