"""The pieces of the KPI report: the availability sweep over spans, the window's bounds
and months, and the chart geometry."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from itsm_as_code.errors import UsageError
from itsm_as_code.model.impact import Span
from itsm_as_code.sla import charts
from itsm_as_code.sla.availability import availability
from itsm_as_code.sla.figures import MonthFigures
from itsm_as_code.sla.history import instant_of, show
from itsm_as_code.sla.window import Window, months, parse_bound
from itsm_as_code.timefmt import parse_timestamp

H = 3600 * 1_000_000
BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)
WEIGHTS = {"major_outage": 1.0, "partial_outage": 0.3, "degraded_performance": 0.0}


def span(start: int, end: int, status: str) -> Span:
    """A span of service `web`, `start` and `end` hours after T0."""
    return Span("web", T0 + timedelta(hours=start), T0 + timedelta(hours=end), status, "R")


def instant(text: str) -> int:
    return instant_of(parse_timestamp(text))


def test_overlapping_outages_count_their_largest_weight_once() -> None:
    # 10 hours; major 1h-3h, partial 2h-5h; maintenance 4h-6h is not agreed time.
    up = availability([span(1, 3, "major_outage"), span(2, 5, "partial_outage"),
                       span(4, 6, "under_maintenance")], T0, T0 + timedelta(hours=10),
                      WEIGHTS)
    assert (up.agreed, up.downtime, up.disturbed) == (8 * H, pytest.approx(2.3 * H), 3 * H)
    assert up.percent == pytest.approx(100 * (1 - 2.3 / 8))
    assert up.mtbf(2) == (8 - 3) * 3600 / 2
    assert up.mtbf(0) is None


def test_outages_are_clipped_to_the_window() -> None:
    up = availability([span(0, 3, "major_outage"), span(5, 6, "major_outage")],
                      T0 + timedelta(hours=2), T0 + timedelta(hours=4), WEIGHTS)
    assert (up.agreed, up.downtime) == (2 * H, 1.0 * H)


def test_a_degraded_service_is_disturbed_but_not_down() -> None:
    up = availability([span(1, 2, "degraded_performance")], T0, T0 + timedelta(hours=4),
                      WEIGHTS)
    assert (up.agreed, up.downtime, up.disturbed, up.percent) == (4 * H, 0.0, H, 100.0)


def test_a_window_all_maintenance_has_no_availability() -> None:
    up = availability([span(0, 1, "major_outage"), span(0, 2, "under_maintenance")],
                      T0, T0 + timedelta(hours=2), WEIGHTS)
    assert (up.agreed, up.percent) == (0, None)


def test_dates_are_whole_local_days() -> None:
    assert show(parse_bound("2026-10-25", BERLIN, end=False), BERLIN) == (
        "2026-10-25T00:00:00+02:00")
    # An end date is included: the window ends at the start of the next day.
    assert show(parse_bound("2026-10-25", BERLIN, end=True), BERLIN) == (
        "2026-10-26T00:00:00+01:00")
    assert parse_bound("2026-10-25T12:00:00Z", BERLIN, end=True) == instant(
        "2026-10-25T12:00:00Z")
    with pytest.raises(UsageError, match="lies outside the years 1900 to 2999"):
        parse_bound("1800-01-01", BERLIN, end=False)


def test_months_of_a_window_in_local_time() -> None:
    since, until = instant("2026-09-15T00:00:00+02:00"), instant("2026-11-22T10:00:00+01:00")
    found = months(Window(since, until + 30 * 24 * H, until), BERLIN)
    assert [(label, show(low, BERLIN), show(high, BERLIN)) for label, low, high in found] == [
        ("2026-09", "2026-09-15T00:00:00+02:00", "2026-10-01T00:00:00+02:00"),
        ("2026-10", "2026-10-01T00:00:00+02:00", "2026-11-01T00:00:00+01:00"),
        ("2026-11", "2026-11-01T00:00:00+01:00", "2026-11-22T10:00:00+01:00"),
    ]


def test_compliance_bars_are_as_tall_as_their_percent() -> None:
    chart = charts.compliance([MonthFigures("2026-10", 1, None, None, 100.0, 50.0),
                               MonthFigures("2026-11", 1, None, None, None, 0.0)])
    plot = charts.HEIGHT - charts.TOP - charts.BOTTOM
    assert [(r.title, r.height) for r in chart.rects] == [
        ("2026-10 response: 100%", plot), ("2026-10 resolution: 50%", plot / 2),
        ("2026-11 resolution: 0%", 0)]
    assert not chart.empty


def test_an_axis_ends_at_a_round_number() -> None:
    assert [charts._nice(v) for v in (0.3, 1, 7.5, 12, 1999)] == [0.5, 1, 10, 20, 2000]
