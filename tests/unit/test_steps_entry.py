"""The entry a step writes, and who writes it: each verb's defaults (status, message,
audience), the options that override them, the refusals that name the allowed moves."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from itsm_as_code.errors import UsageError
from itsm_as_code.model.model import Model
from itsm_as_code.steps.entry import timeline_step
from itsm_as_code.steps.moves import Refused
from itsm_as_code.steps.outcome import Outcome
from itsm_as_code.steps.people import NOBODY, Author, find_author
from itsm_as_code.steps.request import StepRequest
from itsm_as_code.steps.verbs import VERBS
from tests import helpers
from tests.helpers import NOW

BERLIN = ZoneInfo("Europe/Berlin")
ADA = Author("ada", "Ada Lovelace", "--author")


def model(*records: dict[str, Any]) -> Model:
    return Model(helpers.repository(helpers.person("ada", name="Ada Lovelace"),
                                    helpers.person("ben"), helpers.team(), helpers.service(),
                                    *records))


def entry(verb: str, data: dict[str, Any], author: Author = ADA, **options: Any
          ) -> dict[str, Any]:
    built = model(data)
    record = built.repo.get(data["id"])
    assert record is not None
    value = built.of(record.kind, object)[record.id]
    request = StepRequest(verb, record.id, **options)
    return timeline_step(request, VERBS[verb], record, value, built, author, BERLIN,
                         NOW).entry


AT = "2026-11-22T10:00:00+01:00"


@pytest.mark.parametrize(("verb", "data", "expected"), [
    ("ack", helpers.incident(status="new", timeline=[]),
     {"at": AT, "status": "investigating", "public": False,
      "message": "Acknowledged by Ada Lovelace.", "author": "ada", "acknowledged": True}),
    ("ack", helpers.incident(),
     {"at": AT, "public": False, "message": "Acknowledged by Ada Lovelace.", "author": "ada",
      "acknowledged": True}),
    ("resolve", helpers.incident(),
     {"at": AT, "status": "resolved", "public": True,
      "message": "This incident has been resolved.", "author": "ada"}),
    ("resolve", helpers.incident(visibility="internal"),
     {"at": AT, "status": "resolved", "public": False,
      "message": "This incident has been resolved.", "author": "ada"}),
    ("cancel", helpers.request(),
     {"at": AT, "status": "canceled", "message": "Canceled by Ada Lovelace.",
      "author": "ada"}),
    ("start", helpers.maintenance(),
     {"at": AT, "status": "in_progress", "public": True,
      "message": "Scheduled maintenance is in progress.", "author": "ada"}),
])
def test_each_verb_s_defaults(verb: str, data: dict[str, Any], expected: dict[str, Any]
                              ) -> None:
    assert entry(verb, data) == expected


def test_options_override_the_defaults_and_name_what_the_entry_sets() -> None:
    assert entry("assign", helpers.incident(), NOBODY, assignee="ben", team="ops",
                 public=True) == {
        "at": AT, "public": True, "message": "Assigned to Ben.", "assignee": "ben",
        "team": "ops"}
    assert entry("approve", helpers.request(), approver="ben", comment="Fine.") == {
        "at": AT, "status": "approved", "message": "Approved by Ben.", "author": "ada",
        "approval": {"by": "ben", "decision": "approved", "comment": "Fine."}}


def test_a_closed_incident_is_reopened_into_an_active_status_only() -> None:
    closed = helpers.incident(status="closed", resolved_at=AT, closed_at=AT)
    assert entry("reopen", closed)["status"] == "investigating"
    assert entry("reopen", closed, status="identified")["status"] == "identified"
    with pytest.raises(UsageError, match="reopened into an active status"):
        entry("reopen", closed, status="resolved")
    with pytest.raises(Refused, match="INC-0001 is investigating: only a closed or resolved "
                       "incident is reopened"):
        entry("reopen", helpers.incident())


def test_a_final_status_has_no_moves_to_name() -> None:
    with pytest.raises(Refused) as refused:
        entry("update", helpers.maintenance(status="completed"), status="in_progress")
    assert [f.message for f in refused.value.findings] == [
        "MNT-0001 is completed, a final status: it cannot move to in_progress (or anywhere)"]


def test_a_step_that_changes_nothing_is_refused() -> None:
    resolved = helpers.incident(status="resolved", resolved_at=AT)
    with pytest.raises(Refused, match="INC-0001 is already resolved: nothing to resolve"):
        entry("resolve", resolved)
    acknowledged = helpers.incident(acknowledged_at="2026-11-22T09:05:00+01:00")
    with pytest.raises(Refused, match="was acknowledged at 2026-11-22 09:05 CET"):
        entry("ack", acknowledged)


def test_options_a_kind_does_not_have_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="a service request has no audience"):
        entry("update", helpers.request(), status="approved", public=True)
    with pytest.raises(UsageError, match="not those of a maintenance window"):
        entry("update", helpers.maintenance(), message="x", services=(("web", "degraded"),))


def test_the_author_is_the_option_then_git_s_email_then_the_environment() -> None:
    people = model().people
    assert find_author(people, "ben", "ada@example.org", {}).id == "ben"
    assert find_author(people, None, "ADA@example.org", {"ITSM_AUTHOR": "ben"}) == Author(
        "ada", "Ada Lovelace", "git config user.email")
    assert find_author(people, None, "x@example.org", {"ITSM_AUTHOR": "ben"}).id == "ben"
    assert find_author(people, None, None, {}) == NOBODY
    with pytest.raises(UsageError, match="ITSM_AUTHOR: no person with id 'bne': did you "
                       "mean 'ben'"):
        find_author(people, None, None, {"ITSM_AUTHOR": "bne"})


def test_the_commit_message_names_the_record_the_step_and_its_author() -> None:
    done = Outcome("update", "INC-0042", "Incident", "t", "", "", ADA, label="identified")
    assert done.commit_message() == "INC-0042: identified (ada)"
    assert Outcome("update", "INC-0042", "Incident", "t", "", "", NOBODY,
                   label="identified").commit_message() == "INC-0042: identified"
