"""Services, teams, people, calendars, SLAs, systems and access policies, read from
their records' data.

A reader trusts the schema: it runs only on records that passed it, and a missing
optional field becomes None, empty or its schema default (model/build.py holds the
registry of readers by kind).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from itsm_as_code.model.readers.values import Data, duration, maybe
from itsm_as_code.model.types.organisation import (
    SLA,
    AccessPolicy,
    Calendar,
    Escalation,
    Grant,
    Person,
    Recipient,
    Service,
    System,
    Target,
    Team,
)


def service(data: Data) -> Service:
    return Service(
        data["id"], data["name"], data["owner"], data.get("description"), data.get("group"),
        data.get("visibility", "public"), data.get("sla"), tuple(data.get("depends_on", ())),
        data.get("position"),
    )


def team(data: Data) -> Team:
    return Team(data["id"], data["name"], tuple(data["members"]), data.get("lead"),
                  data.get("description"), data.get("email"))


def person(data: Data) -> Person:
    return Person(data["id"], data["name"], data["email"], data.get("status", "active"),
                    maybe(data.get("left_at")), dict(data.get("accounts") or {}),
                    data.get("github"))


def calendar(data: Data) -> Calendar:
    hours = data["hours"]
    week = hours if hours == "always" else {day: tuple(ranges) for day, ranges in hours.items()}
    return Calendar(data["id"], data["timezone"], week, data.get("name"),
                      tuple(date.fromisoformat(day) for day in data.get("holidays", ())),
                      data.get("holiday_country"))


_BUSINESS_DAYS = re.compile(r"^([0-9]+)bd")


def _target(target: Data) -> Target:
    """A target; `2bd4h` holds 2 business days and 4 hours of working time."""
    times: dict[str, timedelta | None] = {}
    days: dict[str, int] = {}
    for metric in ("response", "resolution"):
        text = target.get(metric)
        found = _BUSINESS_DAYS.match(text) if text is not None else None
        if text is not None and found is not None:
            days[metric], text = int(found[1]), text[found.end():] or "0s"
        times[metric] = duration(text)
    return Target(times["response"], times["resolution"], dict(target), days)


def _recipient(item: str | Data) -> Recipient:
    if isinstance(item, str):  # the schema allows three words here
        return Recipient(item)  # type: ignore[arg-type]
    if "person" in item:
        return Recipient("person", item["person"])
    return Recipient("team", item["team"])


def _escalation(level: Data) -> Escalation:
    notify = level["notify"]
    return Escalation(level["at"], tuple(_recipient(item) for item in (
        notify if isinstance(notify, list) else [notify])), level.get("metric"))


def sla(data: Data) -> SLA:
    targets = {priority: _target(target) for priority, target in data["targets"].items()}
    return SLA(
        data["id"], data["name"], data["type"], targets, data.get("calendar"),
        frozenset(data.get("pause_on", ())), data.get("warn_at", 75),
        tuple(data.get("applies_to", ())), data.get("description"),
        tuple(_escalation(level) for level in data.get("escalations", ())),
    )


def system(data: Data) -> System:
    get = data.get
    return System(data["id"], data["provider"], dict(get("connection") or {}),
                    tuple(get("break_glass", ())), get("name"), get("owner"),
                    get("description"))


def access_policy(data: Data) -> AccessPolicy:
    get = data.get
    grants = tuple(
        Grant(g["subject"], g["justification"], g["approved_by"],
                maybe(g.get("approved_at")), maybe(g.get("expires")), g.get("ticket"))
        for g in data["grants"]
    )
    return AccessPolicy(data["id"], data["system"], data["role"], tuple(data["owners"]),
                          grants, get("exclusive", False), duration(get("max_duration")),
                          get("description"))
