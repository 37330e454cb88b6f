"""The lifecycle rules: a record at the base revision against the same record in a change."""

from __future__ import annotations

from pathlib import Path

from itsm_as_code.authoring.writer import render
from itsm_as_code.config import Config
from itsm_as_code.findings import Finding
from itsm_as_code.store.loader import Limits, make_record, parse_bytes
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.lifecycle import check_change
from tests.helpers import problem, service

PATH = "records/incidents/INC-0001.yaml"
# The lifecycle rules compare texts and report lines in them: the records here are written
# as text, so each test edits the line it means and asserts where a finding points.
INCIDENT = """\
apiVersion: itsm/v1
kind: Incident
id: INC-0001
title: Website returns errors
services:
  - {id: web, status: partial_outage}
impact: high
urgency: medium
priority: P2
status: {status}
opened_at: 2026-11-02T09:14:00+01:00
team: ops
timeline:
  - at: 2026-11-02T09:14:00+01:00
    status: investigating
    message: We are investigating errors on the website.
  - at: 2026-11-02T10:02:00+01:00
    status: {status}
    message: An update.
"""
APPENDED = """\
  - at: 2026-11-03T08:00:00+01:00
    status: {status}
    message: Another update.
"""


def incident(status: str = "identified", appended: str = "", **replaced: str) -> str:
    text = INCIDENT.replace("{status}", status) + appended
    for old, new in replaced.items():
        text = text.replace(old.replace("_", " ") + ":", new)
    return text


def check(base: dict[str, str], change: dict[str, str]) -> list[Finding]:
    records = [_record(path, text) for path, text in change.items()]
    repository = Repository(Config(Path("/nowhere"), "Example"), records)
    files = [(path, text.encode()) for path, text in base.items()]
    return sorted(check_change(repository, files, "main"))


def rules(base: dict[str, str], change: dict[str, str]) -> list[tuple[str, int]]:
    return [(finding.rule, finding.line) for finding in check(base, change)]


def _record(path: str, text: str) -> Record:
    data = parse_bytes(text.encode(), path, Limits())
    assert isinstance(data, dict)
    record = make_record(path, data, lambda: text)
    assert isinstance(record, Record)
    return record


def test_a_deleted_record_is_reported_at_its_base_path() -> None:
    assert check({PATH: incident()}, {}) == [Finding(
        PATH, 1, 1, "history-delete",
        "Incident INC-0001 exists at main but was deleted: records are never deleted; "
        "restore the file, and cancel or close it instead", "INC-0001")]


def test_a_file_that_now_holds_another_id_is_a_rename() -> None:
    renamed = incident().replace("id: INC-0001", "id: INC-0009")
    [finding] = check({PATH: incident()}, {PATH: renamed})
    assert (finding.rule, finding.line, finding.message) == (
        "history-delete", 3,
        "this file held INC-0001 at main and now holds INC-0009: ids never change; put back "
        "id: INC-0001, and cancel or close the record instead of reusing it")


def test_a_record_may_move_to_another_folder() -> None:
    assert check({PATH: incident()}, {"records/incidents/2026/INC-0001.yaml": incident()}) == []


def test_records_without_a_lifecycle_may_be_deleted() -> None:
    assert check({"records/services/web.yaml": render(service("web"))}, {}) == []


def test_opened_at_never_changes() -> None:
    moved = incident().replace("opened_at: 2026-11-02T09:14", "opened_at: 2026-11-02T08:14")
    [finding] = check({PATH: incident()}, {PATH: moved})
    assert (finding.rule, finding.line, finding.column) == ("history-immutable", 11, 12)
    assert finding.message == (
        "opened_at was '2026-11-02T09:14:00+01:00' at main and is '2026-11-02T08:14:00+01:00' "
        "now: opened_at never changes once committed; put back opened_at: "
        "'2026-11-02T09:14:00+01:00'")


def test_the_same_instant_written_in_another_offset_is_no_change() -> None:
    same = incident().replace("opened_at: 2026-11-02T09:14:00+01:00",
                              "opened_at: 2026-11-02T08:14:00Z")
    assert check({PATH: incident()}, {PATH: same}) == []


def test_the_kind_never_changes() -> None:
    problem_text = render(problem("INC-0001", opened_at="2026-11-02T09:14:00+01:00"))
    assert rules({PATH: incident()}, {PATH: problem_text}) == [("history-immutable", 2)]


def test_a_rewritten_timeline_entry_is_reported_at_its_line() -> None:
    rewritten = incident().replace("message: An update.", "message: A better update.")
    [finding] = check({PATH: incident()}, {PATH: rewritten})
    assert (finding.rule, finding.line) == ("history-timeline", 19)
    assert finding.message == (
        "timeline[1] message was 'An update.' at main and is 'A better update.' now: the "
        "timeline is append-only; restore the entry and add a new one that corrects it")


def test_a_removed_timeline_entry_is_reported() -> None:
    shortened = incident().split("  - at: 2026-11-02T10:02")[0]
    shortened = shortened.replace("status: identified\nopened", "status: investigating\nopened")
    assert rules({PATH: incident()}, {PATH: shortened}) == [("history-timeline", 13)]


def test_an_entry_whose_audience_changes_is_rewritten_but_the_default_is_no_change() -> None:
    internal = incident().replace("message: An update.", "public: false\n    message: An update.")
    public = incident().replace("message: An update.", "public: true\n    message: An update.")
    assert rules({PATH: incident()}, {PATH: internal}) == [("history-timeline", 19)]
    assert check({PATH: incident()}, {PATH: public}) == []


def test_appending_an_entry_is_allowed() -> None:
    appended = incident("monitoring", APPENDED.replace("{status}", "monitoring"))
    appended = appended.replace("status: monitoring\n    message: An update.",
                                "status: identified\n    message: An update.")
    assert check({PATH: incident()}, {PATH: appended}) == []


def test_a_status_move_outside_the_table_is_reported_at_its_entry() -> None:
    base = incident()
    back = base.replace("status: identified\nopened", "status: new\nopened") + APPENDED.replace(
        "{status}", "new")
    [finding] = check({PATH: base}, {PATH: back})
    assert (finding.rule, finding.line) == ("lifecycle-transition", 21)
    assert finding.message == (
        "status moves from identified to new, which the Incident lifecycle does not allow: "
        "from identified it moves to canceled, investigating, monitoring, on_hold or "
        "resolved")


def test_a_canceled_incident_is_final() -> None:
    base = incident("canceled")
    again = base.replace("status: canceled\nopened", "status: investigating\nopened")
    again += APPENDED.replace("{status}", "investigating")
    found = check({PATH: base}, {PATH: again})
    assert [(f.rule, f.line) for f in found] == [("history-closed", 10),
                                                 ("history-closed", 20),
                                                 ("lifecycle-transition", 21)]
    assert found[2].message.endswith("canceled is final; open a new record instead")


def test_a_closed_incident_is_frozen() -> None:
    base = incident("closed", resolved_at="resolved_at: 2026-11-02T10:02:00+01:00\nresolved_at",
                    ).replace("team: ops", "team: ops\nresolved_at: 2026-11-02T10:02:00+01:00\n"
                              "closed_at: 2026-11-02T10:02:00+01:00")
    edited = base.replace("title: Website returns errors", "title: Website down")
    [finding] = check({PATH: base}, {PATH: edited})
    assert (finding.rule, finding.line) == ("history-closed", 4)
    assert finding.message == (
        "INC-0001 is closed at main, so its fields are frozen, but title changed: put title "
        "back as it was, or reopen it with a timeline entry that moves it to identified, "
        "investigating or monitoring")
    noted = base + "  - at: 2026-11-03T08:00:00+01:00\n    message: A note.\n"
    assert rules({PATH: base}, {PATH: noted}) == [("history-closed", 22)]
    commented = "# a comment changes the file, not the record\n" + base
    assert check({PATH: base}, {PATH: commented}) == []


def test_reopening_a_closed_incident_counts_and_unfreezes_it() -> None:
    base = incident("closed")
    reopened = base.replace("status: closed\nopened", "status: investigating\nopened")
    reopened = reopened.replace("title: Website returns errors", "title: Website down")
    reopened += APPENDED.replace("{status}", "investigating")
    assert rules({PATH: base}, {PATH: reopened}) == [("history-reopen", 21)]
    counted = reopened.replace("team: ops", "team: ops\nreopen_count: 1")
    assert check({PATH: base}, {PATH: counted}) == []


def test_reopen_count_grows_by_the_reopenings_and_only_then() -> None:
    base = incident("resolved")
    reopened = base.replace("status: resolved\nopened", "status: monitoring\nopened")
    reopened += APPENDED.replace("{status}", "monitoring")
    reopened = reopened.replace("team: ops", "team: ops\nreopen_count: 2")
    [finding] = check({PATH: base}, {PATH: reopened})
    assert (finding.rule, finding.line, finding.message) == (
        "history-reopen", 13,
        "reopen_count is 2 but was 0 at main and the change reopens INC-0001 1 time(s) "
        "(timeline[2]): set reopen_count: 1")
    counted = incident().replace("team: ops", "team: ops\nreopen_count: 1")
    assert [f.message for f in check({PATH: incident()}, {PATH: counted})] == [
        "reopen_count is 1 but was 0 at main and the change reopens nothing: set "
        "reopen_count: 0"]


PROBLEM = """\
apiVersion: itsm/v1
kind: Problem
id: PRB-0001
title: Disk fills up
status: {status}
opened_at: 2026-11-02T09:14:00+01:00
"""


def test_a_kind_without_a_timeline_may_take_several_steps_but_not_go_back() -> None:
    path = "records/problems/PRB-0001.yaml"
    new, resolved = PROBLEM.replace("{status}", "new"), PROBLEM.replace("{status}", "resolved")
    assert check({path: new}, {path: resolved}) == []
    closed = PROBLEM.replace("{status}", "closed")
    [finding] = check({path: closed}, {path: new})
    assert (finding.rule, finding.line, finding.message) == (
        "lifecycle-transition", 5,
        "status moves from closed to new, which the Problem lifecycle does not allow: closed "
        "is final; open a new record instead")


def test_a_timeline_kind_that_changes_status_without_an_entry_is_checked_at_the_status() -> None:
    window = ("apiVersion: itsm/v1\nkind: Maintenance\nid: MNT-1\ntitle: t\nservices: [web]\n"
              "scheduled_start: 2026-11-02T09:00:00Z\nscheduled_end: 2026-11-02T10:00:00Z\n"
              "status: {status}\n")
    path = "records/maintenance/MNT-1.yaml"
    assert rules({path: window.replace("{status}", "scheduled")},
                 {path: window.replace("{status}", "completed")}) == [("lifecycle-transition", 8)]


def test_hostile_values_in_the_change_are_compared_without_failing() -> None:
    hostile = incident().replace("status: identified\nopened", "status: [1, 2]\nopened")
    hostile = hostile.split("timeline:")[0] + "timeline: not a list\nreopen_count: {a: 1}\n"
    hostile = hostile.replace("opened_at: 2026-11-02T09:14:00+01:00", "opened_at: [1]")
    assert rules({PATH: incident()}, {PATH: hostile}) == [
        ("history-immutable", 11), ("history-timeline", 13)]


def test_a_base_file_that_was_no_record_is_left_alone() -> None:
    assert check({PATH: "kind: [unclosed"}, {}) == []
    assert check({PATH: "apiVersion: itsm/v1\nkind: Nonsense\nid: X\n"}, {}) == []


# -- updates merged in between: the base's entries as an ordered subsequence -------------

MERGED = """\
  - at: 2026-11-02T09:40:00+01:00
    status: {status}
    message: A colleague's update.
"""


def merged(base: str, status: str = "monitoring", **replaced: str) -> str:
    """`base` with an entry at 09:40 (between its two entries), as two branches' update
    files merge: in time order."""
    text = base.replace("  - at: 2026-11-02T10:02", MERGED.replace("{status}", status)
                        + "  - at: 2026-11-02T10:02")
    for old, new in replaced.items():
        text = text.replace(old, new)
    return text


def test_an_entry_merged_between_the_base_entries_is_allowed() -> None:
    assert check({PATH: incident()}, {PATH: merged(incident())}) == []


def test_an_entry_changed_or_removed_next_to_a_merged_one_is_reported_where_it_is() -> None:
    changed = merged(incident(), **{"message: An update.": "message: A better update."})
    [finding] = check({PATH: incident()}, {PATH: changed})
    assert (finding.rule, finding.line, finding.message) == (
        "history-timeline", 22,
        "timeline[2] message was 'An update.' at main and is 'A better update.' now: the "
        "timeline is append-only; restore the entry and add a new one that corrects it")
    removed = merged(incident()).split("  - at: 2026-11-02T10:02")[0]
    removed = removed.replace("status: identified\nopened", "status: monitoring\nopened")
    [finding] = check({PATH: incident()}, {PATH: removed})
    assert (finding.rule, finding.line, finding.message) == (
        "history-timeline", 13,
        "timeline[1] ('2026-11-02T10:02:00+01:00') exists at main but was removed: the "
        "timeline is append-only; put the entry back")


def test_the_base_entries_keep_their_order() -> None:
    swapped = incident().replace("  - at: 2026-11-02T09:14:00+01:00\n    status: investigating\n"
                                 "    message: We are investigating errors on the website.\n",
                                 "")
    swapped += ("  - at: 2026-11-02T09:14:00+01:00\n    status: investigating\n"
                "    message: We are investigating errors on the website.\n")
    assert [(f.rule, f.line, f.message) for f in check({PATH: incident()}, {PATH: swapped})] == [
        ("history-timeline", 13, "timeline[1] ('2026-11-02T10:02:00+01:00') exists at main but "
         "was removed: the timeline is append-only; put the entry back")]


def test_a_merged_entry_and_the_move_after_it_follow_the_table() -> None:
    canceled = merged(incident(), "canceled")
    [finding] = check({PATH: incident()}, {PATH: canceled})
    assert (finding.rule, finding.line, finding.message) == (
        "lifecycle-transition", 21,
        "status moves from canceled to identified, which the Incident lifecycle does not "
        "allow: canceled is final; open a new record instead")
    new = merged(incident(), "new")
    [finding] = check({PATH: incident()}, {PATH: new})
    assert (finding.rule, finding.line, finding.message) == (
        "lifecycle-transition", 18,
        "status moves from investigating to new, which the Incident lifecycle does not allow: "
        "from investigating it moves to canceled, identified, monitoring, on_hold or resolved")


REOPENED = """\
  - at: 2026-11-02T11:00:00+01:00
    status: investigating
    message: It is back.
"""


def test_a_reopening_taken_over_by_a_merged_entry_is_counted_once() -> None:
    base = incident("resolved", REOPENED, **{"status: resolved\nopened":
                                            "status: investigating\nopened"})
    base = base.replace("team: ops", "team: ops\nreopen_count: 1")
    # A colleague's entry at 10:30 reopens the incident first; 11:00 is then no move.
    colleague = base.replace("  - at: 2026-11-02T11:00", "  - at: 2026-11-02T10:30:00+01:00\n"
                             "    status: investigating\n    message: Reopened.\n"
                             "  - at: 2026-11-02T11:00")
    assert check({PATH: base}, {PATH: colleague}) == []
    twice = colleague.replace("reopen_count: 1", "reopen_count: 2")
    assert [(f.rule, f.message) for f in check({PATH: base}, {PATH: twice})] == [
        ("history-reopen", "reopen_count is 2 but was 1 at main and the change reopens "
         "nothing: set reopen_count: 1")]


def test_an_entry_merged_into_a_closed_incident_is_reported_at_its_line() -> None:
    base = incident("closed").replace(
        "team: ops", "team: ops\nresolved_at: 2026-11-02T10:02:00+01:00\n"
        "closed_at: 2026-11-02T10:02:00+01:00")
    note = base.replace("  - at: 2026-11-02T10:02", "  - at: 2026-11-02T09:40:00+01:00\n"
                        "    message: A late note.\n  - at: 2026-11-02T10:02")
    assert rules({PATH: base}, {PATH: note}) == [("history-closed", 19)]


# -- links after closure -------------------------------------------------------------------

def test_a_closed_incident_may_be_linked_but_what_happened_stays_frozen() -> None:
    base = incident("closed").replace(
        "team: ops", "team: ops\nresolved_at: 2026-11-02T10:02:00+01:00\n"
        "closed_at: 2026-11-02T10:02:00+01:00\nproblem: PRB-0001")
    linked = base.replace("problem: PRB-0001", "problem: PRB-0002\nknown_error: KE-0001\n"
                          "category: network\npostmortem: |\n  The switch failed.\n")
    assert check({PATH: base}, {PATH: linked}) == []
    unlinked = base.replace("problem: PRB-0001\n", "")
    assert check({PATH: base}, {PATH: unlinked}) == []
    moved = linked.replace("resolved_at: 2026-11-02T10:02", "resolved_at: 2026-11-02T10:05")
    [finding] = check({PATH: base}, {PATH: moved})
    assert (finding.rule, finding.line, finding.message) == (
        "history-closed", 13,
        "INC-0001 is closed at main, so its fields are frozen, but resolved_at changed: put "
        "resolved_at back as it was, or reopen it with a timeline entry that moves it to "
        "identified, investigating or monitoring")
    services = linked.replace("status: partial_outage}", "status: major_outage}")
    assert rules({PATH: base}, {PATH: services}) == [("history-closed", 6)]
