"""The front door on GitHub: issue forms from the catalogue, and issues opened from them
(real `issues` event payloads) into records, with the answer the requester reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from itsm_as_code.desk.issueforms import problems
from tests.desk_repos import desk_demo, event, intake
from tests.helpers import NOW_TEXT, run_itsm
from tests.history_repos import git


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return desk_demo(tmp_path / "itsm")


def test_the_forms_are_valid_issue_forms(demo: Path) -> None:
    result = run_itsm("desk", "forms", cwd=demo)
    assert result.code == 0, result.stderr
    folder = demo / ".github/ISSUE_TEMPLATE"
    names = sorted(path.name for path in folder.iterdir())
    assert names == ["config.yml", "data-warehouse-access.yml", "general-question.yml",
                     "incident.yml", "new-laptop.yml", "password-reset.yml",
                     "software-install.yml"]
    assert yaml.safe_load((folder / "config.yml").read_text()) == {
        "blank_issues_enabled": False, "contact_links": [{
            "name": "Northwind Payments status",
            "url": "https://status.northwind-payments.example",
            "about": "Is it down for everyone? See the current status and known incidents "
                     "first."}]}
    catalogue = {path.stem: yaml.safe_load(path.read_text())
                 for path in (demo / "records/request-types").glob("*.yaml")}
    seen = set()
    for name in names[1:]:
        form = yaml.safe_load((folder / name).read_text())
        assert problems(form) == [], name
        assert form["name"] not in seen
        seen.add(form["name"])
        ids = [item["id"] for item in form["body"] if "id" in item]
        assert len(ids) == len(set(ids)), name
        kind = catalogue.get(name.removesuffix(".yml"))
        if kind is None:
            continue
        assert form["labels"] == [f"itsm:request-type:{kind['id']}"]
        asked = {item["id"]: item for item in form["body"] if "id" in item}
        for field in kind.get("form", []):
            element = asked[field["id"]]
            required = (element["attributes"]["options"][0]["required"]
                        if element["type"] == "checkboxes"
                        else element["validations"]["required"])
            assert required == field.get("required", False), (name, field["id"])
    assert yaml.safe_load((folder / "general-question.yml").read_text())["name"] == \
        "Ask a question"


def test_the_issue_form_checks_catch_what_github_refuses() -> None:
    form = {"name": "x", "description": "y", "body": [
        {"type": "markdown", "id": "intro", "attributes": {"value": "hi"}},
        {"type": "dropdown", "id": "a b", "attributes": {"label": "L", "options": ["None"]}},
        {"type": "input", "id": "c", "attributes": {"label": "L"},
         "validations": {"required": "yes"}}]}
    assert problems(form) == [
        "body[0]: id 'intro' is not allowed here",
        "body[1]: id 'a b' is not allowed here",
        "body[1]: 'None' is reserved: a dropdown may not offer it",
        "body[2]: label 'L' is used twice",
        "body[2]: validations may only say required: true or false"]


def test_an_issue_from_a_form_becomes_a_valid_request_and_gets_its_answer(demo: Path) -> None:
    code, output = intake(demo, event("issues-opened-software-install"))
    assert code == 0, output
    assert output == """<!-- itsm-desk:REQ-0006 -->
Thank you, Marta Nowak.

Your request is recorded as **REQ-0006**: DBeaver for the settlement analysis.

What happens next:
- Approval (Licence and security check) by a member of Platform Engineering.
- Then Platform Engineering fulfils it.
- Expected: a first answer by 2026-11-24 18:00 CET.
- Expected: done by 2026-12-04 16:00 CET.

Updates on REQ-0006 are posted on this issue; a pull request adds the record.
"""
    record = yaml.safe_load((demo / "records/requests/REQ-0006.yaml").read_text())
    assert record["type"] == "software-install"
    assert record["requested_by"] == "marta-nowak"
    assert record["answers"] == {
        "software": "DBeaver 24.2", "licence": "Free or open source",
        "reason": "To compare the settlement figures in the warehouse with the ledger.\n"
                  "### Not a section\nstill part of the answer"}
    assert record["origin"] == {"channel": "github", "github_issue": 41,
                                "github_user": "mnowak-nw"}
    validated = run_itsm("validate", "--now", NOW_TEXT, cwd=demo)
    assert validated.code == 0, validated.stdout
    # The same issue again (a re-run, an edit): nothing new, the record is named.
    code, output = intake(demo, event("issues-opened-software-install"), "--format", "json")
    assert code == 0
    assert json.loads(output)["status"] == "already"
    assert sorted(p.name for p in (demo / "records/requests").glob("*.yaml"))[-1] == \
        "REQ-0006.yaml"


def test_a_problem_report_becomes_an_internal_incident_with_its_due_times(demo: Path) -> None:
    code, output = intake(demo, event("issues-opened-problem"))
    assert code == 0, output
    assert output == """<!-- itsm-desk:INC-0028 -->
Thank you, @some-contractor.

Your report is recorded as **INC-0028**: Merchant dashboard shows an empty payouts page.

What happens next:
- Payments Engineering looks into it (priority P3).
- Expected: a first answer by 2026-11-22 14:00 CET.
- Expected: done by 2026-11-25 10:00 CET.

Updates on INC-0028 are posted on this issue; a pull request adds the record.
"""
    record = yaml.safe_load((demo / "records/incidents/2026/11/INC-0028.yaml").read_text())
    assert {key: record[key] for key in ("status", "visibility", "impact", "urgency",
                                          "priority", "services")} == {
        "status": "new", "visibility": "internal", "impact": "medium", "urgency": "medium",
        "priority": "P3", "services": [{"id": "merchant-dashboard",
                                        "status": "degraded_performance"}]}
    # Nobody at Northwind has this login: the incident keeps it, no Person is made up.
    assert record["origin"]["github_user"] == "some-contractor"
    assert "assignee" not in record
    assert run_itsm("validate", "--now", NOW_TEXT, cwd=demo).code == 0


def test_an_incomplete_or_hostile_submission_is_refused_with_what_to_fix(demo: Path) -> None:
    code, output = intake(demo, event("issues-opened-incomplete"))
    assert code == 1
    assert output == """<!-- itsm-desk:refused -->
Thank you, Marta Nowak.

We could not record this yet. Please fix the following and send it again (on GitHub: edit \
the issue; the service desk reads it again):

- "Software and version" is required: answer it
- "Licence" must be one of: Free or open source, Company licence exists, Needs buying
- "What you need it for" holds HTML (`<img src=x onerror=alert(1)>`): write it in words, \
without tags
"""
    assert not git(demo, "status", "--porcelain")


@pytest.mark.parametrize(("changes", "problem"), [
    ({"body": "x" * 70000},
     "the issue's text is longer than 65,536 characters: shorten it"),
    ({"body": "I just want a laptop", "labels": []},
     "we could not tell which form this issue was opened from: open a new issue and choose "
     "a form"),
    ({"body": "### Software and version\n\nDBeaver\n\nwhatever"},
     "the section \"Licence\" is missing: the issue's text was changed from the form's; "
     "open a new issue from the form"),
    ({"user": {"login": "stranger-42"}},
     "we could not tell who you are: the GitHub account `stranger-42` belongs to nobody at "
     "Northwind Payments; ask the service desk to add `github: stranger-42` to your person "
     "record, then try again"),
])
def test_bad_submissions_write_nothing(demo: Path, changes: dict[str, object],
                                       problem: str) -> None:
    code, output = intake(demo, event("issues-opened-software-install", **changes),
                          "--format", "json")
    assert code == 1
    answer = json.loads(output)
    assert problem in answer["problems"]
    assert answer["status"] == "refused" and answer["record"] is None
    assert not git(demo, "status", "--porcelain")


def test_with_commit_the_record_lands_on_a_branch_only(demo: Path) -> None:
    head = git(demo, "rev-parse", "HEAD")
    code, output = intake(demo, event("issues-opened-software-install"), "--commit",
                          "--branch", "desk/issue-41", "--format", "json")
    assert code == 0, output
    assert json.loads(output)["files"] == ["records/requests/REQ-0006.yaml"]
    assert git(demo, "rev-parse", "HEAD") == head and not git(demo, "status", "--porcelain")
    assert git(demo, "log", "--format=%s", "main..desk/issue-41") == \
        "itsm desk intake: REQ-0006 from issue #41 (mnowak-nw)"
    # An edit of the issue reads the branch: the record is there already.
    code, output = intake(demo, event("issues-opened-software-install", title="edited"),
                          "--commit", "--branch", "desk/issue-41", "--format", "json")
    assert json.loads(output)["status"] == "already"
    assert git(demo, "rev-list", "--count", "main..desk/issue-41") == "1"


def test_other_actions_and_malformed_events(demo: Path) -> None:
    data = event("issues-opened-software-install")
    data["action"] = "labeled"
    assert intake(demo, data) == (0, "issue #41 was labeled: nothing to take in\n")
    code, output = intake(demo, {"action": "opened", "pull_request": {}})
    assert code == 2
    assert "an issues event has an `issue` object" in output
