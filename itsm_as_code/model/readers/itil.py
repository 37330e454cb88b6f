"""Incidents, problems, known errors, service requests and maintenance windows, with
their timelines, read from their records' data.

A reader trusts the schema: it runs only on records that passed it, and a missing
optional field becomes None, empty or its schema default (model/build.py holds the
registry of readers by kind).
"""

from __future__ import annotations

from itsm_as_code.model.readers.values import Data, instant, maybe
from itsm_as_code.model.types.catalogue import Answer
from itsm_as_code.model.types.itil import (
    Approval,
    Done,
    Incident,
    KnownError,
    Maintenance,
    Origin,
    Problem,
    Recurrence,
    ServiceRequest,
)
from itsm_as_code.model.types.timeline import Affected, Alert, Entry


def _affected(items: list[Data] | None) -> tuple[Affected, ...]:
    if not items:  # most timeline entries: no generator made for nothing (a hot path)
        return ()
    return tuple(Affected(item["id"], item["status"]) for item in items)


def _entries(items: list[Data] | None) -> tuple[Entry, ...]:
    if not items:
        return ()
    return tuple([
        Entry(instant(item["at"]), item["message"], item.get("status"),
              item.get("public", True), item.get("author"),
              _affected(item["services"]) if "services" in item else (),
              "assignee" in item or "team" in item)
        for item in items
    ])


def _alert(item: Data) -> Alert:
    return Alert(item["fingerprint"], item.get("name"), item.get("source"),
                   maybe(item.get("started_at")), maybe(item.get("resolved_at")),
                   item.get("service"))


def _origin(item: Data | None) -> Origin | None:
    if item is None:
        return None
    return Origin(item["channel"], item.get("github_issue"), item.get("github_user"),
                    item.get("email"), item.get("message_id"))


def incident(data: Data) -> Incident:
    get = data.get
    return Incident(
        data["id"], data["title"], _affected(data["services"]), data["impact"],
        data["urgency"], data["priority"], data["status"], instant(data["opened_at"]),
        maybe(get("acknowledged_at")), maybe(get("resolved_at")), maybe(get("closed_at")),
        get("major", False), get("team"), get("assignee"), get("visibility", "public"),
        get("problem"), get("known_error"), get("category"), get("description"),
        get("postmortem"), get("reopen_count", 0),
        tuple(_alert(a) for a in get("alerts") or ()),
        _entries(get("timeline")), origin=_origin(get("origin")),
    )


def problem(data: Data) -> Problem:
    get = data.get
    return Problem(
        data["id"], data["title"], data["status"], instant(data["opened_at"]),
        tuple(get("incidents", ())), tuple(get("services", ())), get("priority"),
        get("owner"), get("root_cause"), maybe(get("resolved_at")),
        maybe(get("closed_at")), get("description"),
    )


def known_error(data: Data) -> KnownError:
    get = data.get
    return KnownError(
        data["id"], data["title"], data["status"], data["symptoms"], data["workaround"],
        get("problem"), tuple(get("services", ())), tuple(get("match", ())),
        get("root_cause"), get("fix"), maybe(get("opened_at")), maybe(get("fixed_at")),
    )


def service_request(data: Data) -> ServiceRequest:
    get = data.get
    return ServiceRequest(
        data["id"], data["title"], data["service"], data["requested_by"], data["status"],
        data["priority"], instant(data["opened_at"]), maybe(get("acknowledged_at")),
        maybe(get("resolved_at")), get("team"), get("assignee"), get("access_policy"),
        tuple(Approval(a["by"], instant(a["at"]), a.get("comment"), a["decision"])
              for a in get("approvals") or ()),
        _entries(get("timeline")), get("description"),
        origin=_origin(get("origin")),
        type=get("type"), answers=_answers(get("answers")), done=_done(get("timeline")),
    )


def _answers(answers: Data | None) -> dict[str, Answer]:
    return {key: tuple(value) if isinstance(value, list) else value
            for key, value in (answers or {}).items()}


def _done(items: list[Data] | None) -> tuple[Done, ...]:
    """The steps each entry ticks off (a step's number may be written as a number)."""
    return tuple(Done(str(step), instant(item["at"]), index)
                 for index, item in enumerate(items or ()) for step in item.get("done", ()))


def maintenance(data: Data) -> Maintenance:
    get = data.get
    return Maintenance(
        data["id"], data["title"], tuple(data["services"]), instant(data["scheduled_start"]),
        instant(data["scheduled_end"]), data["status"], get("visibility", "public"),
        _entries(get("timeline")), get("description"), _recurrence(data),
        tuple(_alert(a) for a in get("alerts") or ()),
    )


def _recurrence(data: Data) -> Recurrence | None:
    rule = data.get("recurrence")
    if rule is None:
        return None
    extensions = tuple((instant(item["at"]), instant(item["scheduled_end"]))
                       for item in data.get("timeline") or () if "scheduled_end" in item)
    return Recurrence(rule["rule"], rule["timezone"], extensions)
