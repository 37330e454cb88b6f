"""An `issues` event, as GitHub writes it to GITHUB_EVENT_PATH, into a submission.

The form the issue came from is told by its marker label (`itsm:request-type:ID`,
`itsm:incident`); an issue whose labels were removed is matched by its `### ` headings
instead, when exactly one form has them all. The event is checked for shape before
anything is read from it: a malformed event is a usage error (exit 2), a bad submission
is a refusal the requester reads (exit 1).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from itsm_as_code.desk.answers import MAX_BODY, clean, sections
from itsm_as_code.desk.forms import Form, form_by_label
from itsm_as_code.desk.intake import Submission
from itsm_as_code.errors import UsageError

# The actions intake reads; others (labeled, assigned, ...) change nothing. `closed` and
# an `edited` issue already recorded are read by desk/after.py.
ACTIONS = ("opened", "edited", "reopened", "closed")
MAX_EVENT = 25 * 1024 * 1024  # GitHub's webhook payloads are capped at 25 MB


@dataclass(frozen=True)
class Issue:
    number: int
    action: str
    title: str
    body: str
    login: str
    labels: list[str]
    sender: str = ""  # who did what the event reports (closed or edited the issue)

    @property
    def origin(self) -> dict[str, Any]:
        """The record's `origin` for this issue."""
        return {"channel": "github", "github_issue": self.number, "github_user": self.login}


def read_event(raw: bytes, name: str) -> Issue:
    """The issue of an `issues` event; UsageError naming what is missing."""
    if len(raw) > MAX_EVENT:
        raise UsageError(f"{name}: the event is larger than GitHub sends (25 MB)")
    try:
        event = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise UsageError(f"{name}: not a JSON event: {error}") from None
    issue = event.get("issue") if isinstance(event, dict) else None
    if not isinstance(issue, dict):
        raise UsageError(f"{name}: an issues event has an `issue` object: is this the event "
                         "of an `on: issues` workflow?")
    number, user = issue.get("number"), issue.get("user")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise UsageError(f"{name}: issue.number is not an issue number")
    if not isinstance(user, dict) or not isinstance(user.get("login"), str):
        raise UsageError(f"{name}: issue.user.login is missing")
    labels = [str(label["name"]) for label in issue.get("labels") or []
              if isinstance(label, dict) and isinstance(label.get("name"), str)]
    body = issue.get("body")
    sender = event.get("sender")
    return Issue(number, str(event.get("action", "")), str(issue.get("title") or ""),
                 body if isinstance(body, str) else "", user["login"], labels,
                 str(sender.get("login") or "") if isinstance(sender, dict) else "")


def submission(issue: Issue, forms: list[Form]) -> Submission:
    origin = issue.origin
    if len(issue.body) > MAX_BODY:
        return Submission(None, issue.title, {}, origin, (
            f"the issue's text is longer than {MAX_BODY:,} characters: shorten it",))
    body = clean(issue.body)
    form = form_by_label(forms, issue.labels) or _by_headings(body, forms)
    if form is None:
        return Submission(None, issue.title, {}, origin, (
            "we could not tell which form this issue was opened from: open a new issue "
            "and choose a form",))
    found, problems = sections(body, [item.label for item in form.asked])
    given = {item.id: found.get(item.label) for item in form.asked}
    return Submission(form, issue.title, given, origin, tuple(problems))


def _by_headings(body: str, forms: list[Form]) -> Form | None:
    fits = [form for form in forms if form.fields
            and not sections(body, [item.label for item in form.fields])[1]]
    return fits[0] if len(fits) == 1 else None
