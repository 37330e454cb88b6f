"""The service desk as a requester meets it: an issue opened from a generated form (the
body as GitHub renders it) becomes a valid request on a branch, and the answer names the
record, whose approval it waits for and when it is due; every reader of the SLA agrees on
that due time; a request that skips its approvals or answers fails validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.model.context import RunContext
from itsm_as_code.site.catalogue import catalogue
from itsm_as_code.site.queue import queue
from itsm_as_code.sla.history import instant_of
from itsm_as_code.store.repository import load_repository
from tests.desk_repos import desk_demo, form_event, intake
from tests.helpers import DEMO, NOW, NOW_TEXT, run_itsm
from tests.history_repos import git

LAPTOP = {"model": "ThinkPad X1 Carbon", "keyboard": "German",
          "reason": "The battery of mine lasts an hour."}


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = desk_demo(tmp_path / "itsm")
    assert run_itsm("desk", "forms", cwd=root).code == 0
    return root


def _clocks(root: Path, record: str) -> dict[str, dict[str, object]]:
    result = run_itsm("sla", "check", "--now", NOW_TEXT, "--format", "json", cwd=root)
    return {clock["metric"]: clock for clock in json.loads(result.stdout)["clocks"]
            if clock["record"] == record}


def test_an_issue_from_the_laptop_form_becomes_a_request_on_a_branch(demo: Path) -> None:
    data = form_event(demo, "new-laptop", "A laptop that lasts a working day", LAPTOP)
    code, output = intake(demo, data, "--commit", "--branch", "desk/issue-57")
    assert code == 0, output
    assert output == """<!-- itsm-desk:REQ-0006 -->
Thank you, Marta Nowak.

Your request is recorded as **REQ-0006**: A laptop that lasts a working day.

What happens next:
- Approval (Team lead) by Lukas Brandt.
- Approval (IT) by a member of Platform Engineering.
- Then Platform Engineering fulfils it.
- Expected: a first answer by 2026-11-24 18:00 CET.
- Expected: done by 2026-12-04 16:00 CET.

Updates on REQ-0006 are posted on this issue; a pull request adds the record.
"""
    assert git(demo, "log", "--format=%s", "main..desk/issue-57") == \
        "itsm desk intake: REQ-0006 from issue #57 (mnowak-nw)"
    git(demo, "checkout", "-q", "desk/issue-57")
    validated = run_itsm("validate", "--now", NOW_TEXT, cwd=demo)
    assert validated.code == 0, validated.stdout
    # The due times answered are the clocks `itsm sla check` shows: the type's OLA.
    clocks = _clocks(demo, "REQ-0006")
    assert {metric: (clock["sla"], clock["due_at"]) for metric, clock in clocks.items()} == {
        "response": ("internal-ola", "2026-11-24T18:00:00+01:00"),
        "resolution": ("internal-ola", "2026-12-04T16:00:00+01:00")}


def test_the_readers_of_a_laptop_requests_sla_agree_on_its_due_time() -> None:
    """REQ-0004 is made on Workplace IT, which has no SLA; its type promises the internal
    OLA: the clock, the queue page and the catalogue page all read that one."""
    clock = _clocks(DEMO, "REQ-0004")["resolution"]
    assert (clock["sla"], clock["state"], clock["running"], clock["due_at"]) == (
        "internal-ola", "within", True, "2026-11-30T09:10:00+01:00")
    ctx = RunContext(load_repository(load_config(DEMO)), NOW)
    (item,) = [item for team in queue(ctx).teams for item in team.items
               if item.id == "REQ-0004"]
    assert item.due is not None and instant_of(item.due) == instant_of(
        NOW.fromisoformat(str(clock["due_at"])))
    assert (item.sla_state, item.type) == ("within", "New laptop")
    (offer,) = [offer for offering in catalogue(ctx, True, "").services
                for offer in offering.offers if offer.id == "new-laptop"]
    shown = run_itsm("sla", "check", "--now", NOW_TEXT, "--running", cwd=DEMO).lines
    (line,) = [line.split() for line in shown if "REQ-0004" in line]
    assert (offer.expected, line[-4]) == ("10 business days", "10bd")


@pytest.mark.parametrize(("update", "finding"), [
    ("status: approved\nmessage: Approved.\n",
     "moves REQ-0006 to approved at 2026-11-22T10:10:00+01:00, but stage 1 of 2 (Team lead) "
     "is not approved by then: it needs an approval by lukas-brandt (itsm approve REQ-0006 "
     "--by PERSON) [request-approval]"),
    ("status: approved\nmessage: Approved.\nauthor: marta-nowak\n"
     "approval: {by: marta-nowak, decision: approved}\n",
     "marta-nowak requested REQ-0006 and cannot approve it: another person approves it with "
     "itsm approve REQ-0006 --by PERSON [request-approval]"),
])
def test_a_request_moved_on_without_its_approvals_fails_validation(
        demo: Path, update: str, finding: str) -> None:
    code, output = intake(demo, form_event(demo, "new-laptop", "A laptop", LAPTOP))
    assert code == 0, output
    folder = demo / "records/requests/REQ-0006.updates"
    folder.mkdir()
    (folder / "20261122T091000Z-x-000001.yaml").write_text(
        f"at: 2026-11-22T10:10:00+01:00\n{update}")
    result = run_itsm("validate", "--now", "2026-11-22T11:00:00+01:00", cwd=demo)
    assert result.code == 1
    assert any(line.endswith(finding) for line in result.lines), result.lines


def test_a_request_missing_a_required_answer_fails_validation(demo: Path) -> None:
    code, output = intake(demo, form_event(demo, "new-laptop", "A laptop", LAPTOP))
    assert code == 0, output
    path = demo / "records/requests/REQ-0006.yaml"
    path.write_text(path.read_text().replace("  model: ThinkPad X1 Carbon\n", ""))
    result = run_itsm("validate", "--now", NOW_TEXT, cwd=demo)
    assert result.code == 1
    assert result.lines[0].endswith(
        "error: answers.model: 'Model' is required by new-laptop: answer it under answers "
        "[request-answers]")
