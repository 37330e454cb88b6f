"""The service catalogue page: what can be asked for, by service, with the time it
usually takes and how to ask.

A public build lists the request types of public services only: a type of an internal
service (and so anything about the service) never reaches it. What a type shows is
public by nature (its name, description, whether it needs approval and the names of its
approval stages, its expected time); who approves, by name, is not shown in either build.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from itsm_as_code.model.context import RunContext
from itsm_as_code.model.model import Model
from itsm_as_code.model.types.catalogue import RequestType
from itsm_as_code.model.types.organisation import SLA
from itsm_as_code.sla.agreements import Agreements, load_agreements
from itsm_as_code.sla.spec import working_hours
from itsm_as_code.templating import duration_text

INCIDENT_FORM = "incident"  # the problem report's issue form (`itsm desk forms`)


@dataclass(frozen=True)
class Offer:
    """One request type as the catalogue shows it."""

    id: str
    name: str
    description: str  # markdown
    standard: bool  # pre-approved: no approval needed
    stages: tuple[str, ...]  # the approval stages' names, in order
    expected: str | None  # the fulfilment target as people read it; None: none agreed
    ask: str | None  # the issue form's address; None without itsm.yaml's site.repository


@dataclass(frozen=True)
class Offering:
    """The request types of one service."""

    service: str
    name: str
    internal: bool
    offers: tuple[Offer, ...]


@dataclass(frozen=True)
class Catalogue:
    services: tuple[Offering, ...]
    report: str | None  # the problem report's issue form, when the repository is known

    @property
    def empty(self) -> bool:
        return not self.services


def catalogue(ctx: RunContext, internal: bool, repository: str) -> Catalogue:
    """The catalogue a build of this audience shows; `repository` is itsm.yaml's
    `site.repository` (empty: the page says how to ask without a link)."""
    model, agreements = ctx.model, ctx.shared(load_agreements)
    by_service: dict[str, list[Offer]] = {}
    for kind in model.request_types.values():
        service = model.services.get(kind.service)
        if service is None or (service.internal and not internal):
            continue
        by_service.setdefault(service.id, []).append(
            _offer(kind, model, agreements, repository))
    services = model.services
    ordered = sorted(by_service, key=lambda sid: (
        services[sid].position if services[sid].position is not None else 10**6,
        services[sid].name.lower(), sid))
    return Catalogue(
        tuple(Offering(sid, services[sid].name, services[sid].internal,
                       tuple(sorted(by_service[sid], key=lambda o: (o.name.lower(), o.id))))
              for sid in ordered),
        _form(repository, INCIDENT_FORM) if repository else None)


def _offer(kind: RequestType, model: Model, agreements: Agreements, repository: str
           ) -> Offer:
    return Offer(kind.id, kind.name, kind.description, kind.standard,
                 tuple(stage.name for stage in kind.stages),
                 expected(kind, model, agreements),
                 _form(repository, kind.id) if repository else None)


def _form(repository: str, key: str) -> str:
    return f"{repository}/issues/new?template={quote(key, safe='')}.yml"


def fulfilment_sla(kind: RequestType, model: Model, agreements: Agreements) -> SLA | None:
    """The SLA a type's requests are fulfilled under, chosen as their clocks choose it
    (its own, else its service's); None when there is none, it cannot be used, or it
    does not cover service requests."""
    spec = agreements.sla_for("ServiceRequest", kind.service, kind.id)
    return model.slas.get(spec.id) if spec is not None else None


def expected(kind: RequestType, model: Model, agreements: Agreements) -> str | None:
    """The resolution target of the type's priority, as people read it: `3 business
    days`, `1 business day and 4 h`, `8 h of working time`, or `2 d` around the clock."""
    sla = fulfilment_sla(kind, model, agreements)
    target = sla.targets.get(kind.priority) if sla is not None else None
    if sla is None or target is None or target.resolution is None:
        return None
    days = target.business_days.get("resolution", 0)
    rest = target.resolution
    if days:
        text = f"{days} business day{'s' if days != 1 else ''}"
        return f"{text} and {duration_text(rest)}" if rest.total_seconds() >= 60 else text
    working = working_hours(sla, model.calendars)
    return duration_text(rest) + (" of working time" if working else "")
