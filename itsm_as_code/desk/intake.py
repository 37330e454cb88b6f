"""A submission (an issue, an e-mail) into a record: a ServiceRequest of the form's type,
or an Incident reported by a user; checked like `itsm new` checks a record, and refused
with what to fix, writing nothing, when anything is wrong.

Who asked: the Person whose `github` login (an issue) or `email` (a mail) it is. A request
needs one (approvals and access are about a person); an incident report does not: it
keeps the login or address in `origin`, and no Person is invented.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from itsm_as_code.authoring import drafts
from itsm_as_code.authoring.ids import next_id
from itsm_as_code.authoring.new import MONTH_FOLDERS
from itsm_as_code.authoring.writer import render
from itsm_as_code.desk.answers import HTML, clean, read_answers
from itsm_as_code.desk.forms import (
    DEFAULT_LEVEL,
    DETAILS,
    IMPACTS,
    URGENCIES,
    Form,
    service_options,
)
from itsm_as_code.model.build import READERS
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.types.itil import Incident, ServiceRequest
from itsm_as_code.model.types.organisation import Person
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.runner import validate

# A user's report is not yet a confirmed outage: the service is shown as degraded and the
# incident stays off the public status site until a responder makes it public.
REPORTED_STATUS = "degraded_performance"
MAX_TITLE = 200
# `ignored`: an event about an issue already taken in that changes nothing (desk/after.py).
Status = Literal["recorded", "already", "refused", "ignored"]


@dataclass(frozen=True)
class Submission:
    """What a requester sent, read from its channel: the form (None when it cannot be
    told), a title, each field's text by id, and where it came from (`origin`)."""

    form: Form | None
    title: str
    given: dict[str, str | None]
    origin: dict[str, Any]
    problems: tuple[str, ...] = ()


@dataclass
class Outcome:
    """What intake did: recorded a new record (its files), found the one recorded before,
    or refused the submission (its problems)."""

    status: Status
    form: Form | None = None
    record: Incident | ServiceRequest | None = None
    path: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    requester: Person | None = None


def requester(ctx: RunContext, origin: dict[str, Any]) -> Person | None:
    """The Person who sent it: by GitHub login or e-mail address, case aside."""
    login = str(origin.get("github_user") or "").lower()
    email = str(origin.get("email") or "").lower()
    for person in ctx.model.people.values():
        if (login and person.github and person.github.lower() == login) or (
                email and person.email.lower() == email):
            return person
    return None


def recorded_before(ctx: RunContext, origin: dict[str, Any]
                    ) -> Incident | ServiceRequest | None:
    """The record this issue or mail already became (a second run, an edited issue)."""
    records: list[Incident | ServiceRequest] = [*ctx.model.incidents.values(),
                                                *ctx.model.requests.values()]
    for record in records:
        seen = record.origin
        if seen is None or seen.channel != origin["channel"]:
            continue
        if (seen.github_issue is not None and seen.github_issue == origin.get("github_issue")) \
                or (seen.message_id is not None and seen.message_id == origin.get("message_id")):
            return record
    return None


def intake(ctx: RunContext, submission: Submission, taken: set[str]) -> Outcome:
    """The record `submission` makes, checked, as the text of its file (nothing is written
    here); `taken` holds ids given out elsewhere (other branches)."""
    form, problems = submission.form, list(submission.problems)
    if form is None:
        return Outcome("refused", problems=problems)
    before = recorded_before(ctx, submission.origin)
    if before is not None:
        return Outcome("already", form, before, ctx.model.source(before.id).path)
    read = read_answers(form.asked, submission.given, ctx.model)
    problems += read.problems
    title = _title(submission.title, form, problems)
    person = requester(ctx, submission.origin)
    if person is None and not form.is_incident:
        problems.append(_unknown(submission.origin, ctx.config.organization))
    if problems:
        return Outcome("refused", form, problems=problems, requester=person)
    answers = {key: list(value) if isinstance(value, tuple) else value
               for key, value in read.answers.items()}
    # A type without questions took its details in words: they describe the request.
    details = None if form.fields else answers.pop(DETAILS.id, None)
    kind = "Incident" if form.is_incident else "ServiceRequest"
    if form.is_incident:
        data = _incident(ctx, title, answers, submission)
    else:
        assert person is not None and form.request_type is not None
        data = _request(ctx, title, answers, submission, person, form,
                        str(details) if details is not None else None)
    return _checked(ctx, kind, data, taken, form, person)


def _title(text: str, form: Form, problems: list[str]) -> str:
    title = " ".join(clean(text).split())
    prefix = form.title.strip()
    if prefix and title.startswith(prefix):
        title = title[len(prefix):].strip()
    if HTML.search(title):
        problems.append("the title holds HTML: write it in words, without tags")
    if not title:
        return form.name
    return title if len(title) <= MAX_TITLE else title[:MAX_TITLE - 3].rstrip() + "..."


def _unknown(origin: dict[str, Any], organization: str) -> str:
    if origin.get("github_user"):
        who = f"the GitHub account `{origin['github_user']}`"
        fix = f"ask the service desk to add `github: {origin['github_user']}` to your person record"
    else:
        who = "the address you wrote from"
        fix = "write from your work address"
    return (f"we could not tell who you are: {who} belongs to nobody at {organization}; "
            f"{fix}, then try again")


def _incident(ctx: RunContext, title: str, answers: dict[str, Any],
              submission: Submission) -> dict[str, Any]:
    service = service_options(ctx.model)[str(answers["service"])]
    impact = IMPACTS.get(str(answers.get("affected")), DEFAULT_LEVEL)
    urgency = URGENCIES.get(str(answers.get("urgency")), DEFAULT_LEVEL)
    fields = drafts.incident(ctx.model, ctx.now, title=title,
                             services=[f"{service}:{REPORTED_STATUS}"], impact=impact,
                             urgency=urgency)
    fields["visibility"] = "internal"
    parts = [str(answers["what"])]
    for key, label in (("since", "Since"), ("affected", "Affected"),
                       ("urgency", "Work stopped")):
        if key in answers:
            parts.append(f"{label}: {answers[key]}")
    fields["description"] = "\n\n".join(parts)
    timeline = fields.pop("timeline")
    return {**fields, "origin": submission.origin, "timeline": timeline}


def _request(ctx: RunContext, title: str, answers: dict[str, Any], submission: Submission,
             person: Person, form: Form, details: str | None) -> dict[str, Any]:
    kind = form.request_type
    assert kind is not None
    fields = drafts.service_request(
        ctx.model, ctx.now, title=title, service=kind.service, requested_by=person.id,
        priority=kind.priority, team=kind.fulfilment.team, access_policy=kind.access_policy,
        description=details)
    timeline = fields.pop("timeline")
    extra: dict[str, Any] = {"type": kind.id}
    if answers:
        extra["answers"] = answers
    return {**fields, **extra, "origin": submission.origin, "timeline": timeline}


def _checked(ctx: RunContext, kind: str, fields: dict[str, Any], taken: set[str],
             form: Form, person: Person | None) -> Outcome:
    repo, spec = ctx.repo, KINDS[kind]
    assert spec.id_prefix is not None
    record_id = next_id(spec.id_prefix, [*repo.by_id, *taken])
    data = {"apiVersion": "itsm/v1", "kind": kind, "id": record_id, **fields}
    folder = f"{repo.config.records}/{spec.folder}"
    if kind in MONTH_FOLDERS:
        folder += f"/{ctx.now:%Y}/{ctx.now:%m}"
    path = f"{folder}/{record_id}.yaml"
    hint = posixpath.relpath(f"schemas/{spec.schema}", folder).replace(os.sep, "/")
    text = render(data, hint)
    record = Record(kind, record_id, path, data, partial(str, text))
    trial = Repository(repo.config, [*repo.records, record], list(repo.findings))
    errors = [f for f in validate(trial, [path]).findings if f.level == "error"]
    if errors:
        return Outcome("refused", form, problems=[
            f"the record would be invalid: {f.message}" for f in errors], requester=person)
    value = READERS[kind](data)
    return Outcome("recorded", form, value, path, {path: text}, requester=person)
