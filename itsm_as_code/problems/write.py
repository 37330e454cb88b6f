"""`itsm problems detect --write`: a Problem record for each candidate, ready for review."""

from __future__ import annotations

from datetime import datetime

from itsm_as_code.authoring.ids import next_id
from itsm_as_code.authoring.new import Created, create
from itsm_as_code.problems.detect import Candidate
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.repository import Repository

PRIORITIES = ("P1", "P2", "P3", "P4", "P5")
_TITLE_LENGTH = 200


def write_problems(repo: Repository, candidates: list[Candidate], now: datetime
                   ) -> list[Created]:
    """One new Problem per candidate, each checked like `itsm new problem` before it is
    written; ids follow the highest problem id in use."""
    prefix = KINDS["Problem"].id_prefix
    assert prefix is not None
    taken = set(repo.by_id)
    written: list[Created] = []
    for candidate in candidates:
        record_id = next_id(prefix, taken)
        taken.add(record_id)
        written.append(create(
            repo, "Problem", now, record_id, title=title(repo, candidate),
            incidents=[item.id for item in candidate.incidents],
            services=list(candidate.services), owner=_owner(repo, candidate.services[0]),
            priority=_priority(candidate),
        ))
    return written


def title(repo: Repository, candidate: Candidate) -> str:
    """`Recurring on Webhooks: <the latest incident's title>`."""
    names = []
    for service_id in candidate.services:
        service = repo.get(service_id, ["Service"])
        name = service.get("name") if service is not None else None
        names.append(name if isinstance(name, str) else service_id)
    latest = candidate.incidents[-1].record.get("title")
    text = f"Recurring on {', '.join(names)}: {latest if isinstance(latest, str) else ''}"
    return text if len(text) <= _TITLE_LENGTH else text[: _TITLE_LENGTH - 3].rstrip() + "..."


def _priority(candidate: Candidate) -> str | None:
    """The highest priority of the candidate's incidents."""
    found = {item.record.get("priority") for item in candidate.incidents}
    return next((priority for priority in PRIORITIES if priority in found), None)


def _owner(repo: Repository, service_id: str) -> str | None:
    """The lead of the team that owns the service, when that person has not left: a
    problem's owner is a person, a service's owner a team."""
    service = repo.get(service_id, ["Service"])
    team_id = service.get("owner") if service is not None else None
    team = repo.get(team_id, ["Team"]) if isinstance(team_id, str) else None
    lead = team.get("lead") if team is not None else None
    person = repo.get(lead, ["Person"]) if isinstance(lead, str) else None
    if person is None or person.get("status") == "left":
        return None
    return person.id
