"""Each lifecycle kind's transition table: the moves it allows and a sample it refuses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from itsm_as_code.validation.lifecycle import HISTORY_RULES
from itsm_as_code.validation.lifecycle.transitions import (
    TRANSITIONS,
    allowed,
    is_reopening,
    reachable,
)

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
    assert allowed(kind, before, after)


@pytest.mark.parametrize(("kind", "before", "after"), REFUSED)
def test_the_table_refuses(kind: str, before: str, after: str) -> None:
    assert not allowed(kind, before, after)


@pytest.mark.parametrize("kind", sorted(TRANSITIONS))
def test_every_status_of_the_schema_has_a_row_and_nothing_else_does(kind: str) -> None:
    schema = json.loads((SCHEMAS / f"{SCHEMA_OF[kind]}.schema.json").read_text())
    status = schema["properties"]["status"]
    enum = status.get("enum") or schema["$defs"][status["$ref"].rsplit("/", 1)[1]]["enum"]
    table = TRANSITIONS[kind]
    assert set(table) == set(enum)
    assert set().union(*table.values()) <= set(enum)


@pytest.mark.parametrize("kind", sorted(TRANSITIONS))
def test_staying_in_a_status_is_always_allowed(kind: str) -> None:
    assert all(allowed(kind, status, status) for status in TRANSITIONS[kind])


def test_several_steps_reach_further_than_one() -> None:
    assert reachable("Problem", "new", "resolved")
    assert not reachable("Problem", "closed", "resolved")
    assert not reachable("KnownError", "retired", "fixed")


@pytest.mark.parametrize(("before", "after", "expected"), [
    ("resolved", "investigating", True), ("closed", "monitoring", True),
    ("resolved", "closed", False), ("investigating", "identified", False),
    ("canceled", "investigating", False),
])
def test_a_reopening_goes_from_resolved_or_closed_back_to_work(
        before: str, after: str, expected: bool) -> None:
    assert is_reopening(before, after) is expected


README = (Path(__file__).parent.parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_readme_prints_every_table_as_it_is() -> None:
    printed: dict[str, dict[str, frozenset[str]]] = {}
    for line in README.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0] in TRANSITIONS:
            moves = frozenset(re.findall(r"`(\w+)`", cells[2]))
            for before in re.findall(r"`(\w+)`", cells[1]):
                printed.setdefault(cells[0], {})[before] = moves
    assert printed == TRANSITIONS


@pytest.mark.parametrize("rule", sorted(HISTORY_RULES))
def test_every_history_rule_is_in_the_readme(rule: str) -> None:
    assert f"| `{rule}` |" in README
