"""The request catalogue: request types that can be used, requests that answer their
type's form and tick off its fulfilment steps, and people's GitHub logins.

Who approves a typed request is `request-approval`'s (validation/rules/requests.py); what
an answer must be is model/forms.py's, shared with the service desk.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from itsm_as_code.model import forms
from itsm_as_code.model.model import Model
from itsm_as_code.model.types.catalogue import RequestType
from itsm_as_code.model.types.itil import ServiceRequest
from itsm_as_code.model.types.organisation import AccessPolicy, Person
from itsm_as_code.rule import Hit
from itsm_as_code.store.record import Record
from itsm_as_code.validation.rules.base import Judged
from itsm_as_code.yamlerrors import shown

CHOICES = ("choice", "multichoice")
FULFILLED = "fulfilled"
GRANTED_ON = ("approved", "in_fulfilment", "fulfilled")  # a request past its approval
# A ticket that looks like a request id must name one; other tickets (another tracker's)
# are left alone.
REQUEST_ID = re.compile(r"^REQ-[0-9]+$")


def request_type(judged: Judged) -> Iterator[Hit]:
    """A type's form, stages and steps can be used: ids unique, options where a choice
    needs them, safe patterns on text fields, stages that enough people can approve."""
    model = judged.model
    for record, kind in judged.values("RequestType", RequestType):
        yield from _form(record, kind)
        yield from _stages(record, kind, model)
        seen: set[str] = set()
        for index, step in enumerate(kind.fulfilment.steps):
            if step.id in seen:
                yield Hit(record, f"fulfilment.steps[{index}]: the step id '{step.id}' is "
                          "used twice: give each step its own id",
                          ("fulfilment", "steps", index))
            seen.add(step.id)


def _form(record: Record, kind: RequestType) -> Iterator[Hit]:
    seen: set[str] = set()
    for index, question in enumerate(kind.form):
        where = ("form", index)
        if question.id in seen:
            yield Hit(record, f"form[{index}].id: '{question.id}' is the id of an earlier "
                      "field too: give each field its own id", (*where, "id"))
        seen.add(question.id)
        if question.type in CHOICES and not question.options:
            yield Hit(record, f"form[{index}]: a {question.type} field needs options: list "
                      "the choices under options", (*where, "type"))
        elif question.type not in CHOICES and question.options:
            yield Hit(record, f"form[{index}].options: a {question.type} field has no "
                      "options: remove them, or make it a choice or multichoice field",
                      (*where, "options"))
        if question.pattern is None:
            continue
        if question.type != "text":
            yield Hit(record, f"form[{index}].pattern: only a text field has a pattern, not "
                      f"a {question.type} field: remove it", (*where, "pattern"))
            continue
        compiled = forms.compile_pattern(question.pattern)
        if isinstance(compiled, str):
            yield Hit(record, f"form[{index}].pattern {compiled}", (*where, "pattern"))


def _stages(record: Record, kind: RequestType, model: Model) -> Iterator[Hit]:
    for index, stage in enumerate(kind.stages):
        approvers = stage.approvers
        if approvers.policy_owners is not None:
            policy = model.policies.get(approvers.policy_owners)
            people = policy.owners if policy else None
        elif approvers.team is not None:
            team = model.teams.get(approvers.team)
            people = team.members if team else None
        else:  # named people, or a requester's lead: one person per request
            people = approvers.people or None
        if people is not None and stage.count > len(set(people)):
            yield Hit(record, f"approval.stages[{index}].count: stage '{shown(stage.name)}' "
                      f"needs {stage.count} approvals, but only {len(set(people))} people "
                      f"may approve it ({', '.join(sorted(set(people)))}): lower the count "
                      "or add approvers", ("approval", "stages", index, "count"))


def answers(judged: Judged) -> Iterator[Hit]:
    """A typed request answers its type's form: every required field, each answer of the
    field's type (an option of a choice, a Person id, a date, a match of the pattern), no
    answer to a question the form does not ask."""
    model = judged.model
    people = model.people
    for record, request in judged.values("ServiceRequest", ServiceRequest):
        kind = model.request_types.get(request.type) if request.type else None
        if kind is None:
            if request.answers and not request.type:
                yield Hit(record, "answers: a request without a type has no form to "
                          "answer: name its type (type: ID of a RequestType) or remove "
                          "the answers", ("answers",), key=True)
            continue
        asked = [question.id for question in kind.form]
        for key, value in request.answers.items():
            question = kind.question(key)
            if question is None:
                close = difflib.get_close_matches(key, asked, n=1, cutoff=0.6)
                hint = (f"did you mean '{close[0]}'?" if close else
                        f"its questions are {', '.join(asked)}" if asked else
                        "it asks no questions")
                yield Hit(record, f"answers.{shown(key)}: {kind.id} asks no question "
                          f"'{shown(key)}': {hint}", ("answers", key), key=True)
                continue
            why = forms.problem(question, value, people)
            if why is not None:
                yield Hit(record, f"answers.{key} {why}", ("answers", key))
        for question in kind.form:
            if question.required and forms.empty(question, request.answers.get(question.id)):
                verb = "tick" if question.type == "checkbox" else "answer"
                yield Hit(record, f"answers.{question.id}: '{shown(question.label)}' is "
                          f"required by {kind.id}: {verb} it under answers",
                          ("answers", question.id) if question.id in request.answers
                          else ("answers",) if request.answers else ("type",))


def steps(judged: Judged) -> Iterator[Hit]:
    """Each step ticked off is a step of the request's type, and every step of it is done
    before the request is fulfilled."""
    model = judged.model
    for record, request in judged.values("ServiceRequest", ServiceRequest):
        kind = model.request_types.get(request.type) if request.type else None
        if kind is None and request.type:
            continue  # the reference rule names the missing type
        known = [step.id for step in kind.fulfilment.steps] if kind else []
        for done in request.done:
            if done.step not in known:
                listed = (f"its steps are {', '.join(known)}" if known else
                          f"{kind.id} has no steps" if kind else "it has no type")
                yield Hit(record, f"timeline[{done.entry}].done: '{shown(done.step)}' is no "
                          f"fulfilment step of {request.id}: {listed}",
                          ("timeline", done.entry, "done"))
        if kind is None:
            continue
        yield from _fulfilled(record, request, kind)


def _fulfilled(record: Record, request: ServiceRequest, kind: RequestType) -> Iterator[Hit]:
    for index, entry in enumerate(request.timeline):
        if entry.status != FULFILLED:
            continue
        ticked = {done.step for done in request.done if done.at <= entry.at}
        left = [step for step in kind.fulfilment.steps if step.id not in ticked]
        if left:
            listed = "; ".join(f"{step.id}: {shown(step.text)}" for step in left)
            yield Hit(record, f"timeline[{index}] moves {request.id} to fulfilled at "
                      f"{record.written('timeline', index, 'at')}, but steps of {kind.id} "
                      f"are not done by then ({listed}): tick each off with itsm update "
                      f"{request.id} --done STEP", ("timeline", index, "status"))


def github(judged: Judged) -> Iterator[Hit]:
    """No two people share a GitHub login (GitHub does not tell case apart)."""
    first: dict[str, str] = {}
    for person in sorted(judged.model.people.values(), key=lambda p: p.id):
        if person.github is not None:
            first.setdefault(person.github.lower(), person.id)
    for record, person in judged.values("Person", Person):
        login = person.github
        if login is not None and first[login.lower()] != person.id:
            yield Hit(record, f"github: the login '{login}' is {first[login.lower()]}'s "
                      "too: a login belongs to one person", ("github",))


def grant_ticket(judged: Judged) -> Iterator[Hit]:
    """A grant that cites a request (`ticket: REQ-...`) cites an approved access request
    for its policy and its subject: the evidence chain from the ask to the access."""
    model = judged.model
    for record, policy in judged.values("AccessPolicy", AccessPolicy):
        for index, grant in enumerate(policy.grants):
            ticket = grant.ticket
            if ticket is None:
                continue
            place = ("grants", index, "ticket")
            request = model.requests.get(ticket)
            if request is None:
                found = judged.repo.get(ticket)
                if found is not None and found.kind != "ServiceRequest":
                    yield Hit(record, f"grants[{index}].ticket: {shown(ticket)} is a "
                              f"{found.kind}, not a service request: cite the request that "
                              "asked for this access", place)
                elif found is None and REQUEST_ID.match(ticket):
                    yield Hit(record, f"grants[{index}].ticket: there is no request "
                              f"{ticket}: cite the request that asked for this access",
                              place)
                continue
            why = _cited(request, policy, grant.subject, model)
            if why is not None:
                yield Hit(record, f"grants[{index}].ticket: {why}", place)


def _cited(request: ServiceRequest, policy: AccessPolicy, subject: str, model: Model
           ) -> str | None:
    kind = model.request_types.get(request.type) if request.type else None
    asked = kind.access_policy if kind is not None else request.access_policy
    via = f" (by its type {kind.id})" if kind is not None else ""
    if asked is None:
        return (f"{request.id} asks for no access policy{via}: cite an access request for "
                f"{policy.id}")
    if asked != policy.id:
        return (f"{request.id} asks for access under {asked}{via}, not {policy.id}: cite a "
                f"request for {policy.id}")
    if request.status not in GRANTED_ON:
        return (f"{request.id} is {request.status}: a grant cites a request once it is "
                f"approved (itsm approve {request.id} --by PERSON)")
    if subject not in _subjects(request, kind):
        return (f"{request.id} asks for access for {' or '.join(_subjects(request, kind))}, "
                f"not {shown(subject)}: cite the request made for {shown(subject)}")
    return None


def _subjects(request: ServiceRequest, kind: RequestType | None) -> list[str]:
    """Whom a request asks access for: the requester, and the people its person answers
    name (a manager asking for someone in their team)."""
    named = [request.requested_by]
    for question in kind.form if kind else ():
        value = request.answers.get(question.id)
        if question.type == "person" and isinstance(value, str) and value not in named:
            named.append(value)
    return named
