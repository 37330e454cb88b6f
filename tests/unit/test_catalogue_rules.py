"""The request catalogue's rules, each with its exact messages: a usable request type
(`request-type`), answers that fit the form (`request-answers`), approvals by the type's
stages (`request-approval`), steps done before fulfilment (`request-steps`), grants that
cite an approved access request (`grant-ticket`) and unique GitHub logins
(`person-github`)."""

from __future__ import annotations

from typing import Any

import pytest

from itsm_as_code.model.forms import compile_pattern
from itsm_as_code.validation.runner import validate
from tests.helpers import (
    NOW,
    Data,
    grant,
    person,
    policy,
    repository,
    request,
    service,
    system,
    team,
)

AT = "2026-11-22T09:{:02d}:00+01:00"


def kind(record_id: str = "laptop", **overrides: Any) -> Data:
    """A type on `web` with one required choice, approved by ops's lead then by ops."""
    return {"apiVersion": "itsm/v1", "kind": "RequestType", "id": record_id,
            "name": "New laptop", "description": "A laptop.", "service": "web",
            "form": [{"id": "model", "label": "Model", "type": "choice", "required": True,
                      "options": ["Mac", "ThinkPad"]}],
            "approval": {"stages": [{"name": "Lead", "approvers": {"requester_lead": True}},
                                    {"name": "IT", "approvers": {"team": "ops"}}]},
            "fulfilment": {"team": "ops", "steps": ["Order it", {"id": "give", "text": "Give it"}]},
            **overrides}


def approval(by: str, minute: int, decision: str = "approved") -> Data:
    return {"by": by, "decision": decision, "at": AT.format(minute)}


def entry(minute: int, status: str | None = None, **fields: Any) -> Data:
    return {"at": AT.format(minute), **({"status": status} if status else {}),
            "message": "An update.", **fields}


def typed(**overrides: Any) -> Data:
    """cy's request for a Mac; ada leads ops (ada, ben)."""
    return request(**{"requested_by": "cy", "type": "laptop", "answers": {"model": "Mac"},
                      **overrides})


def findings(*records: Data) -> list[tuple[str, int, str]]:
    base = [person("ada"), person("ben"), person("cy"), person("dee"), service("web"),
            system("db"), team("ops", members=["ada", "ben"], lead="ada"),
            team("design", members=["cy"], lead="ada")]
    repo = repository(*base, *records)
    return [(f.rule, f.line, f.message) for f in validate(repo, now=NOW).findings]


# -- request-type ------------------------------------------------------------------------

def test_a_usable_type_and_its_requests_have_no_findings() -> None:
    assert findings(kind(), typed()) == []


def test_a_type_s_form_and_steps_are_checked() -> None:
    form = [{"id": "model", "label": "Model", "type": "choice"},
            {"id": "model", "label": "Again", "type": "text", "options": ["a"]},
            {"id": "serial", "label": "Serial", "type": "date", "pattern": "^x$"},
            {"id": "tag", "label": "Tag", "type": "text", "pattern": "^(a+)+$"}]
    steps = [{"id": "give", "text": "Give it"}, {"id": "give", "text": "Again"}]
    assert findings(kind(form=form, fulfilment={"team": "ops", "steps": steps})) == [
        ("request-type", 10, "form[0]: a choice field needs options: list the choices under "
         "options"),
        ("request-type", 11, "form[1].id: 'model' is the id of an earlier field too: give each "
         "field its own id"),
        ("request-type", 15, "form[1].options: a text field has no options: remove them, or "
         "make it a choice or multichoice field"),
        ("request-type", 19, "form[2].pattern: only a text field has a pattern, not a date "
         "field: remove it"),
        ("request-type", 23, "form[3].pattern repeats a part that is itself repeated (such as "
         "(a+)+), which can take exponential time: repeat only once"),
        ("request-type", 37, "fulfilment.steps[1]: the step id 'give' is used twice: give "
         "each step its own id"),
    ]


def test_a_stage_needs_no_more_approvals_than_people_may_give() -> None:
    stages = [{"name": "IT", "approvers": {"team": "ops"}, "count": 3}]
    assert findings(kind(approval={"stages": stages})) == [
        ("request-type", 20, "approval.stages[0].count: stage 'IT' needs 3 approvals, but "
         "only 2 people may approve it (ada, ben): lower the count or add approvers")]


@pytest.mark.parametrize(("pattern", "why"), [
    ("(a|ab)*c", "repeats an alternation (such as (a|ab)*), which can take exponential time: "
     "use a character class ([ab]*) or repeat outside the choice"),
    ("(a)\\1", "uses a backreference, which can take exponential time: write it without"),
    ("[a-", "is not a valid regular expression: unterminated character set at position 0: "
     "fix it or quote special characters with a backslash"),
    ("a" * 201, "is longer than 200 characters: write it shorter"),
])
def test_unsafe_or_broken_patterns_are_refused(pattern: str, why: str) -> None:
    assert compile_pattern(pattern) == why


def test_safe_patterns_compile() -> None:
    for pattern in ("^[A-Z]{2}-[0-9]{4}$", "(?:ab)+c", "^(INC|REQ)-[0-9]+$", "a{2,5}b*"):
        assert not isinstance(compile_pattern(pattern), str), pattern


# -- request-answers ---------------------------------------------------------------------

def test_answers_are_checked_against_the_form() -> None:
    form = [{"id": "model", "label": "Model", "type": "choice", "options": ["Mac", "ThinkPad"]},
            {"id": "count", "label": "How many", "type": "number"},
            {"id": "by", "label": "Needed by", "type": "date", "required": True},
            {"id": "tag", "label": "Asset tag", "type": "text", "pattern": "^NW-[0-9]{4}$",
             "help": "NW- and four digits"},
            {"id": "for", "label": "For whom", "type": "person"},
            {"id": "ok", "label": "I agree", "type": "checkbox", "required": True},
            {"id": "extras", "label": "Extras", "type": "multichoice", "options": ["Bag"]}]
    answers = {"model": "Macc", "count": "two", "by": "2026-02-30", "tag": "NW-12",
               "for": "adaa", "ok": False, "extras": ["Bag", "Bag"], "colour": "red"}
    got = findings(kind(form=form, approval={"standard": True}),
                   typed(answers=answers))
    assert [(rule, message) for rule, _, message in got] == [
        ("request-answers", "answers.model is 'Macc', which is not one of Mac, ThinkPad: did "
         "you mean 'Mac'?"),
        ("request-answers", "answers.count is text, but the question takes a number"),
        ("request-answers", "answers.by is '2026-02-30', which is not a date: write it as "
         "YYYY-MM-DD, such as 2026-11-30"),
        ("request-answers", "answers.tag is 'NW-12', which does not match the pattern "
         "^NW-[0-9]{4}$: NW- and four digits"),
        ("request-answers", "answers.for is 'adaa', which is no Person id: did you mean "
         "'ada'?"),
        ("request-answers", "answers.ok: 'I agree' is required by laptop: tick it under "
         "answers"),
        ("request-answers", "answers.extras names a choice twice: name each once"),
        ("request-answers", "answers.colour: laptop asks no question 'colour': its questions "
         "are model, count, by, tag, for, ok, extras"),
    ]


def test_a_missing_required_answer_names_the_question() -> None:
    assert findings(kind(), typed(answers={"modl": "Mac"})) == [
        ("request-answers", 12, "answers.model: 'Model' is required by laptop: answer it "
         "under answers"),
        ("request-answers", 12, "answers.modl: laptop asks no question 'modl': did you mean "
         "'model'?"),
    ]
    assert findings(kind(), request(answers={"model": "Mac"})) == [
        ("request-answers", 10, "answers: a request without a type has no form to answer: "
         "name its type (type: ID of a RequestType) or remove the answers")]


# -- request-approval --------------------------------------------------------------------

def test_stages_are_approved_in_order_by_their_approvers() -> None:
    good = typed(status="approved", approvals=[approval("ada", 5), approval("ben", 6)],
                 timeline=[entry(7, "approved")])
    assert findings(kind(), good) == []
    early = typed(status="approved", approvals=[approval("ben", 4), approval("ada", 5)],
                  timeline=[entry(7, "approved")])
    assert findings(kind(), early) == [
        ("request-approval", 14, "approvals[0]: ben approved stage 2 of 2 (IT) before stage 1 "
         "of 2 (Lead) was complete: stages are approved in order, so ben approves again once "
         "it is (itsm approve REQ-0001 --by ben)"),
        ("request-approval", 22, "timeline[0] moves REQ-0001 to approved at "
         "2026-11-22T09:07:00+01:00, but stage 2 of 2 (IT) is not approved by then: it needs "
         "an approval by ada or ben (itsm approve REQ-0001 --by PERSON)"),
    ]


def test_an_approval_by_someone_no_stage_admits_and_by_the_requester() -> None:
    started = typed(status="in_fulfilment", approvals=[approval("dee", 5), approval("cy", 6)],
                    timeline=[entry(7, "in_fulfilment")])
    assert findings(kind(), started) == [
        ("request-approval", 14, "approvals[0]: dee may approve no stage of laptop (Lead: ada; "
         "IT: ada or ben): one of them approves it with itsm approve REQ-0001 --by PERSON"),
        ("request-approval", 17, "approvals[1]: cy requested REQ-0001 and cannot approve it: "
         "another person approves it with itsm approve REQ-0001 --by PERSON"),
        ("request-approval", 22, "timeline[0] moves REQ-0001 to in_fulfilment at "
         "2026-11-22T09:07:00+01:00, but stage 1 of 2 (Lead) is not approved by then: it needs "
         "an approval by ada (itsm approve REQ-0001 --by PERSON)"),
    ]


def test_a_standard_type_goes_straight_to_fulfilment() -> None:
    standard = kind(approval={"standard": True})
    assert findings(standard, typed(status="in_fulfilment",
                                    timeline=[entry(7, "in_fulfilment")])) == []


# -- request-steps -----------------------------------------------------------------------

def test_every_step_is_done_before_the_request_is_fulfilled() -> None:
    standard = kind(approval={"standard": True})
    done = typed(status="fulfilled", resolved_at=AT.format(9),
                 timeline=[entry(7, "in_fulfilment", done=[1]), entry(8, done=["give"]),
                           entry(9, "fulfilled")])
    assert findings(standard, done) == []
    early = typed(status="fulfilled", resolved_at=AT.format(9),
                  timeline=[entry(7, "in_fulfilment", done=[1, "gift"]),
                            entry(9, "fulfilled"), entry(10, done=["give"])])
    assert findings(standard, early) == [
        ("request-steps", 19, "timeline[0].done: 'gift' is no fulfilment step of REQ-0001: "
         "its steps are 1, give"),
        ("request-steps", 22, "timeline[1] moves REQ-0001 to fulfilled at "
         "2026-11-22T09:09:00+01:00, but steps of laptop are not done by then (give: Give "
         "it): tick each off with itsm update REQ-0001 --done STEP"),
    ]


# -- grant-ticket ------------------------------------------------------------------------

ACCESS = kind("db-access", form=[{"id": "for", "label": "For whom", "type": "person"}],
              access_policy="db-readers",
              approval={"stages": [{"name": "Owners",
                                    "approvers": {"policy_owners": "db-readers"}}]})


def test_a_grant_cites_an_approved_access_request_for_its_subject() -> None:
    asked = request(requested_by="cy", type="db-access", answers={"for": "ben"},
                    status="approved", approvals=[approval("ada", 5)],
                    timeline=[entry(6, "approved")])
    cited = policy(grants=[grant("ben", ticket="REQ-0001"), grant("cy", ticket="REQ-0001"),
                           grant("dee", ticket="REQ-0001"), grant("ben", ticket="OPS-17")])
    assert findings(ACCESS, asked, cited) == [
        ("grant-ticket", 21, "grants[2].ticket: REQ-0001 asks for access for cy or ben, not "
         "dee: cite the request made for dee")]


def test_a_grant_cites_no_request_that_is_missing_unapproved_or_for_another_policy() -> None:
    submitted = request("REQ-0001", requested_by="ben", type="db-access")
    other = request("REQ-0002", requested_by="ben", access_policy="elsewhere")
    cited = policy(grants=[grant("ben", ticket="REQ-0001"), grant("ben", ticket="REQ-0002"),
                           grant("ben", ticket="REQ-0009"), grant("ben", ticket="web")])
    got = findings(ACCESS, submitted, other, cited)
    assert [(rule, message) for rule, _, message in got if rule == "grant-ticket"] == [
        ("grant-ticket", "grants[0].ticket: REQ-0001 is submitted: a grant cites a request "
         "once it is approved (itsm approve REQ-0001 --by PERSON)"),
        ("grant-ticket", "grants[1].ticket: REQ-0002 asks for access under elsewhere, not "
         "db-readers: cite a request for db-readers"),
        ("grant-ticket", "grants[2].ticket: there is no request REQ-0009: cite the request "
         "that asked for this access"),
        ("grant-ticket", "grants[3].ticket: web is a Service, not a service request: cite "
         "the request that asked for this access"),
    ]


# -- person-github -----------------------------------------------------------------------

def test_no_two_people_share_a_github_login() -> None:
    assert findings(person("eve", github="Eve-NW"), person("fay", github="eve-nw")) == [
        ("person-github", 6, "github: the login 'eve-nw' is eve's too: a login belongs to one "
         "person")]
