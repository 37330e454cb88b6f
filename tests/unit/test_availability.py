"""One availability figure: the status site's 30-day uptime and `itsm report`'s
availability agree for the same service and window, worked out by hand, with maintenance
that overran, component statuses that change over time, and a canceled incident."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from itsm_as_code.model.context import RunContext
from itsm_as_code.site.records import select
from itsm_as_code.site.views import build_views
from itsm_as_code.sla.kpi import report
from itsm_as_code.timefmt import format_timestamp
from tests.helpers import NOW, affected, context, incident, maintenance, service

MONTH = 30 * 86400  # seconds in the site's 30-day window


def at(hour: str) -> str:
    """A time on 2026-11-21, the day before NOW, in UTC: `04:30`."""
    return f"2026-11-21T{hour}:00Z"


def entry(hour: str, message: str = "update", **fields: Any) -> dict[str, Any]:
    return {"at": at(hour), "message": message, **fields}


def resolved(record_id: str, opened: str, end: str, status: str = "major_outage",
             *between: dict[str, Any]) -> dict[str, Any]:
    """An incident on `web` from `opened` until it was resolved at `end`."""
    return incident(record_id, services=[affected("web", status)], opened_at=at(opened),
                    acknowledged_at=at(opened), resolved_at=at(end), status="resolved",
                    timeline=[entry(opened, status="investigating"), *between,
                              entry(end, status="resolved")])


def overran() -> dict[str, Any]:
    """Scheduled 02:00-04:00; its timeline says it ran from 02:00 to 06:00."""
    return maintenance(scheduled_start=at("02:00"), scheduled_end=at("04:00"),
                       status="completed",
                       timeline=[entry("02:00", status="in_progress"),
                                 entry("06:00", status="completed")])


def site_uptime(ctx: RunContext) -> float:
    views = build_views(select(ctx.model, False, ctx.now), ZoneInfo("UTC"),
                        ctx.config.availability_weights)
    return views.services["web"].uptime_30


def report_availability(ctx: RunContext) -> Any:
    since = format_timestamp(ctx.now - timedelta(days=30))
    kpis = report(ctx, since=since, service="web")
    return kpis.services[0].figures.availability_percent


def both(*records: dict[str, Any]) -> tuple[float, Any]:
    ctx = context(service("web"), *records)
    assert ctx.model.schema_findings() == []  # every record counts: none left out
    return site_uptime(ctx), report_availability(ctx)


def test_the_site_and_the_report_agree_when_maintenance_overran() -> None:
    # The major outage 04:30-05:30 lies inside the maintenance as it really ran (to 06:00),
    # so it is not downtime; the partial outage 06:00-07:00 after it is, at 0.3. Agreed
    # time: 30 days less the 4 hours the work ran. (With the scheduled end, 04:00, the
    # major outage would count: 100 * (1 - 4680 / (MONTH - 7200)) = 99.819.)
    site, kpi = both(overran(), resolved("INC-0001", "04:30", "05:30"),
                     resolved("INC-0002", "06:00", "07:00", "partial_outage"))
    expected = 100 * (1 - 0.3 * 3600 / (MONTH - 4 * 3600))  # 99.95810...
    assert site == pytest.approx(expected)
    assert kpi == round(expected, 3) == 99.958
    assert kpi == round(site, 3)


def test_a_timeline_entry_that_changes_a_services_status_changes_the_figure() -> None:
    # A major outage 08:00-09:00, then degraded performance (weight 0) until 10:00.
    recovering = entry("09:00", services=[affected("web", "degraded_performance")])
    site, kpi = both(resolved("INC-0001", "08:00", "10:00", "major_outage", recovering))
    expected = 100 * (1 - 3600 / MONTH)
    assert site == pytest.approx(expected)
    assert kpi == round(expected, 3)
    # The old single-status form: the whole two hours at the incident's status.
    site, kpi = both(resolved("INC-0001", "08:00", "10:00", "major_outage"))
    assert site == pytest.approx(100 * (1 - 7200 / MONTH))
    assert kpi == round(site, 3)


def test_a_canceled_incident_counts_nothing() -> None:
    false_alarm = incident("INC-0001", services=[affected("web", "major_outage")],
                           opened_at=at("08:00"), status="canceled",
                           timeline=[entry("08:00", status="investigating"),
                                     entry("09:00", status="canceled")])
    site, kpi = both(false_alarm)
    assert (site, kpi) == (100.0, 100.0)
    ctx = context(service("web"), false_alarm)
    web = report(ctx, since=format_timestamp(NOW - timedelta(days=30)),
                 service="web").services[0].figures
    assert (web.incidents_opened, web.downtime_seconds, web.mtbf_seconds) == (0, 0, None)


def test_an_open_incident_counts_until_now() -> None:
    # The builder's incident was opened an hour before NOW.
    site, kpi = both(incident("INC-0001", services=[affected("web", "major_outage")]))
    assert site == pytest.approx(100 * (1 - 3600 / MONTH))
    assert kpi == round(site, 3)
