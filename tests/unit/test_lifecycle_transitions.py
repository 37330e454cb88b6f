"""Each lifecycle kind's transition table (model/lifecycle.py): the moves it allows, a sample
it refuses, and the sets derived from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itsm_as_code.model.lifecycle import INCIDENT, LIFECYCLES
from itsm_as_code.validation.lifecycle.rules import FROZEN

SCHEMAS = Path(__file__).parent.parent.parent / "schemas"
SCHEMA_OF = {"Incident": "incident", "Problem": "problem", "KnownError": "known-error",
             "ServiceRequest": "service-request", "Maintenance": "maintenance"}

ALLOWED = [
    ("Incident", "new", "investigating"),
    ("Incident", "investigating", "identified"),
    ("Incident", "identified", "monitoring"),
    ("Incident", "monitoring", "investigating"),
    ("Incident", "on_hold", "investigating"),
    ("Incident", "investigating", "resolved"),
    ("Incident", "new", "canceled"),
    ("Incident", "resolved", "closed"),
    ("Incident", "resolved", "investigating"),
    ("Incident", "closed", "monitoring"),
    ("Problem", "new", "assessing"),
    ("Problem", "assessing", "root_cause_analysis"),
    ("Problem", "root_cause_analysis", "fix_in_progress"),
    ("Problem", "fix_in_progress", "resolved"),
    ("Problem", "resolved", "closed"),
    ("Problem", "resolved", "root_cause_analysis"),
    ("KnownError", "open", "fixed"),
    ("KnownError", "fixed", "open"),
    ("KnownError", "fixed", "retired"),
    ("ServiceRequest", "submitted", "approved"),
    ("ServiceRequest", "submitted", "rejected"),
    ("ServiceRequest", "approved", "in_fulfilment"),
    ("ServiceRequest", "in_fulfilment", "fulfilled"),
    ("ServiceRequest", "in_fulfilment", "canceled"),
    ("Maintenance", "scheduled", "in_progress"),
    ("Maintenance", "in_progress", "completed"),
    ("Maintenance", "scheduled", "canceled"),
]
REFUSED = [
    ("Incident", "canceled", "investigating"),
    ("Incident", "canceled", "closed"),
    ("Incident", "new", "closed"),
    ("Incident", "investigating", "new"),
    ("Incident", "closed", "resolved"),
    ("Incident", "closed", "canceled"),
    ("Incident", "monitoring", "canceled"),
    ("Problem", "closed", "new"),
    ("Problem", "new", "resolved"),
    ("Problem", "fix_in_progress", "new"),
    ("KnownError", "retired", "open"),
    ("KnownError", "open", "open_again"),
    ("ServiceRequest", "fulfilled", "in_fulfilment"),
    ("ServiceRequest", "rejected", "approved"),
    ("ServiceRequest", "canceled", "submitted"),
    ("Maintenance", "completed", "in_progress"),
    ("Maintenance", "canceled", "scheduled"),
    ("Maintenance", "scheduled", "completed"),
]


@pytest.mark.parametrize(("kind", "before", "after"), ALLOWED)
def test_the_table_allows(kind: str, before: str, after: str) -> None:
    assert LIFECYCLES[kind].allowed(before, after)


@pytest.mark.parametrize(("kind", "before", "after"), REFUSED)
def test_the_table_refuses(kind: str, before: str, after: str) -> None:
    assert not LIFECYCLES[kind].allowed(before, after)


@pytest.mark.parametrize("kind", sorted(LIFECYCLES))
def test_every_status_of_the_schema_has_a_row_and_nothing_else_does(kind: str) -> None:
    schema = json.loads((SCHEMAS / f"{SCHEMA_OF[kind]}.schema.json").read_text())
    status = schema["properties"]["status"]
    enum = status.get("enum") or schema["$defs"][status["$ref"].rsplit("/", 1)[1]]["enum"]
    table = LIFECYCLES[kind].moves
    assert set(table) == set(enum)
    assert set().union(*table.values()) <= set(enum)


@pytest.mark.parametrize("kind", sorted(LIFECYCLES))
def test_staying_in_a_status_is_always_allowed(kind: str) -> None:
    lifecycle = LIFECYCLES[kind]
    assert all(lifecycle.allowed(status, status) for status in lifecycle.statuses)


def test_several_steps_reach_further_than_one() -> None:
    assert LIFECYCLES["Problem"].reachable("new", "resolved")
    assert not LIFECYCLES["Problem"].reachable("closed", "resolved")
    assert not LIFECYCLES["KnownError"].reachable("retired", "fixed")


@pytest.mark.parametrize(("before", "after", "expected"), [
    ("resolved", "investigating", True), ("closed", "monitoring", True),
    ("resolved", "closed", False), ("investigating", "identified", False),
    ("canceled", "investigating", False),
])
def test_a_reopening_goes_from_resolved_or_closed_back_to_work(
        before: str, after: str, expected: bool) -> None:
    assert INCIDENT.is_reopening(before, after) is expected


def test_the_derived_sets_of_incidents() -> None:
    assert INCIDENT.active == {"new", "investigating", "identified", "monitoring", "on_hold"}
    assert (INCIDENT.done, INCIDENT.dropped) == ({"resolved", "closed"}, {"canceled"})
    assert INCIDENT.final == {"canceled"}
    assert {"closed", "canceled"} == FROZEN
