"""An issue after intake: closed by its requester (the request is canceled by an update
file), by someone else (answered, nothing changes) or after the request ended (silence);
edited (nothing changes, the answer says to comment); and a request type without
questions, whose "Details" become the request's description."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.desk_repos import acted, desk_demo, form_event, intake
from tests.helpers import NOW_TEXT, run_itsm
from tests.history_repos import git

LAPTOP = {"model": "MacBook Pro 14", "keyboard": "German", "reason": "Mine broke."}
BRANCH = ("--commit", "--branch", "desk/issue-57")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = desk_demo(tmp_path / "itsm")
    assert run_itsm("desk", "forms", cwd=root).code == 0
    return root


@pytest.fixture
def opened(demo: Path) -> dict[str, object]:
    """The laptop request of issue #57, recorded on desk/issue-57."""
    data = form_event(demo, "new-laptop", "A laptop", LAPTOP)
    code, output = intake(demo, data, *BRANCH)
    assert code == 0, output
    return data


def _on_branch(demo: Path, path: str) -> str:
    return git(demo, "show", f"desk/issue-57:{path}")


def test_the_requester_closing_the_issue_cancels_the_request(
        demo: Path, opened: dict[str, object]) -> None:
    code, output = intake(demo, acted(opened, "closed", "mnowak-nw"), *BRANCH,
                          "--format", "json")
    assert code == 0, output
    result = json.loads(output)
    assert result["status"] == "recorded"
    assert result["answer"] == (
        "<!-- itsm-desk:REQ-0006-closed -->\nThank you, Marta Nowak.\n\n**REQ-0006** is "
        "canceled, as this issue was closed. To ask again, open a new issue from the form.\n")
    (path,) = result["files"]
    assert path.startswith("records/requests/REQ-0006.updates/")
    assert yaml.load(_on_branch(demo, path), Loader=yaml.BaseLoader) == {
        "at": "2026-11-22T10:00:00+01:00", "status": "canceled",
        "message": "Closed on GitHub by @mnowak-nw.", "author": "marta-nowak"}
    assert git(demo, "log", "-1", "--format=%s", "desk/issue-57") == \
        "itsm desk intake: REQ-0006 canceled: issue #57 closed by mnowak-nw"
    git(demo, "checkout", "-q", "desk/issue-57")
    assert run_itsm("validate", "--now", NOW_TEXT, cwd=demo).code == 0


def test_a_member_of_the_fulfilment_team_may_cancel_and_others_may_not(
        demo: Path, opened: dict[str, object]) -> None:
    # Emre's login is added on main after the intake: the branch is read with main.
    path = demo / "records/people/emre-yilmaz.yaml"
    path.write_text(path.read_text() + "github: emre-y\n")
    git(demo, "commit", "-qam", "Emre's login")
    code, output = intake(demo, acted(opened, "closed", "jonasweber-nw"), *BRANCH)
    assert code == 0
    assert output == """<!-- itsm-desk:REQ-0006-closed -->
Thank you, Jonas Weber.

Closing this issue did not cancel **REQ-0006**: only Marta Nowak or Platform Engineering \
may. The request goes on, and its updates are still posted here.
"""
    assert git(demo, "rev-list", "--count", "main..desk/issue-57") == "1"
    code, output = intake(demo, acted(opened, "closed", "emre-y"), *BRANCH,
                          "--format", "json")
    assert (code, json.loads(output)["status"]) == (0, "recorded")


def test_closing_after_the_request_ended_on_main_changes_nothing(
        demo: Path, opened: dict[str, object]) -> None:
    """The branch of the intake merged long ago and main rejected the request since:
    closing the issue is read against main's records too, so nothing is canceled."""
    git(demo, "merge", "-q", "--no-edit", "desk/issue-57")
    result = run_itsm("reject", "REQ-0006", "--by", "lukas-brandt", "--at",
                      "2026-11-22 10:30",
                      "-m", "Not in this year's budget.", cwd=demo)
    assert result.code == 0, result.stderr
    git(demo, "add", "-A", "records")
    git(demo, "commit", "-qm", "rejected")
    code, output = intake(demo, acted(opened, "closed", "mnowak-nw"), *BRANCH,
                          "--format", "json", "--now", "2026-11-22T11:00:00+01:00")
    assert code == 0, output
    result = json.loads(output)
    assert (result["status"], result["answer"], result["files"]) == ("ignored", "", [])
    assert result["note"] == "issue #57 was closed: REQ-0006 is rejected, nothing to cancel"


def test_closing_an_issue_that_became_no_record_says_so(demo: Path) -> None:
    data = form_event(demo, "new-laptop", "A laptop", {"model": "MacBook Pro 14"})
    assert intake(demo, data)[0] == 1  # refused: answers missing
    assert intake(demo, acted(data, "closed", "mnowak-nw")) == (
        0, "issue #57 was closed: no record came from it\n")
    assert not git(demo, "status", "--porcelain", "records")


def test_an_edit_after_intake_changes_nothing_and_says_to_comment(
        demo: Path, opened: dict[str, object]) -> None:
    edited = acted(opened, "edited", "mnowak-nw")
    edited["issue"]["body"] = "### Model\n\nThinkPad X1 Carbon"  # type: ignore[index]
    code, output = intake(demo, edited, *BRANCH)
    assert code == 0
    assert output == """<!-- itsm-desk:REQ-0006-edited -->
Thank you, Marta Nowak.

Editing this issue does not change **REQ-0006**: the request keeps what it said when it \
was recorded. Write what changed in a comment here, for the service desk to read.
"""
    assert git(demo, "rev-list", "--count", "main..desk/issue-57") == "1"


def test_closing_the_issue_of_a_problem_report_leaves_the_incident_to_its_responders(
        demo: Path) -> None:
    data = form_event(demo, "incident", "Payouts page is empty", {
        "service": "Merchant Dashboard", "what": "The payouts page is empty."},
        login="some-contractor")
    assert intake(demo, data)[0] == 0
    code, output = intake(demo, acted(data, "closed", "some-contractor"))
    assert code == 0
    assert output == """<!-- itsm-desk:INC-0028-closed -->
Thank you, @some-contractor.

Closing this issue does not close **INC-0028**: those who look into it resolve it. If the \
problem is gone, say so in a comment here.
"""
    assert not (demo / "records/incidents/2026/11/INC-0028.updates").exists()


def test_the_details_of_a_type_without_questions_describe_the_request(demo: Path) -> None:
    (demo / "records/request-types/vpn-token.yaml").write_text(
        "apiVersion: itsm/v1\nkind: RequestType\nid: vpn-token\nname: New VPN token\n"
        "description: A replacement hardware token for the VPN.\nservice: identity\n"
        "approval: {standard: true}\nfulfilment: {team: platform}\n")
    assert run_itsm("desk", "forms", cwd=demo).code == 0
    form = yaml.safe_load((demo / ".github/ISSUE_TEMPLATE/vpn-token.yml").read_text())
    assert [item.get("id") for item in form["body"]] == [None, "details"]
    details = "Lost it on the train.\n\nSerial number unknown."
    code, output = intake(demo, form_event(demo, "vpn-token", "Token lost",
                                           {"details": details}))
    assert code == 0, output
    record = yaml.safe_load((demo / "records/requests/REQ-0006.yaml").read_text())
    assert (record["type"], record["description"]) == ("vpn-token", details)
    assert "answers" not in record
    assert run_itsm("validate", "--now", NOW_TEXT, cwd=demo).code == 0
    hostile = form_event(demo, "vpn-token", "Token", {"details": "<img src=x>"}, number=58)
    code, output = intake(demo, hostile, "--format", "json")
    assert (code, json.loads(output)["problems"]) == (1, [
        '"Details" holds HTML (`<img src=x>`): write it in words, without tags'])
