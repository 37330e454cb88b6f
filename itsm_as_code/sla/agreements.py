"""The SLAs of a repository, ready for clocks: targets, pause states, working time.

Calendars and SLAs that cannot be used (a broken record, a missing calendar) are left
out with a finding each, so one bad calendar costs its own clocks and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from itsm_as_code.findings import Finding
from itsm_as_code.sla.calendar import WorkingTime, working_time
from itsm_as_code.sla.spec import (
    CALENDAR_RULE,
    TARGET_RULE,
    CalendarSpec,
    SlaSpec,
    read_calendar,
    read_sla,
)
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.store.schema import SchemaCheck

CLOCK_RULE = "sla"  # what the clocks say about records (the rule column of a finding)


@dataclass
class Agreements:
    """Every usable SLA, the working time of each, and the SLA of each service."""

    slas: dict[str, SlaSpec] = field(default_factory=dict)
    time: dict[str, WorkingTime] = field(default_factory=dict)  # by SLA id
    by_service: dict[str, str] = field(default_factory=dict)  # service id -> SLA id
    findings: list[Finding] = field(default_factory=list)
    shape: SchemaCheck = field(default_factory=SchemaCheck)
    judged: dict[Record, bool] = field(default_factory=dict)  # the clocks and KPIs ask alike

    def usable(self, record: Record) -> bool:
        """True when the record matches its schema; else it is left out, with a warning."""
        known = self.judged.get(record)
        if known is not None:
            return known
        ok = self.judged[record] = not self.shape.check(record)
        if ok:
            return True
        self.findings.append(Finding(
            record.path, 1, 1, CLOCK_RULE,
            "left out of the SLA clocks and reports: the record does not match its schema "
            "(`itsm validate` says why)", record.id or None, "warning"))
        return False


def load_agreements(repo: Repository) -> Agreements:
    found = Agreements()
    calendars: dict[str, CalendarSpec] = {}
    for record in repo.of_kind("Calendar"):
        if not found.usable(record):
            continue
        spec, problems = read_calendar(record.id, record.data)
        found.findings.extend(record.finding(CALENDAR_RULE, p.text, p.at) for p in problems)
        if spec is not None:
            calendars[record.id] = spec
    shared: dict[str, WorkingTime] = {}
    for record in repo.of_kind("SLA"):
        if not found.usable(record):
            continue
        sla, problems = read_sla(record.id, record.data)
        found.findings.extend(record.finding(TARGET_RULE, p.text, p.at) for p in problems)
        if sla is None:
            continue
        if sla.calendar is not None and sla.calendar not in calendars:
            found.findings.append(record.finding(
                CLOCK_RULE, f"calendar '{sla.calendar}' is missing or invalid: this SLA's "
                "clocks are left out until it is fixed", ("calendar",)))
            continue
        key = sla.calendar or ""
        if key not in shared:  # one working-time table per calendar, however many SLAs
            shared[key] = working_time(calendars.get(key))
        found.slas[sla.id] = sla
        found.time[sla.id] = shared[key]
    for record in repo.of_kind("Service"):
        sla_id = record.get("sla")
        if isinstance(sla_id, str) and sla_id in found.slas:
            found.by_service[record.id] = sla_id
    return found
