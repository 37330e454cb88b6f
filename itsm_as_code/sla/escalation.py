"""Escalation levels: whom a running SLA clock names once it has used a share of its
target (an SLA's `escalations`).

The clocks (clocks.py) note which levels each running clock has reached and when; this
module says whom each level names, as people of the model: `assignee` is the record's
assignee, `team` the record's team (else the owner team of the clock's service),
`team_lead` that team's lead, `{person: ID}` and `{team: ID}` a named person or a named
team's members. People who have left are never named. `check.reached_levels(ctx)` is the
one list of every level reached in a run, for `itsm sla check` and for whatever tells
those people.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from itsm_as_code.model.model import Model
from itsm_as_code.model.types.itil import Clocked
from itsm_as_code.model.types.organisation import Escalation, Recipient
from itsm_as_code.sla.clocks import Clock
from itsm_as_code.sla.history import moment_of
from itsm_as_code.sla.spec import SlaSpec


@dataclass(frozen=True)
class Named:
    """A person a level names: id and name (never the e-mail: output may be public)."""

    id: str
    name: str


@dataclass(frozen=True)
class Reached:
    """One escalation level a running clock has reached."""

    clock: Clock
    level: int  # 1 for the SLA's first level of any metric, in the order written
    escalation: Escalation
    reached_at: datetime  # UTC
    people: tuple[Named, ...]

    @property
    def record(self) -> str:
        return self.clock.record

    @property
    def notify(self) -> list[str]:
        """The recipients as written: `assignee`, `team_lead`, `person:carol`."""
        return [r.role if r.id is None else f"{r.role}:{r.id}"
                for r in self.escalation.notify]

    def as_dict(self, zone_text: str | None) -> dict[str, object]:
        """The level for JSON; `zone_text` is `reached_at` as the output shows times."""
        return {"level": self.level, "at": self.escalation.at, "reached_at": zone_text,
                "notify": self.notify,
                "people": [{"id": person.id, "name": person.name} for person in self.people]}


def levels_of(model: Model, slas: Mapping[str, SlaSpec], clocks: list[Clock]) -> list[Reached]:
    """Every escalation level reached by the running `clocks`: per clock, its levels in
    the order they were reached."""
    found: list[Reached] = []
    for clock in clocks:
        if not clock.escalated:
            continue
        item: Clocked | None = model.incidents.get(clock.record) or model.requests.get(
            clock.record)
        levels = slas[clock.sla].escalations
        for index, instant in sorted(clock.escalated, key=lambda pair: (pair[1], pair[0])):
            people = tuple(_people(model, item, clock.service, levels[index].notify))
            found.append(Reached(clock, index + 1, levels[index], moment_of(instant), people))
    return found


def highest(levels: list[Reached]) -> dict[tuple[str, str, str, str], Reached]:
    """The highest level each clock has reached, by (record, service, SLA, metric)."""
    top: dict[tuple[str, str, str, str], Reached] = {}
    for reached in levels:
        clock = reached.clock
        key = (clock.record, clock.service, clock.sla, clock.metric)
        if key not in top or reached.level > top[key].level:
            top[key] = reached
    return top


def _people(model: Model, item: Clocked | None, service: str,
            recipients: tuple[Recipient, ...]) -> Iterator[Named]:
    seen: set[str] = set()
    for recipient in recipients:
        for person_id in _ids(model, item, service, recipient):
            person = model.people.get(person_id)
            if person is not None and person.active and person_id not in seen:
                seen.add(person_id)
                yield Named(person.id, person.name)


def _ids(model: Model, item: Clocked | None, service: str,
         recipient: Recipient) -> tuple[str, ...]:
    if recipient.role == "person":
        return (recipient.id,) if recipient.id is not None else ()
    if recipient.role == "assignee":
        return (item.assignee,) if item is not None and item.assignee else ()
    team_id = recipient.id if recipient.id is not None else _team_of(model, item, service)
    team = model.teams.get(team_id) if team_id is not None else None
    if team is None:
        return ()
    if recipient.role == "team_lead":
        return (team.lead,) if team.lead else ()
    return team.members


def _team_of(model: Model, item: Clocked | None, service: str) -> str | None:
    """The record's team, else the owner team of the clock's service."""
    if item is not None and item.team:
        return item.team
    owner = model.services.get(service)
    return owner.owner if owner is not None else None
