"""`itsm problems detect --write`: a Problem record for each candidate, ready for review."""

from __future__ import annotations

from itsm_as_code.authoring.ids import next_id
from itsm_as_code.authoring.new import Created, create
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.lifecycle import PRIORITIES
from itsm_as_code.model.model import Model
from itsm_as_code.problems.detect import Candidate
from itsm_as_code.store.kinds import KINDS

_TITLE_LENGTH = 200


def write_problems(ctx: RunContext, candidates: list[Candidate]) -> list[Created]:
    """One new Problem per candidate, opened at the run's `now`, each checked like
    `itsm new problem` before it is written; ids follow the highest problem id in use."""
    prefix = KINDS["Problem"].id_prefix
    assert prefix is not None
    repo, model = ctx.repo, ctx.model
    taken = set(repo.by_id)
    written: list[Created] = []
    for candidate in candidates:
        record_id = next_id(prefix, taken)
        taken.add(record_id)
        written.append(create(
            ctx, "Problem", record_id, title=title(model, candidate),
            incidents=[item.id for item in candidate.incidents],
            services=list(candidate.services), owner=_owner(model, candidate.services[0]),
            priority=_priority(candidate),
        ))
    return written


def title(model: Model, candidate: Candidate) -> str:
    """`Recurring on Webhooks: <the latest incident's title>`."""
    names = [service.name if (service := model.services.get(service_id)) else service_id
             for service_id in candidate.services]
    latest = candidate.incidents[-1].incident.title
    text = f"Recurring on {', '.join(names)}: {latest}"
    return text if len(text) <= _TITLE_LENGTH else text[: _TITLE_LENGTH - 3].rstrip() + "..."


def _priority(candidate: Candidate) -> str | None:
    """The highest priority of the candidate's incidents."""
    found = {item.incident.priority for item in candidate.incidents}
    return next((priority for priority in PRIORITIES if priority in found), None)


def _owner(model: Model, service_id: str) -> str | None:
    """The lead of the team that owns the service, when that person has not left: a
    problem's owner is a person, a service's owner a team."""
    service = model.services.get(service_id)
    team = model.teams.get(service.owner) if service is not None else None
    person = model.people.get(team.lead) if team is not None and team.lead else None
    if person is None or not person.active:
        return None
    return person.id
