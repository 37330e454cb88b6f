"""Clocks worked out by hand: pauses over a weekend and before working hours, an
acknowledgement during a pause, exactly at the target and one second past, the running
states and their deadlines, and the records that have no clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from itsm_as_code.model.context import RunContext
from itsm_as_code.sla.check import check
from itsm_as_code.sla.clocks import Clock
from itsm_as_code.sla.history import show
from itsm_as_code.store.repository import Repository
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import Data, affected, calendar, request, service, sla
from tests.helpers import incident as incident_data
from tests.helpers import repository as repository_of

BERLIN = ZoneInfo("Europe/Berlin")
TARGETS = {"P1": {"response": "15m", "resolution": "4h"},
           "P2": {"response": "2h", "resolution": "8h"},
           "P3": {"response": "1h", "resolution": "8h"}}
BASE = [
    calendar("office"),
    sla("business", name="Business hours", type="OLA", calendar="office",
        pause_on=["on_hold"], warn_at=75, targets=TARGETS),
    sla("always", name="Around the clock", pause_on=["on_hold"], warn_at=75, targets=TARGETS),
    service("web", sla="business"),
    service("api", name="API", sla="always"),
    service("wiki"),
]


def incident(record_id: str, opened: str, *updates: tuple[str, str], priority: str = "P3",
             services: tuple[str, ...] = ("web",), **fields: Any) -> Data:
    """Opened at `opened`, with one timeline entry per (at, status) of `updates`."""
    timeline = [{"at": at, "status": status, "message": "update"} for at, status in updates]
    return incident_data(record_id, **{
        "title": "Something broke", "services": [affected(s) for s in services],
        "priority": priority, "status": updates[-1][1] if updates else "new",
        "opened_at": opened, "timeline": timeline, **fields})


def repository(*records: Data) -> Repository:
    return repository_of(*BASE, *records, timezone="Europe/Berlin")


def clocks(now: str, *records: dict[str, Any]) -> dict[tuple[str, str, str], Clock]:
    result = check(RunContext(repository(*records), parse_timestamp(now)))
    assert result.findings == []
    return {(c.record, c.service, c.metric): c for c in result.clocks}


def test_a_pause_over_a_weekend_counts_nothing() -> None:
    found = clocks(
        "2026-11-30T00:00:00+01:00",
        incident("INC-1", "2026-11-20T10:00:00+01:00",  # Friday
                 ("2026-11-20T10:00:00+01:00", "investigating"),
                 ("2026-11-20T15:00:00+01:00", "on_hold"),
                 ("2026-11-23T11:00:00+01:00", "investigating"),  # Monday
                 ("2026-11-23T12:00:00+01:00", "resolved"),
                 acknowledged_at="2026-11-20T10:00:00+01:00",
                 resolved_at="2026-11-23T12:00:00+01:00"))
    # Friday 10:00-15:00 and Monday 11:00-12:00; without the pause it would be 10h.
    clock = found[("INC-1", "web", "resolution")]
    assert (clock.elapsed, clock.state, clock.running) == (6 * 3600, "met", False)


def test_a_pause_that_begins_before_working_hours() -> None:
    found = clocks(
        "2026-11-30T00:00:00+01:00",
        incident("INC-2", "2026-11-23T16:00:00+01:00",  # Monday
                 ("2026-11-24T07:00:00+01:00", "on_hold"),  # Tuesday, before 09:00
                 ("2026-11-24T10:00:00+01:00", "investigating"),
                 ("2026-11-24T12:00:00+01:00", "resolved"),
                 resolved_at="2026-11-24T12:00:00+01:00"))
    # Monday 16:00-17:00, then Tuesday 10:00-12:00: the pause hides 09:00-10:00 only.
    assert found[("INC-2", "web", "resolution")].elapsed == 3 * 3600
    # Never acknowledged: resolving it answered it, so the response clock stops there too.
    response = found[("INC-2", "web", "response")]
    assert (response.elapsed, response.state) == (3 * 3600, "breached")


def test_an_acknowledgement_during_a_pause() -> None:
    found = clocks(
        "2026-11-30T00:00:00+01:00",
        incident("INC-3", "2026-11-21T09:00:00+01:00",
                 ("2026-11-21T09:10:00+01:00", "on_hold"),
                 ("2026-11-21T10:00:00+01:00", "investigating"),
                 services=("api",), acknowledged_at="2026-11-21T09:40:00+01:00"))
    # 09:00-09:10 counts; from 09:10 the record is on hold until after the acknowledgement.
    assert found[("INC-3", "api", "response")].elapsed == 10 * 60


@pytest.mark.parametrize(("acknowledged", "elapsed", "state"), [
    ("2026-11-21T09:15:00+01:00", 900, "met"),
    ("2026-11-21T09:15:01+01:00", 901, "breached"),
])
def test_exactly_at_the_target_is_met_and_one_second_past_is_not(
    acknowledged: str, elapsed: int, state: str
) -> None:
    found = clocks("2026-11-30T00:00:00+01:00",
                   incident("INC-4", "2026-11-21T09:00:00+01:00", priority="P1",
                            services=("api",), acknowledged_at=acknowledged))
    clock = found[("INC-4", "api", "response")]
    assert (clock.target, clock.elapsed, clock.state) == (900, elapsed, state)


@pytest.mark.parametrize(("now", "elapsed", "state"), [
    ("2026-11-21T11:59:59+01:00", 3 * 3600 - 1, "within"),
    ("2026-11-21T12:00:00+01:00", 3 * 3600, "at_risk"),  # 75% of 4h
    ("2026-11-21T13:00:00+01:00", 4 * 3600, "at_risk"),  # at the target: not yet breached
    ("2026-11-21T13:00:01+01:00", 4 * 3600 + 1, "breached"),
])
def test_a_running_clocks_state_and_deadline(now: str, elapsed: int, state: str) -> None:
    found = clocks(now, incident("INC-5", "2026-11-21T09:00:00+01:00",
                                 ("2026-11-21T09:05:00+01:00", "investigating"),
                                 priority="P1", services=("api",),
                                 acknowledged_at="2026-11-21T09:05:00+01:00"))
    clock = found[("INC-5", "api", "resolution")]
    assert (clock.elapsed, clock.state, clock.running, clock.paused) == (
        elapsed, state, True, False)
    assert show(clock.due, BERLIN) == "2026-11-21T13:00:00+01:00"


def test_a_paused_clock_has_no_deadline_until_it_runs_again() -> None:
    found = clocks("2026-11-21T12:00:00+01:00",
                   incident("INC-6", "2026-11-21T09:00:00+01:00",
                            ("2026-11-21T10:00:00+01:00", "on_hold"),
                            priority="P1", services=("api",),
                            acknowledged_at="2026-11-21T09:05:00+01:00"))
    clock = found[("INC-6", "api", "resolution")]
    assert (clock.elapsed, clock.state, clock.paused, clock.due) == (3600, "paused", True, None)


def test_a_clock_paused_after_its_breach_stays_breached_since_then() -> None:
    found = clocks("2026-11-21T18:00:00+01:00",
                   incident("INC-7", "2026-11-21T09:00:00+01:00",
                            ("2026-11-21T14:00:00+01:00", "on_hold"),
                            priority="P1", services=("api",),
                            acknowledged_at="2026-11-21T09:05:00+01:00"))
    clock = found[("INC-7", "api", "resolution")]
    assert (clock.elapsed, clock.state, clock.paused, clock.due) == (
        5 * 3600, "breached", True, None)
    assert show(clock.breached_at, BERLIN) == "2026-11-21T13:00:00+01:00"


def test_the_deadline_of_a_business_hours_clock_skips_the_weekend() -> None:
    found = clocks("2026-11-21T12:00:00+01:00",  # Saturday
                   incident("INC-8", "2026-11-20T16:00:00+01:00", priority="P2"))
    clock = found[("INC-8", "web", "response")]
    assert (clock.elapsed, clock.state) == (3600, "within")  # Friday 16:00-17:00
    assert show(clock.due, BERLIN) == "2026-11-23T10:00:00+01:00"


def test_records_without_clocks() -> None:
    found = clocks(
        "2026-11-30T00:00:00+01:00",
        # Canceled before it was resolved: its resolution clock is dropped.
        incident("INC-9", "2026-11-21T09:00:00+01:00",
                 ("2026-11-21T09:05:00+01:00", "investigating"),
                 ("2026-11-21T09:30:00+01:00", "canceled"), services=("api",),
                 acknowledged_at="2026-11-21T09:05:00+01:00"),
        # P5 has no target; the wiki has no SLA.
        incident("INC-10", "2026-11-21T09:00:00+01:00", priority="P5", services=("api",)),
        incident("INC-11", "2026-11-21T09:00:00+01:00", services=("wiki",)),
        # Opened after now.
        incident("INC-12", "2026-12-01T09:00:00+01:00", services=("api",)),
    )
    assert sorted(found) == [("INC-9", "api", "response")]


def test_now_in_the_past_sees_the_records_as_they_were() -> None:
    found = clocks("2026-11-21T09:30:00+01:00",
                   incident("INC-13", "2026-11-21T09:00:00+01:00",
                            ("2026-11-21T10:00:00+01:00", "resolved"), priority="P1",
                            services=("api",), acknowledged_at="2026-11-21T09:40:00+01:00",
                            resolved_at="2026-11-21T10:00:00+01:00"))
    response = found[("INC-13", "api", "response")]
    assert (response.running, response.elapsed, response.state) == (True, 1800, "breached")


def test_one_clock_per_service_each_with_its_sla() -> None:
    found = clocks("2026-11-21T12:00:00+01:00",  # Saturday
                   incident("INC-14", "2026-11-20T16:30:00+01:00", services=("web", "api")))
    assert found[("INC-14", "web", "response")].elapsed == 1800  # business hours
    assert found[("INC-14", "api", "response")].elapsed == 19 * 3600 + 1800  # 24x7


def test_a_service_request_starts_submitted() -> None:
    submitted = request(
        "REQ-1", title="Access", service="desk", status="fulfilled",
        opened_at="2026-11-21T09:00:00+01:00", resolved_at="2026-11-21T11:00:00+01:00",
        timeline=[{"at": "2026-11-21T10:00:00+01:00", "status": "approved", "message": "ok"},
                  {"at": "2026-11-21T11:00:00+01:00", "status": "fulfilled",
                   "message": "done"}])
    # Ids are unique (the model keeps the first of a duplicate): an SLA of its own.
    waiting = sla("waiting", name="x", pause_on=["submitted"], targets=TARGETS)
    desk = service("desk", sla="waiting")
    result = check(RunContext(repository(submitted, waiting, desk),
                              parse_timestamp("2026-11-30T00:00:00Z")))
    clock = next(c for c in result.clocks if c.metric == "resolution")
    assert clock.elapsed == 3600  # 10:00-11:00: waiting for approval does not count


def test_a_clock_across_a_dst_change_counts_real_time() -> None:
    found = clocks("2026-11-30T00:00:00+01:00",
                   incident("INC-15", "2026-10-25T01:30:00+02:00", priority="P1",
                            services=("api",), acknowledged_at="2026-10-25T02:30:00+01:00"))
    assert found[("INC-15", "api", "response")].elapsed == 2 * 3600


def test_unreadable_input_is_left_out_with_a_warning() -> None:
    # A time the model cannot hold (before year 1 in UTC) leaves the record out of the
    # model, like a schema error; one it holds but clocks are not computed for, out of
    # the clocks.
    unusable = incident("INC-16", "0001-01-01T00:00:00+14:00", services=("api",))
    early = incident("INC-17", "1850-01-01T00:00:00+01:00", services=("api",))
    now = datetime.fromisoformat("2026-11-30T00:00:00+00:00")
    result = check(RunContext(repository(unusable, early), now))
    assert result.clocks == []
    assert [(f.record, f.level, f.message) for f in result.findings] == [
        ("INC-16", "warning", "left out of the SLA clocks and reports: the record does not "
                              "match its schema (`itsm validate` says why)"),
        ("INC-17", "warning", "left out of the SLA clocks: 1849-12-31T23:00:00Z is outside "
                              "the years 1900 to 2999")]
