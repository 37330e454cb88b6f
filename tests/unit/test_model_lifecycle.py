"""The lifecycle vocabulary: the sets every other module derives from the tables."""

from __future__ import annotations

import pytest

from itsm_as_code.model.lifecycle import (
    COMPONENT_STATUSES,
    INCIDENT,
    KNOWN_ERROR,
    LIFECYCLES,
    MAINTENANCE,
    PROBLEM,
    SERVICE_REQUEST,
    Lifecycle,
    worst,
)
from itsm_as_code.resources import load_schema
from itsm_as_code.store.kinds import KINDS

# kind: (initial, active, done, dropped, final), written out by hand from ITIL.
EXPECTED = {
    "Incident": ("new", {"new", "investigating", "identified", "monitoring", "on_hold"},
                 {"resolved", "closed"}, {"canceled"}, {"canceled"}),
    "Problem": ("new", {"new", "assessing", "root_cause_analysis", "fix_in_progress"},
                {"resolved", "closed"}, set(), {"closed"}),
    "KnownError": ("open", {"open"}, {"fixed"}, {"retired"}, {"retired"}),
    "ServiceRequest": ("submitted", {"submitted", "approved", "in_fulfilment"}, {"fulfilled"},
                       {"rejected", "canceled"}, {"fulfilled", "rejected", "canceled"}),
    "Maintenance": ("scheduled", {"scheduled", "in_progress"}, {"completed"}, {"canceled"},
                    {"completed", "canceled"}),
}


def test_every_kind_with_a_status_has_a_lifecycle() -> None:
    assert set(LIFECYCLES) == set(EXPECTED)
    assert [LIFECYCLES[kind] for kind in EXPECTED] == [
        INCIDENT, PROBLEM, KNOWN_ERROR, SERVICE_REQUEST, MAINTENANCE]


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_the_derived_sets(kind: str) -> None:
    table = LIFECYCLES[kind]
    initial, active, done, dropped, final = EXPECTED[kind]
    assert (table.initial, table.active, table.done, table.dropped, table.final) == (
        initial, active, done, dropped, final)
    assert table.ended == done | dropped
    assert set(table.statuses) == active | done | dropped
    assert table.initial in table.active


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_the_statuses_are_the_schemas(kind: str) -> None:
    schema = load_schema(KINDS[kind].schema)
    status = schema["properties"]["status"]
    if "$ref" in status:
        status = schema["$defs"][status["$ref"].removeprefix("#/$defs/")]
    assert tuple(status["enum"]) == LIFECYCLES[kind].statuses


def test_allowed_moves_one_step_and_staying_is_always_allowed() -> None:
    assert INCIDENT.allowed("investigating", "resolved")
    assert INCIDENT.allowed("resolved", "resolved")
    assert INCIDENT.allowed("canceled", "canceled")
    assert not INCIDENT.allowed("canceled", "investigating")
    assert not INCIDENT.allowed("closed", "resolved")
    assert not INCIDENT.allowed("monitoring", "canceled")
    assert MAINTENANCE.allowed("scheduled", "in_progress")
    assert not MAINTENANCE.allowed("scheduled", "completed")
    assert not SERVICE_REQUEST.allowed("fulfilled", "in_fulfilment")
    assert not INCIDENT.allowed("unknown", "new")


def test_reachable_follows_several_steps() -> None:
    assert MAINTENANCE.reachable("scheduled", "completed")
    assert not MAINTENANCE.reachable("completed", "scheduled")
    assert PROBLEM.reachable("new", "fix_in_progress")
    assert not PROBLEM.reachable("closed", "new")
    assert INCIDENT.reachable("closed", "resolved")  # by a reopening
    assert not INCIDENT.reachable("canceled", "resolved")
    assert KNOWN_ERROR.reachable("fixed", "fixed")


def test_a_reopening_goes_from_done_back_to_active() -> None:
    assert INCIDENT.is_reopening("resolved", "investigating")
    assert INCIDENT.is_reopening("closed", "monitoring")
    assert not INCIDENT.is_reopening("resolved", "closed")
    assert not INCIDENT.is_reopening("investigating", "identified")
    assert not INCIDENT.is_reopening("canceled", "investigating")
    assert PROBLEM.is_reopening("resolved", "root_cause_analysis")
    assert KNOWN_ERROR.is_reopening("fixed", "open")
    assert not KNOWN_ERROR.is_reopening("retired", "open")


def test_a_status_without_moves_is_final() -> None:
    table = Lifecycle("Thing", "a", {"a": frozenset({"b"}), "b": frozenset()},
                      done=frozenset({"b"}))
    assert (table.final, table.active, table.statuses) == ({"b"}, {"a"}, ("a", "b"))


def test_worst_is_the_most_severe_component_status() -> None:
    assert COMPONENT_STATUSES[0] == "operational"
    assert worst([]) == "operational"
    assert worst(["degraded_performance", "major_outage", "partial_outage"]) == "major_outage"
    assert worst(["under_maintenance", "operational"]) == "under_maintenance"
    assert worst(["under_maintenance", "degraded_performance"]) == "degraded_performance"
