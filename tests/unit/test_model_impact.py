"""What the records say happened as of a moment (model/impact.py), worked out by hand:
status at a time, when an incident ended, reopenings, entries after `now`, component
statuses changed by timeline entries, and maintenance that overran, has not begun or
was canceled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from itsm_as_code.model.impact import (
    Span,
    incident_spans,
    maintenance_ran,
    maintenance_spans,
    maintenance_status_at,
    may_span_after,
    restored_at,
    spans_by_service,
    status_at,
)
from itsm_as_code.model.readers import itil as readers
from itsm_as_code.model.types.itil import Incident, Maintenance
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import affected
from tests.helpers import incident as incident_data
from tests.helpers import maintenance as maintenance_data


def at(hour: str, day: int = 21) -> datetime:
    """A time in UTC on 2026-11-`day`: `at("04:30")`."""
    return parse_timestamp(f"2026-11-{day:02d}T{hour}:00Z")


def entry(hour: str, **fields: Any) -> dict[str, Any]:
    return {"at": f"2026-11-21T{hour}:00Z", "message": "update", **fields}


def incident(*timeline: dict[str, Any], opened: str = "08:00", **fields: Any) -> Incident:
    services = fields.pop("services", [affected("web", "major_outage")])
    return readers.incident(incident_data(services=services,
                                        opened_at=f"2026-11-21T{opened}:00Z",
                                        timeline=list(timeline), **fields))


def window(*timeline: dict[str, Any], **fields: Any) -> Maintenance:
    return readers.maintenance(maintenance_data(
        services=["web", "api"], scheduled_start="2026-11-21T02:00:00Z",
        scheduled_end="2026-11-21T04:00:00Z", timeline=list(timeline), **fields))


def spans(found: list[Span]) -> list[tuple[str, str, str, str, bool]]:
    return [(s.service, f"{s.start:%H:%M}", f"{s.end:%H:%M}", s.status, s.ongoing)
            for s in found]


REOPENED = (entry("08:00", status="investigating"), entry("09:00", status="resolved"),
            entry("10:00", status="investigating"), entry("11:00", status="resolved"))


def test_the_status_at_a_moment_and_before_any_entry() -> None:
    item = incident(*REOPENED, resolved_at="2026-11-21T11:00:00Z")
    assert [status_at(item, at(hour)) for hour in ("07:00", "08:00", "09:30", "10:00",
                                                   "12:00")] == [
        "new", "investigating", "resolved", "investigating", "resolved"]


def test_a_reopening_restores_the_service_between_its_resolutions() -> None:
    item = incident(*REOPENED, resolved_at="2026-11-21T11:05:00Z")
    # resolved_at is the last resolution's: it ends the last span, not the first.
    assert restored_at(item, at("12:00")) == at("11:05")
    assert spans(incident_spans(item, at("12:00"))) == [
        ("web", "08:00", "09:00", "major_outage", False),
        ("web", "10:00", "11:05", "major_outage", False)]
    # Seen at 10:30, it is open again: no end yet, the second span goes on.
    assert restored_at(item, at("10:30")) is None
    assert spans(incident_spans(item, at("10:30"))) == [
        ("web", "08:00", "09:00", "major_outage", False),
        ("web", "10:00", "10:30", "major_outage", True)]


def test_entries_after_now_are_not_known_yet() -> None:
    item = incident(entry("08:00", status="investigating"),
                    entry("09:00", services=[affected("web", "degraded_performance")]),
                    entry("10:00", status="resolved"), resolved_at="2026-11-21T10:00:00Z")
    assert status_at(item, at("08:30")) == "investigating"
    assert restored_at(item, at("08:30")) is None
    assert spans(incident_spans(item, at("08:30"))) == [
        ("web", "08:00", "08:30", "major_outage", True)]
    assert incident_spans(item, at("07:59")) == []  # not opened yet


def test_a_timeline_entry_changes_one_services_status_from_its_time_on() -> None:
    item = incident(entry("08:00", status="investigating"),
                    entry("09:00", services=[affected("web", "degraded_performance")]),
                    entry("09:30", services=[affected("api", "operational")]),
                    entry("10:00", status="resolved"),
                    services=[affected("web", "major_outage"), affected("api", "partial_outage")],
                    resolved_at="2026-11-21T10:00:00Z")
    assert spans(incident_spans(item, at("12:00"))) == [
        ("web", "08:00", "09:00", "major_outage", False),
        ("api", "08:00", "09:30", "partial_outage", False),
        ("web", "09:00", "10:00", "degraded_performance", False)]


def test_a_reopening_brings_back_the_statuses_in_force_before_it() -> None:
    item = incident(entry("08:00", status="investigating"),
                    entry("08:30", services=[affected("web", "partial_outage")]),
                    entry("09:00", status="resolved"), entry("10:00", status="identified"),
                    entry("11:00", status="resolved"), resolved_at="2026-11-21T11:00:00Z")
    assert spans(incident_spans(item, at("12:00"))) == [
        ("web", "08:00", "08:30", "major_outage", False),
        ("web", "08:30", "09:00", "partial_outage", False),
        ("web", "10:00", "11:00", "partial_outage", False)]


def test_a_canceled_incident_had_no_impact() -> None:
    item = incident(entry("08:00", status="investigating"), entry("09:00", status="canceled"))
    assert incident_spans(item, at("12:00")) == []
    assert restored_at(item, at("12:00")) == at("09:00")
    # Before it was canceled, it was an outage like any other.
    assert spans(incident_spans(item, at("08:30"))) == [
        ("web", "08:00", "08:30", "major_outage", True)]


def test_maintenance_that_overran_counts_to_its_real_end() -> None:
    item = window(entry("02:00", status="in_progress"), entry("06:00", status="completed"),
                  status="completed")
    assert maintenance_ran(item, at("12:00")) == (at("02:00"), at("06:00"))
    assert spans(maintenance_spans(item, at("12:00"))) == [
        ("web", "02:00", "06:00", "under_maintenance", False),
        ("api", "02:00", "06:00", "under_maintenance", False)]
    # At 05:00, past its scheduled end, the work still goes on.
    assert maintenance_status_at(item, at("05:00")) == "in_progress"
    assert spans(maintenance_spans(item, at("05:00")))[0] == (
        "web", "02:00", "05:00", "under_maintenance", True)


def test_maintenance_nobody_updated_moves_along_by_the_clock() -> None:
    item = window()
    assert maintenance_status_at(item, at("01:00")) == "scheduled"
    assert maintenance_ran(item, at("01:00")) is None  # not begun
    assert maintenance_status_at(item, at("03:00")) == "in_progress"
    assert maintenance_ran(item, at("03:00")) == (at("02:00"), None)
    assert maintenance_ran(item, at("12:00")) == (at("02:00"), at("04:00"))


def test_canceled_maintenance_never_ran() -> None:
    item = window(entry("01:00", status="canceled"), status="canceled")
    assert maintenance_ran(item, at("03:00")) is None
    assert maintenance_spans(item, at("12:00")) == []


def test_spans_by_service_in_order_of_start() -> None:
    work = window(entry("02:00", status="in_progress"), entry("03:00", status="completed"),
                  status="completed")
    outage = incident(entry("01:00", status="investigating"),
                      entry("02:30", status="resolved"), opened="01:00",
                      resolved_at="2026-11-21T02:30:00Z")
    found = spans_by_service([outage], [work], at("12:00"))
    assert {service: spans(items) for service, items in found.items()} == {
        "web": [("web", "01:00", "02:30", "major_outage", False),
                ("web", "02:00", "03:00", "under_maintenance", False)],
        "api": [("api", "02:00", "03:00", "under_maintenance", False)]}


_STATUSES = ("investigating", "identified", "monitoring", "on_hold", "resolved", "closed",
             "canceled", None)
_COMPONENTS = ("major_outage", "partial_outage", "degraded_performance", "operational")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 23), st.sampled_from(_STATUSES),
                          st.one_of(st.none(), st.sampled_from(_COMPONENTS))),
                max_size=6),
       st.integers(0, 23), st.one_of(st.none(), st.integers(0, 23)), st.integers(0, 23),
       st.integers(0, 23))
def test_an_incident_whose_spans_end_before_a_moment_is_told_apart(
        steps: list[tuple[int, str | None, str | None]], opened: int, resolved: int | None,
        now: int, moment: int) -> None:
    # Any timeline, in any order, with entries after `now`: when may_span_after says no
    # span ends at `moment` or later, none does.
    timeline = []
    for hour, status, component in steps:
        fields: dict[str, Any] = {"status": status} if status else {}
        if component:
            fields["services"] = [affected("web", component)]
        timeline.append(entry(f"{hour:02d}:00", **fields))
    extra = {"resolved_at": f"2026-11-21T{resolved:02d}:00:00Z"} if resolved is not None else {}
    made = incident(*timeline, opened=f"{opened:02d}:00", **extra)
    if not may_span_after(made, at(f"{moment:02d}:00"), at(f"{now:02d}:00")):
        assert all(span.end < at(f"{moment:02d}:00")
                   for span in incident_spans(made, at(f"{now:02d}:00")))


def test_an_entry_after_now_ends_what_the_spans_read_of_a_timeline() -> None:
    # Out of order: the spans stop reading at the entry after `now`, so the incident is
    # still active for them although an entry before `now` resolved it.
    made = incident(entry("08:00", status="investigating"), entry("20:00", status="resolved"),
                    entry("09:00", status="resolved"))
    assert spans(incident_spans(made, at("12:00")))[-1][2:] == ("12:00", "major_outage", True)
    assert may_span_after(made, at("11:00"), at("12:00"))
    ended = incident(entry("08:00", status="investigating"), entry("09:00", status="resolved"))
    assert not may_span_after(ended, at("11:00"), at("12:00"))
    assert may_span_after(ended, at("09:00"), at("12:00"))
