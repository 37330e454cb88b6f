"""The fields of a new record of each kind, from what the user gave and sensible defaults
(read from the model of the records already there: a service's owner and visibility, an
incident's services)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from itsm_as_code.authoring import catalogue
from itsm_as_code.authoring.hours import read_hours
from itsm_as_code.authoring.routines import routine
from itsm_as_code.errors import UsageError
from itsm_as_code.model.model import Model
from itsm_as_code.timefmt import format_timestamp
from itsm_as_code.yamlerrors import shown

Fields = dict[str, Any]
DEFAULT_COMPONENT_STATUS = "partial_outage"


def _set(fields: Fields, **optional: Any) -> Fields:
    """`fields` plus each optional value that was given (empty lists and None left out)."""
    fields.update({name: value for name, value in optional.items() if value not in (None, [], ())})
    return fields


def _visibility(model: Model, services: list[str]) -> str:
    found = [model.services.get(service) for service in services]
    internal = found and all(s is not None and s.internal for s in found)
    return "internal" if internal else "public"


def incident(
    model: Model, now: datetime, *, title: str, services: list[str], impact: str,
    urgency: str, message: str | None = None, team: str | None = None,
    assignee: str | None = None, major: bool = False, category: str | None = None,
) -> Fields:
    """An incident opened now; `services` are `ID` or `ID:COMPONENT_STATUS`."""
    affected = []
    for entry in services:
        service, _, status = entry.partition(":")
        affected.append({"id": service, "status": status or DEFAULT_COMPONENT_STATUS})
    first = model.services.get(affected[0]["id"]) if affected else None
    opened = format_timestamp(now)
    fields: Fields = {
        "title": title,
        "services": affected,
        "impact": impact,
        "urgency": urgency,
        "priority": model.repo.config.priority(impact, urgency),
        "status": "investigating" if message else "new",
        "major": major,
        "opened_at": opened,
        "visibility": _visibility(model, [a["id"] for a in affected]),
    }
    _set(fields, category=category, team=team or (first.owner if first else None),
         assignee=assignee)
    fields["timeline"] = (
        [{"at": opened, "status": "investigating", "public": True, "message": message}]
        if message else []
    )
    return fields


def problem(
    model: Model, now: datetime, *, title: str, incidents: list[str],
    services: list[str], owner: str | None = None, priority: str | None = None,
) -> Fields:
    """A new problem; its services default to those of its incidents."""
    if not services:
        for incident_id in incidents:
            found = model.incidents.get(incident_id)
            for service_id in found.service_ids if found else ():
                if service_id not in services:
                    services.append(service_id)
    fields: Fields = {"title": title, "status": "new", "opened_at": format_timestamp(now)}
    return _set(fields, incidents=incidents, services=services, owner=owner, priority=priority)


def known_error(
    model: Model, now: datetime, *, title: str, symptoms: str, workaround: str,
    problem: str | None = None, services: list[str], match: list[str],
) -> Fields:
    fields: Fields = {"title": title, "status": "open"}
    _set(fields, problem=problem, services=services)
    fields.update(symptoms=symptoms, workaround=workaround)
    return _set(fields, match=match, opened_at=format_timestamp(now))


def service_request(
    model: Model, now: datetime, *, title: str, service: str | None, requested_by: str,
    priority: str | None, team: str | None = None, access_policy: str | None = None,
    description: str | None = None, type: str | None = None, answers: Sequence[str] = (),
) -> Fields:
    """A request, submitted now; with a `type`, its service, team, access policy and
    priority default to the type's, and `answers` (`KEY=VALUE`) are read as its form
    takes them."""
    kind = model.request_types.get(type) if type else None
    if type and kind is None:
        raise UsageError(f"--type: no request type with id '{shown(type)}': see "
                         f"{model.repo.config.records}/request-types/")
    if kind is not None:
        service = service or kind.service
        team = team or kind.fulfilment.team
        access_policy = access_policy or kind.access_policy
        priority = priority or kind.priority
    if service is None:
        raise UsageError("--service: name the Service the request is made on, or its --type")
    fields: Fields = {"title": title}
    _set(fields, description=description)
    fields.update(service=service, requested_by=requested_by)
    _set(fields, team=team, access_policy=access_policy, type=type)
    if answers:
        fields["answers"] = catalogue.answers(kind, list(answers)) if kind else dict(
            pair.partition("=")[::2] for pair in answers)
    priority = priority or "P4"
    fields.update(status="submitted", priority=priority, opened_at=format_timestamp(now),
                  timeline=[])
    return fields


def maintenance(
    model: Model, now: datetime, *, title: str, services: list[str], start: datetime,
    end: datetime, description: str | None = None,
) -> Fields:
    fields: Fields = {"title": title}
    _set(fields, description=description)
    fields.update(services=services, scheduled_start=format_timestamp(start),
                  scheduled_end=format_timestamp(end), status="scheduled",
                  visibility=_visibility(model, services), timeline=[])
    return fields


def service(
    model: Model, now: datetime, *, name: str, owner: str, group: str | None = None,
    sla: str | None = None, visibility: str = "public", description: str | None = None,
    depends_on: list[str],
) -> Fields:
    fields: Fields = {"name": name}
    _set(fields, description=description, group=group)
    fields.update(owner=owner, visibility=visibility)
    return _set(fields, sla=sla, depends_on=depends_on)


def team(model: Model, now: datetime, *, name: str, members: list[str],
         lead: str | None = None) -> Fields:
    return _set({"name": name}, lead=lead) | {"members": members}


def person(model: Model, now: datetime, *, name: str, email: str) -> Fields:
    return {"name": name, "email": email, "status": "active"}


def calendar(model: Model, now: datetime, *, timezone: str, hours: list[str],
             holidays: list[str], holiday_country: str | None = None) -> Fields:
    """A calendar; `hours` are the `--hours` options (see authoring/hours.py)."""
    fields: Fields = {"timezone": timezone, "hours": read_hours(hours)}
    return _set(fields, holidays=holidays, holiday_country=holiday_country)


def sla(model: Model, now: datetime, *, name: str, agreement: str, targets: list[str],
        calendar: str | None = None, pause_on: list[str], warn_at: int = 75) -> Fields:
    """An SLA; each target is `P1=15m/4h` (response/resolution; either may be `-`)."""
    parsed: dict[str, dict[str, str]] = {}
    for target in targets:
        priority, _, times = target.partition("=")
        response, _, resolution = times.partition("/")
        parsed[priority] = {
            metric: value
            for metric, value in (("response", response), ("resolution", resolution))
            if value and value != "-"
        }
    fields: Fields = {"name": name, "type": agreement}
    _set(fields, calendar=calendar, pause_on=pause_on)
    return fields | {"warn_at": warn_at, "targets": parsed}


def system(model: Model, now: datetime, *, provider: str, name: str | None = None,
           connection: list[str], break_glass: list[str]) -> Fields:
    """A system; each connection setting is `KEY=VALUE` (secrets only as `*_env` names)."""
    settings = dict(item.partition("=")[::2] for item in connection)
    fields: Fields = {}
    _set(fields, name=name)
    fields["provider"] = provider
    return _set(fields, connection=settings, break_glass=break_glass)


def access_policy(model: Model, now: datetime, *, system: str, role: str,
                  owners: list[str], exclusive: bool = False) -> Fields:
    return {"system": system, "role": role, "owners": owners, "exclusive": exclusive,
            "grants": []}


def channel(model: Model, now: datetime, *, channel_type: str, audience: str,
            name: str | None = None, url_env: str | None = None,
            secret_env: str | None = None, smtp_host: str | None = None,
            smtp_port: int = 587, username_env: str | None = None,
            password_env: str | None = None, sender: str | None = None,
            to: list[str]) -> Fields:
    """A channel; secrets only as the names of environment variables (`*_env`)."""
    fields: Fields = {}
    _set(fields, name=name)
    fields |= {"type": channel_type, "audience": audience}
    _set(fields, url_env=url_env, secret_env=secret_env)
    if smtp_host is not None:
        fields["smtp"] = _set({"host": smtp_host, "port": smtp_port, "starttls": True},
                              username_env=username_env, password_env=password_env)
    if sender is not None:
        fields["from"] = sender
    return _set(fields, to=to)


def subscription(model: Model, now: datetime, *, channel: str, services: list[str],
                 groups: list[str], kinds: list[str], events: list[str],
                 priorities: list[str], audience: str = "public",
                 description: str | None = None) -> Fields:
    """A subscription: which events go to one channel (filters left out match all)."""
    fields: Fields = _set({}, description=description)
    fields["channel"] = channel
    _set(fields, services=services, groups=groups, kinds=kinds, events=events,
         priorities=priorities)
    fields["audience"] = audience
    return fields


BUILDERS: dict[str, Callable[..., Fields]] = {
    "Routine": routine,
    "Incident": incident,
    "Problem": problem,
    "KnownError": known_error,
    "ServiceRequest": service_request,
    "Maintenance": maintenance,
    "Service": service,
    "Team": team,
    "Person": person,
    "Calendar": calendar,
    "SLA": sla,
    "System": system,
    "AccessPolicy": access_policy,
    "Channel": channel,
    "Subscription": subscription,
    "RequestType": catalogue.request_type,
}
