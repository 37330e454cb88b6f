"""Field-by-field changes between two versions of a record, and file changes as records."""

from __future__ import annotations

from itsm_as_code.git.index import FileChange
from itsm_as_code.history.changes import Change, compare, summary, timeline_changes
from itsm_as_code.history.versions import Step, steps

A = "a" * 40
B = "b" * 40

ENTRY_1 = {"at": "2026-11-02T09:20:00+01:00", "status": "investigating", "message": "Looking."}
ENTRY_2 = {"at": "2026-11-02T10:00:00+01:00", "status": "resolved", "message": "Fixed."}


def test_status_timeline_then_fields_in_order() -> None:
    old = {"id": "INC-1", "status": "investigating", "timeline": [ENTRY_1], "assignee": "bob",
           "closed_at": None, "category": "network"}
    new = {"id": "INC-1", "status": "resolved", "timeline": [ENTRY_1, ENTRY_2],
           "assignee": "carol", "resolved_at": "2026-11-02T10:00:00+01:00", "closed_at": None}
    assert [c.text() for c in compare(old, new)] == [
        "status: investigating -> resolved",
        "timeline entry #2 added: 2026-11-02T10:00:00+01:00 resolved Fixed.",
        "assignee: bob -> carol",
        "resolved_at set: 2026-11-02T10:00:00+01:00",
        "category removed (was network)",
    ]


def test_unchanged_versions_have_no_changes() -> None:
    data = {"status": "new", "timeline": [ENTRY_1], "title": "x"}
    assert compare(data, dict(data)) == []


def test_earlier_entries_changed_and_removed_are_told_apart_from_added() -> None:
    edited = {**ENTRY_1, "message": "Looked."}
    assert timeline_changes([ENTRY_1, ENTRY_2], [edited]) == [
        Change("timeline-changed", "#1", ENTRY_1, edited),
        Change("timeline-removed", "#2", ENTRY_2, None),
    ]
    assert timeline_changes("not a list", [ENTRY_1]) == [
        Change("timeline-added", "#1", None, ENTRY_1)]


def test_long_and_multiline_text_is_summarised() -> None:
    assert summary("short") == "short"
    assert summary("x" * 61) == f'"{"x" * 40}..." (1 line, 61 chars)'
    assert summary("## Summary\nline two\n") == '"## Summary..." (2 lines, 20 chars)'
    assert summary([{"id": "api"}]) == '[{"id": "api"}]'


def test_json_form_names_what_field_from_and_to() -> None:
    assert Change("changed", "priority", "P3", "P2").as_dict() == {
        "what": "changed", "field": "priority", "from": "P3", "to": "P2"}
    assert Change("created", new="records/x.yaml").as_dict() == {
        "what": "created", "to": "records/x.yaml"}


def test_a_delete_and_an_add_of_one_id_are_a_move() -> None:
    changes = [
        FileChange("records/incidents/2026/10/INC-1.yaml", A, None),
        FileChange("records/incidents/2026/11/INC-1.yaml", None, B),
        FileChange("records/incidents/2026/11/INC-2.yaml", None, A),
        FileChange("records/services/api.yaml", A, B),
    ]
    assert steps(changes) == [
        Step("INC-1", "records/incidents/2026/10/INC-1.yaml",
             "records/incidents/2026/11/INC-1.yaml", A, B),
        Step("INC-2", None, "records/incidents/2026/11/INC-2.yaml", None, A),
        Step("api", "records/services/api.yaml", "records/services/api.yaml", A, B),
    ]
