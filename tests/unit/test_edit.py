"""The round-trip editor: a change to a record file touches only its own lines, every
other byte (comments, quoting, blank lines, line endings) stays, and a file it cannot
change safely is refused with the reason."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from itsm_as_code.authoring.edit import REMOVE, EditError, append_item, set_fields
from itsm_as_code.errors import ExitCode, RecordError
from itsm_as_code.yamlsafe import load

PROBLEM = """\
# yaml-language-server: $schema=../../schemas/problem.schema.json
apiVersion: itsm/v1
kind: Problem
id: PRB-0007

# Where the analysis stands.
status: root_cause_analysis   # next: fix_in_progress
priority: 'P2'
incidents:
  - INC-0007
  - INC-0013  # the first one we noticed
  # INC-0017 turned out to be unrelated
services: [settlement-reports, data-warehouse]
owner: lukas-brandt
root_cause: |
  Daily sub-partitions are missing.

  Still open: why the rollover job skips days.
opened_at: 2026-09-10T11:00:00+02:00

# Resolution notes follow once the fix is out.
"""


# --- set_fields: values replaced in place ------------------------------------------------


def test_a_status_move_changes_its_line_and_keeps_the_comments_around_it() -> None:
    after = set_fields(PROBLEM, {"status": "fix_in_progress"})
    assert after == PROBLEM.replace(
        "status: root_cause_analysis   # next: fix_in_progress",
        "status: fix_in_progress   # next: fix_in_progress")


def test_quoted_text_stays_quoted_and_other_quotes_are_left_alone() -> None:
    after = set_fields(PROBLEM, {"priority": "P1", "owner": "anna"})
    assert after == PROBLEM.replace("priority: 'P2'", "priority: 'P1'").replace(
        "owner: lukas-brandt", "owner: anna")


def test_a_key_in_the_middle_and_a_new_key_at_the_end_before_trailing_comments() -> None:
    after = set_fields(PROBLEM, {"status": "resolved",
                                 "resolved_at": "2026-12-06T04:40:00+01:00"})
    assert after == PROBLEM.replace(
        "status: root_cause_analysis   #", "status: resolved   #").replace(
        "opened_at: 2026-09-10T11:00:00+02:00\n",
        "opened_at: 2026-09-10T11:00:00+02:00\nresolved_at: 2026-12-06T04:40:00+01:00\n")


def test_a_time_is_written_as_rfc_3339_unquoted() -> None:
    at = datetime(2026, 12, 6, 4, 40, tzinfo=timezone(timedelta(hours=1)))
    after = set_fields("id: PRB-1\nresolved_at: null  # not yet\n", {"resolved_at": at})
    assert after == "id: PRB-1\nresolved_at: 2026-12-06T04:40:00+01:00  # not yet\n"


def test_an_empty_value_gets_its_value_on_the_key_line() -> None:
    assert set_fields("id: PRB-1\nclosed_at:\nowner: ann\n", {"closed_at": "2026-12-06T04:40:00Z"}
                      ) == "id: PRB-1\nclosed_at: 2026-12-06T04:40:00Z\nowner: ann\n"


def test_crlf_stays_crlf() -> None:
    text = PROBLEM.replace("\n", "\r\n")
    after = set_fields(text, {"status": "resolved", "postmortem": "# What happened\n\nA.\n"})
    assert after == text.replace("status: root_cause_analysis", "status: resolved").replace(
        "opened_at: 2026-09-10T11:00:00+02:00\r\n",
        "opened_at: 2026-09-10T11:00:00+02:00\r\n"
        "postmortem: |\r\n  # What happened\r\n\r\n  A.\r\n")
    assert after.count("\n") == after.count("\r\n")


def test_a_file_without_a_final_newline_keeps_none_where_it_can() -> None:
    text = "id: PRB-1\nstatus: new"
    assert set_fields(text, {"status": "assessing"}) == "id: PRB-1\nstatus: assessing"
    assert set_fields(text, {"owner": "ann"}) == "id: PRB-1\nstatus: new\nowner: ann"
    assert append_item(text, "incidents", "INC-1") == "id: PRB-1\nstatus: new\nincidents:\n- INC-1"
    # Only the key's line goes: the line before keeps its break.
    assert set_fields(text, {"status": REMOVE}) == "id: PRB-1\n"
    # A block scalar's last line break would be lost at the end of the file.
    assert set_fields(text, {"status": "a\nb\n"}) == "id: PRB-1\nstatus: |\n  a\n  b\n"


def test_a_byte_order_mark_stays() -> None:
    assert set_fields("\ufeffid: X\nstatus: new\n", {"status": "closed"}) == \
        "\ufeffid: X\nstatus: closed\n"


def test_a_block_list_replaced_keeps_its_indentation_and_drops_only_its_own_lines() -> None:
    after = set_fields(PROBLEM, {"incidents": ["INC-0001", "INC-0002"]})
    assert after == PROBLEM.replace(
        "  - INC-0007\n  - INC-0013  # the first one we noticed\n",
        "  - INC-0001\n  - INC-0002\n")


def test_a_flow_list_replaced_stays_flow() -> None:
    after = set_fields(PROBLEM, {"services": ["data-warehouse"]})
    assert after == PROBLEM.replace("services: [settlement-reports, data-warehouse]",
                                    "services: [data-warehouse]")


def test_a_multi_line_postmortem_replaces_a_scalar() -> None:
    text = "id: INC-1\npostmortem: TODO  # write it after the review\nstatus: closed\n"
    after = set_fields(text, {"postmortem": "## Timeline\n\n- 04:40 paged\n"})
    assert after == ("id: INC-1\npostmortem: |  # write it after the review\n"
                     "  ## Timeline\n\n  - 04:40 paged\nstatus: closed\n")


def test_a_multi_line_postmortem_replaces_a_block_scalar() -> None:
    text = ("id: INC-1\n# Written after the review.\npostmortem: |\n  Old text.\n\n"
            "  More old text.\n\n# Links\nproblem: PRB-1\n")
    after = set_fields(text, {"postmortem": "New text.\nSecond line.\n"})
    assert after == ("id: INC-1\n# Written after the review.\npostmortem: |\n"
                     "  New text.\n  Second line.\n\n# Links\nproblem: PRB-1\n")
    assert set_fields(text, {"postmortem": "short"}) == (
        "id: INC-1\n# Written after the review.\npostmortem: short\n\n# Links\nproblem: PRB-1\n")


# --- REMOVE ------------------------------------------------------------------------------


def test_remove_in_the_middle_deletes_the_key_and_its_value_only() -> None:
    after = set_fields(PROBLEM, {"root_cause": REMOVE})
    assert after == PROBLEM.replace(
        "root_cause: |\n  Daily sub-partitions are missing.\n\n"
        "  Still open: why the rollover job skips days.\n", "")


def test_remove_takes_the_comments_indented_under_the_key() -> None:
    """Left behind under a block scalar, they would become its text."""
    text = ("postmortem: |\n  Disk full.\nstatus: new  # why\n  # set by hand\n"
            "owner: ops\n")
    after = set_fields(text, {"status": REMOVE})
    assert after == "postmortem: |\n  Disk full.\nowner: ops\n"
    assert load(after, 10) == {"postmortem": "Disk full.\n", "owner": "ops"}


def test_remove_at_the_end_keeps_the_trailing_comments() -> None:
    after = set_fields(PROBLEM, {"opened_at": REMOVE})
    assert after == PROBLEM.replace("opened_at: 2026-09-10T11:00:00+02:00\n", "")


def test_remove_of_a_missing_key_or_setting_the_same_value_changes_nothing() -> None:
    assert set_fields(PROBLEM, {"closed_at": REMOVE}) == PROBLEM
    assert set_fields(PROBLEM, {"priority": "P2", "incidents": ["INC-0007", "INC-0013"]}
                      ) == PROBLEM


def test_a_reopening_clears_a_stamp_and_moves_the_status() -> None:
    text = "id: PRB-1\nstatus: resolved\nresolved_at: 2026-12-06T04:40:00Z\nowner: ann\n"
    after = set_fields(text, {"status": "fix_in_progress", "resolved_at": REMOVE})
    assert after == "id: PRB-1\nstatus: fix_in_progress\nowner: ann\n"


# --- append_item -------------------------------------------------------------------------


def test_append_to_a_block_list_with_a_comment_after_the_last_item() -> None:
    after = append_item(PROBLEM, "incidents", "INC-0042")
    assert after == PROBLEM.replace(
        "  - INC-0013  # the first one we noticed\n",
        "  - INC-0013  # the first one we noticed\n  - INC-0042\n")


def test_append_to_a_block_list_keeps_its_dash_style() -> None:
    text = "id: X\nlinks:\n-   a\n-   b\nowner: ann\n"
    assert append_item(text, "links", "c") == "id: X\nlinks:\n-   a\n-   b\n-   c\nowner: ann\n"
    nested = "id: X\nalerts:\n  - fingerprint: f1\n    source: grafana\n"
    assert append_item(nested, "alerts", {"fingerprint": "f2", "source": "x"}) == (
        nested + "  - fingerprint: f2\n    source: x\n")


def test_append_to_a_flow_list() -> None:
    after = append_item(PROBLEM, "services", "payments-api")
    assert after == PROBLEM.replace("data-warehouse]", "data-warehouse, payments-api]")
    assert append_item("id: X\nincidents: []  # none yet\n", "incidents", "INC-1") == \
        "id: X\nincidents: [INC-1]  # none yet\n"
    multi = "id: X\nincidents: [\n  INC-1,  # first\n  INC-2\n]\n"
    assert append_item(multi, "incidents", "INC-3") == \
        "id: X\nincidents: [\n  INC-1,  # first\n  INC-2, INC-3\n]\n"


def test_append_to_a_missing_or_null_key_makes_a_new_list() -> None:
    assert append_item("id: X\nowner: ann\n", "incidents", "INC-1") == \
        "id: X\nowner: ann\nincidents:\n- INC-1\n"
    assert append_item("id: X\nincidents:  # later\nowner: ann\n", "incidents", "INC-1") == \
        "id: X\nincidents:  # later\n- INC-1\nowner: ann\n"
    assert append_item("id: X\nincidents: null\n", "incidents", "INC-1") == \
        "id: X\nincidents:\n- INC-1\n"


# --- refusals ----------------------------------------------------------------------------


def refusal(call: object, *args: object) -> str:
    with pytest.raises(EditError) as caught:
        call(*args, path="records/problems/PRB-1.yaml")  # type: ignore[operator]
    message = str(caught.value)
    assert message.startswith("cannot change records/problems/PRB-1.yaml in place: ")
    assert message.endswith("; edit the file by hand")
    return message


@pytest.mark.parametrize(("text", "why"), [
    ("id: X\n---\nid: Y\n", "exactly one YAML document"),
    ("{id: X, status: new}\n", "written as one flow mapping"),
    ("id: X\nstatus: new\nstatus: closed\n", "line 3: duplicate key 'status' (first at line 2)"),
    ("id: X\nstatus: [new\n", "line 2"),
    ("- id: X\n", "does not hold a mapping of fields"),
    ("", "does not hold a mapping of fields"),
])
def test_a_file_that_cannot_be_edited_is_refused_with_the_reason(text: str, why: str) -> None:
    assert why in refusal(set_fields, text, {"status": "closed"})


def test_an_anchor_or_alias_on_the_value_is_refused() -> None:
    text = "id: X\nservices: &svc [a, b]\nalso: *svc\nowner: ann\n"
    for key in ("services", "also"):
        assert f"the value of '{key}' holds an anchor (&) used elsewhere, or an alias (*)" in \
            refusal(set_fields, text, {key: ["c"]})
    assert "holds an anchor" in refusal(append_item, text, "services", "c")
    assert "holds an anchor" in refusal(set_fields, text, {"services": REMOVE})
    assert set_fields(text, {"owner": "bob"}) == text.replace("ann", "bob")


def test_a_complex_key_is_refused() -> None:
    assert "the key 'status' is written in an unusual form (not at the start of its line, " \
        "or not followed by its colon)" in refusal(
            set_fields, "id: X\n? status\n: new\n", {"status": "closed"})


def test_appending_to_what_is_not_a_list_is_refused() -> None:
    assert "'owner' is not a list" in refusal(append_item, "id: X\nowner: ann\n", "owner", "b")


def test_an_edit_that_would_not_read_back_as_expected_is_refused() -> None:
    # A kept (|+) block scalar owns its trailing blank lines: a key added after its last
    # line would cut them off, and the self-check sees the value change.
    text = "id: X\nnote: |+\n  kept\n\n"
    assert "the file's layout around 'owner' is too unusual" in refusal(
        set_fields, text, {"owner": "ann"})


def test_an_edit_error_is_a_record_error_with_exit_code_1() -> None:
    assert issubclass(EditError, RecordError)
    assert EditError("x").exit_code == ExitCode.FINDINGS


def test_values_that_are_not_plain_data_are_a_programming_error() -> None:
    with pytest.raises(TypeError):
        set_fields("id: X\n", {"at": datetime(2026, 1, 1)})
    with pytest.raises(TypeError):
        set_fields("id: X\n", {"s": {1, 2}})


def test_the_result_always_reads_back_as_the_change() -> None:
    after = append_item(set_fields(PROBLEM, {"status": "resolved", "owner": REMOVE,
                                             "root_cause": "Fixed.\nFor good.\n"}),
                        "incidents", "INC-0099")
    data = load(PROBLEM, 100)
    data.update(status="resolved", root_cause="Fixed.\nFor good.\n")
    del data["owner"]
    data["incidents"].append("INC-0099")
    assert load(after, 100) == data
