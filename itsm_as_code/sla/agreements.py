"""The SLAs of a repository, ready for clocks: targets, pause states, working time.

Calendars and SLAs that cannot be used (a broken record, a missing calendar) are left
out with a finding each, so one bad calendar costs its own clocks and nothing else.
Computed once per run (`ctx.shared(load_agreements)`): `itsm run`, the site's SLA
dashboard and the report share them. `Agreements.sla_for` is the one choice of the SLA a
record's clocks run under, read by the clocks (so `itsm sla check`, the desk's answers, the
queue and the report) and by the catalogue page alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from itsm_as_code.findings import Finding
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.model import Model
from itsm_as_code.sla.calendar import WorkingTime, working_time
from itsm_as_code.sla.spec import (
    CALENDAR_RULE,
    TARGET_RULE,
    CalendarSpec,
    SlaSpec,
    read_calendar,
    read_sla,
    working_hours,
)

CLOCK_RULE = "sla"  # what the clocks say about records (the rule column of a finding)
LEFT_OUT = ("left out of the SLA clocks and reports: the record does not match its schema "
            "(`itsm validate` says why)")


@dataclass(frozen=True)
class Agreements:
    """Every usable SLA, the working time of each, the SLA of each service and the
    fulfilment SLA of each request type that names one."""

    slas: dict[str, SlaSpec] = field(default_factory=dict)
    time: dict[str, WorkingTime] = field(default_factory=dict)  # by SLA id
    by_service: dict[str, str] = field(default_factory=dict)  # service id -> SLA id
    # request type id -> the SLA its `fulfilment.sla` names, usable or not: a type whose
    # SLA is broken has no clocks (the SLA's finding says why) rather than its service's.
    by_type: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def sla_for(self, kind: str, service: str, request_type: str | None = None
                ) -> SlaSpec | None:
        """The SLA whose clocks a record of `kind` has on `service`: for a request of a
        type whose fulfilment names an SLA, that one, else the service's; None when there
        is none, it cannot be used, or its `applies_to` leaves `kind` out."""
        sla_id = self.by_type.get(request_type) if request_type is not None else None
        if sla_id is None:
            sla_id = self.by_service.get(service)
        sla = self.slas.get(sla_id) if sla_id is not None else None
        return sla if sla is not None and kind in sla.applies_to else None


def refusals(model: Model, kind: str) -> list[Finding]:
    """A warning for each record of `kind` the schema refused: the clocks leave it out."""
    return [Finding(record.path, 1, 1, CLOCK_RULE, LEFT_OUT, record.id or None, "warning")
            for record in model.refused(kind)]


def load_agreements(ctx: RunContext) -> Agreements:
    model = ctx.model
    found = Agreements(findings=refusals(model, "Calendar"))
    calendars: dict[str, CalendarSpec] = {}
    for calendar in model.calendars.values():
        spec, flaws = read_calendar(calendar)
        record = model.source(calendar.id)
        found.findings.extend(record.finding(CALENDAR_RULE, f.text, f.at) for f in flaws)
        if spec is not None:
            calendars[calendar.id] = spec
    found.findings.extend(refusals(model, "SLA"))
    shared: dict[str, WorkingTime] = {}
    for sla in model.slas.values():
        terms, flaws = read_sla(sla, working_hours(sla, model.calendars))
        record = model.source(sla.id)
        found.findings.extend(record.finding(TARGET_RULE, f.text, f.at) for f in flaws)
        if terms is None:
            continue
        if terms.calendar is not None and terms.calendar not in calendars:
            found.findings.append(record.finding(
                CLOCK_RULE, f"calendar '{terms.calendar}' is missing or invalid: this SLA's "
                "clocks are left out until it is fixed", ("calendar",)))
            continue
        key = terms.calendar or ""
        if key not in shared:  # one working-time table per calendar, however many SLAs
            shared[key] = working_time(calendars.get(key))
        found.slas[terms.id] = terms
        found.time[terms.id] = shared[key]
    for service in model.services.values():
        if service.sla is not None and service.sla in found.slas:
            found.by_service[service.id] = service.sla
    for kind in model.request_types.values():
        if kind.fulfilment.sla is not None:
            found.by_type[kind.id] = kind.fulfilment.sla
    return found
