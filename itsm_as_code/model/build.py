"""Record data, checked by its schema, read into the model's types: one reader per kind.

This is one of the two places (with the loader and the raw-shape rules) that read a
record's data by field name. A reader trusts the schema: it runs only on records that
passed it, and a missing optional field becomes None, empty or its schema default.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

from itsm_as_code.explain import field_name
from itsm_as_code.findings import Finding
from itsm_as_code.model import types as t
from itsm_as_code.store.record import Key, Record
from itsm_as_code.timefmt import parse_duration, parse_timestamp
from itsm_as_code.yamlerrors import shown

Data = dict[str, Any]
UTC = timezone.utc
VALUE_RULE = "schema"  # a value the schema admits but the model cannot hold


def instant(text: str) -> datetime:
    """A record's timestamp as an aware datetime in UTC (times in one zone compare without
    an offset look-up each: sorting and sweeping many of them is a visible cost).

    The schema has checked the text as RFC 3339, which Python 3.11's `fromisoformat`
    reads directly (a third of the cost of the general parser, over every timestamp of
    every record); what it cannot read goes to `parse_timestamp`."""
    try:
        value = _fromisoformat(text)
    except ValueError:
        value = parse_timestamp(text)
    if value.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no offset")
    moment = value.astimezone(UTC)
    if not EARLIEST <= moment <= LATEST:
        raise OverflowError(f"timestamp {text!r} is too near the edge of the calendar")
    return moment


_fromisoformat = datetime.fromisoformat
# Every time the model holds can be shown in any time zone: a zone's offset (its local
# mean time before 1900 included, such as -10:29:20) stays well under a day, so a day's
# margin from Python's first and last instant keeps every conversion in range.
EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)


def _maybe(text: str | None) -> datetime | None:
    return None if text is None else instant(text)


def _affected(items: list[Data] | None) -> tuple[t.Affected, ...]:
    if not items:  # most timeline entries: no generator made for nothing (a hot path)
        return ()
    return tuple(t.Affected(item["id"], item["status"]) for item in items)


def _entries(items: list[Data] | None) -> tuple[t.Entry, ...]:
    if not items:
        return ()
    entry = t.Entry
    return tuple([
        entry(instant(item["at"]), item["message"], item.get("status"),
              item.get("public", True), item.get("author"),
              _affected(item["services"]) if "services" in item else (),
              "assignee" in item or "team" in item)
        for item in items
    ])


def service(data: Data) -> t.Service:
    return t.Service(
        data["id"], data["name"], data["owner"], data.get("description"), data.get("group"),
        data.get("visibility", "public"), data.get("sla"), tuple(data.get("depends_on", ())),
        data.get("position"),
    )


def team(data: Data) -> t.Team:
    return t.Team(data["id"], data["name"], tuple(data["members"]), data.get("lead"),
                  data.get("description"), data.get("email"))


def person(data: Data) -> t.Person:
    return t.Person(data["id"], data["name"], data["email"], data.get("status", "active"),
                    _maybe(data.get("left_at")), dict(data.get("accounts") or {}),
                    data.get("github"))


def calendar(data: Data) -> t.Calendar:
    hours = data["hours"]
    week = hours if hours == "always" else {day: tuple(ranges) for day, ranges in hours.items()}
    return t.Calendar(data["id"], data["timezone"], week, data.get("name"),
                      tuple(date.fromisoformat(day) for day in data.get("holidays", ())),
                      data.get("holiday_country"))


def _duration(text: str | None) -> Any:
    return None if text is None else parse_duration(text)


_BUSINESS_DAYS = re.compile(r"^([0-9]+)bd")


def _target(target: Data) -> t.Target:
    """A target; `2bd4h` holds 2 business days and 4 hours of working time."""
    times: dict[str, timedelta | None] = {}
    days: dict[str, int] = {}
    for metric in ("response", "resolution"):
        text = target.get(metric)
        found = _BUSINESS_DAYS.match(text) if text is not None else None
        if text is not None and found is not None:
            days[metric], text = int(found[1]), text[found.end():] or "0s"
        times[metric] = _duration(text)
    return t.Target(times["response"], times["resolution"], dict(target), days)


def _recipient(item: str | Data) -> t.Recipient:
    if isinstance(item, str):  # the schema allows three words here
        return t.Recipient(item)  # type: ignore[arg-type]
    if "person" in item:
        return t.Recipient("person", item["person"])
    return t.Recipient("team", item["team"])


def _escalation(level: Data) -> t.Escalation:
    notify = level["notify"]
    return t.Escalation(level["at"], tuple(_recipient(item) for item in (
        notify if isinstance(notify, list) else [notify])), level.get("metric"))


def sla(data: Data) -> t.SLA:
    targets = {priority: _target(target) for priority, target in data["targets"].items()}
    return t.SLA(
        data["id"], data["name"], data["type"], targets, data.get("calendar"),
        frozenset(data.get("pause_on", ())), data.get("warn_at", 75),
        tuple(data.get("applies_to", ())), data.get("description"),
        tuple(_escalation(level) for level in data.get("escalations", ())),
    )


def _origin(item: Data | None) -> t.Origin | None:
    if item is None:
        return None
    return t.Origin(item["channel"], item.get("github_issue"), item.get("github_user"),
                    item.get("email"), item.get("message_id"))


def incident(data: Data) -> t.Incident:
    get = data.get
    return t.Incident(
        data["id"], data["title"], _affected(data["services"]), data["impact"],
        data["urgency"], data["priority"], data["status"], instant(data["opened_at"]),
        _maybe(get("acknowledged_at")), _maybe(get("resolved_at")), _maybe(get("closed_at")),
        get("major", False), get("team"), get("assignee"), get("visibility", "public"),
        get("problem"), get("known_error"), get("category"), get("description"),
        get("postmortem"), get("reopen_count", 0),
        tuple(_alert(a) for a in get("alerts") or ()),
        _entries(get("timeline")), origin=_origin(get("origin")),
    )


def problem(data: Data) -> t.Problem:
    get = data.get
    return t.Problem(
        data["id"], data["title"], data["status"], instant(data["opened_at"]),
        tuple(get("incidents", ())), tuple(get("services", ())), get("priority"),
        get("owner"), get("root_cause"), _maybe(get("resolved_at")),
        _maybe(get("closed_at")), get("description"),
    )


def known_error(data: Data) -> t.KnownError:
    get = data.get
    return t.KnownError(
        data["id"], data["title"], data["status"], data["symptoms"], data["workaround"],
        get("problem"), tuple(get("services", ())), tuple(get("match", ())),
        get("root_cause"), get("fix"), _maybe(get("opened_at")), _maybe(get("fixed_at")),
    )


def service_request(data: Data) -> t.ServiceRequest:
    get = data.get
    return t.ServiceRequest(
        data["id"], data["title"], data["service"], data["requested_by"], data["status"],
        data["priority"], instant(data["opened_at"]), _maybe(get("acknowledged_at")),
        _maybe(get("resolved_at")), get("team"), get("assignee"), get("access_policy"),
        tuple(t.Approval(a["by"], instant(a["at"]), a.get("comment"), a["decision"])
              for a in get("approvals") or ()),
        _entries(get("timeline")), get("description"),
        origin=_origin(get("origin")),
        type=get("type"), answers=_answers(get("answers")), done=_done(get("timeline")),
    )


def _answers(answers: Data | None) -> dict[str, t.Answer]:
    return {key: tuple(value) if isinstance(value, list) else value
            for key, value in (answers or {}).items()}


def _done(items: list[Data] | None) -> tuple[t.Done, ...]:
    """The steps each entry ticks off (a step's number may be written as a number)."""
    return tuple(t.Done(str(step), instant(item["at"]), index)
                 for index, item in enumerate(items or ()) for step in item.get("done", ()))


def request_type(data: Data) -> t.RequestType:
    get = data.get
    fulfilment = data["fulfilment"]
    steps = tuple(
        t.FulfilmentStep(str(number), step) if isinstance(step, str)
        else t.FulfilmentStep(step["id"], step["text"])
        for number, step in enumerate(fulfilment.get("steps", ()), start=1))
    stages = tuple(
        t.ApprovalStage(stage["name"], t.Approvers(
            stage["approvers"].get("policy_owners"), stage["approvers"].get("team"),
            tuple(stage["approvers"].get("people", ())),
            stage["approvers"].get("requester_lead", False)), stage.get("count", 1))
        for stage in data["approval"].get("stages", ()))
    form = tuple(
        t.FormField(item["id"], item["label"], item["type"], item.get("required", False),
                    tuple(item.get("options", ())), item.get("help"), item.get("pattern"))
        for item in get("form", ()))
    return t.RequestType(
        data["id"], data["name"], data["description"], data["service"],
        t.Fulfilment(fulfilment["team"], fulfilment.get("sla"), steps), stages, form,
        get("priority", "P4"), get("access_policy"))


def maintenance(data: Data) -> t.Maintenance:
    get = data.get
    return t.Maintenance(
        data["id"], data["title"], tuple(data["services"]), instant(data["scheduled_start"]),
        instant(data["scheduled_end"]), data["status"], get("visibility", "public"),
        _entries(get("timeline")), get("description"), _recurrence(data),
        tuple(_alert(a) for a in get("alerts") or ()),
    )


def _recurrence(data: Data) -> t.Recurrence | None:
    rule = data.get("recurrence")
    if rule is None:
        return None
    extensions = tuple((instant(item["at"]), instant(item["scheduled_end"]))
                       for item in data.get("timeline") or () if "scheduled_end" in item)
    return t.Recurrence(rule["rule"], rule["timezone"], extensions)


def _alert(item: Data) -> t.Alert:
    return t.Alert(item["fingerprint"], item.get("name"), item.get("source"),
                   _maybe(item.get("started_at")), _maybe(item.get("resolved_at")),
                   item.get("service"))


def system(data: Data) -> t.System:
    get = data.get
    return t.System(data["id"], data["provider"], dict(get("connection") or {}),
                    tuple(get("break_glass", ())), get("name"), get("owner"),
                    get("description"))


def access_policy(data: Data) -> t.AccessPolicy:
    get = data.get
    grants = tuple(
        t.Grant(g["subject"], g["justification"], g["approved_by"],
                _maybe(g.get("approved_at")), _maybe(g.get("expires")), g.get("ticket"))
        for g in data["grants"]
    )
    return t.AccessPolicy(data["id"], data["system"], data["role"], tuple(data["owners"]),
                          grants, get("exclusive", False), _duration(get("max_duration")),
                          get("description"))


def unusable(record: Record, error: Exception) -> Finding:
    """The finding for a record that passed its schema but holds a value the model cannot
    hold: a time that, in UTC, falls outside 2 January of year 1 to 30 December 9999, the
    range every time zone can show (the schema's format allows any year, and any offset,
    on either side). It points at the first such time."""
    for place, value in _texts(record.data, ()):
        try:
            instant(value)
        except (ValueError, OverflowError):
            return record.finding(
                VALUE_RULE, f"{field_name(place)}: {shown(value)} lies outside the times "
                "itsm can hold (2 January of year 1 to 30 December 9999, in UTC): write the "
                "time it really was",
                place)
    return record.finding(VALUE_RULE, f"a value cannot be used: {error}")


def _texts(value: object, place: tuple[Key, ...]) -> Iterator[tuple[tuple[Key, ...], str]]:
    """Every timestamp-looking text of a record's data, with its place."""
    if isinstance(value, str):
        if _TIMESTAMP.match(value):
            yield place, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*place, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*place, index))


_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")

def subscription(data: Data) -> t.Subscription:
    get = data.get
    return t.Subscription(
        data["id"], data["channel"], tuple(get("services", ())), tuple(get("groups", ())),
        tuple(get("kinds", ())), tuple(get("events", ())), tuple(get("priorities", ())),
        get("audience", "public"), get("requester", False), get("description"),
    )


def channel(data: Data) -> t.Channel:
    get = data.get
    smtp = get("smtp")
    server = None if smtp is None else t.Smtp(
        smtp["host"], smtp.get("port", 587), smtp.get("starttls", True),
        smtp.get("username_env"), smtp.get("password_env"))
    return t.Channel(data["id"], data["type"], data["audience"], get("name"),
                     get("description"), get("url_env"), get("secret_env"), server,
                     get("from"), tuple(get("to", ())))


def routine(data: Data) -> t.Routine:
    get = data.get
    kind, text = next(iter(data["schedule"].items()))
    evidence = tuple(
        t.EvidenceRule(key, rule["type"], rule.get("required", True), rule.get("min"),
                       rule.get("max"), rule.get("min_ratio_of_previous"),
                       rule.get("max_ratio_of_previous"), rule.get("description"))
        for key, rule in (get("evidence") or {}).items())
    return t.Routine(data["id"], data["name"], data["service"], data["team"], (kind, text),
                     parse_duration(data["grace"]), get("timezone"), get("calendar"),
                     _maybe(get("since")), evidence, get("runbook"), get("description"))


READERS: dict[str, Callable[[Data], Any]] = {
    "Service": service, "Team": team, "Person": person, "Calendar": calendar, "SLA": sla,
    "Incident": incident, "Problem": problem, "KnownError": known_error,
    "ServiceRequest": service_request, "Maintenance": maintenance, "System": system,
    "AccessPolicy": access_policy,
    "RequestType": request_type,
    "Subscription": subscription,
    "Channel": channel,
    "Routine": routine,
}
