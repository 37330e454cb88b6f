"""What the KPI report needs to know about each incident, read once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from itsm_as_code.sla.agreements import Agreements
from itsm_as_code.sla.calendar import WallTime, WorkingTime
from itsm_as_code.sla.clocks import read_timing, services_of
from itsm_as_code.sla.history import running_spans
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository

DONE = frozenset({"resolved", "closed"})


@dataclass(frozen=True)
class Incident:
    """One incident as of `now`; instants and durations are microseconds."""

    id: str
    opened: int
    responded: int | None  # acknowledged_at (or resolved_at when never acknowledged)
    resolved: int | None
    history: list[tuple[int, str]]
    services: dict[str, str]  # affected service -> its component status
    canceled: bool
    problems: frozenset[str]

    @property
    def primary(self) -> str:
        """The first affected service: whose calendar an incident's own figures use."""
        return next(iter(self.services), "")

    def resolutions(self) -> list[int]:
        """The instants at which the incident moved into a resolved or closed status."""
        found: list[int] = []
        was_done = False
        for at, status in self.history:
            if status in DONE and not was_done:
                found.append(at)
            was_done = status in DONE
        return found

    def reopened_after(self, moment: int) -> bool:
        """True when the status went back from resolved or closed to an open one after
        `moment` (a resolution)."""
        return any(at > moment and status not in DONE and status != "canceled"
                   for at, status in self.history)


def read_incidents(repo: Repository, agreements: Agreements, now: int) -> list[Incident]:
    """Every usable incident opened by `now`, skipping (with the agreements' warnings) what
    cannot be read."""
    linked: defaultdict[str, set[str]] = defaultdict(set)
    for problem in repo.of_kind("Problem"):
        for incident_id in problem.get("incidents") or ():
            if isinstance(incident_id, str):
                linked[incident_id].add(problem.id)
    found = []
    for record in repo.of_kind("Incident"):
        if not agreements.usable(record):
            continue
        try:
            incident = _read(record, now, linked[record.id])
        except ValueError:
            continue  # the clocks, computed from the same records, say what is wrong
        if incident is not None:
            found.append(incident)
    return found


def _read(record: Record, now: int, problems: set[str]) -> Incident | None:
    timing = read_timing(record, now)
    if timing is None:
        return None
    statuses = {str(item.get("id")): str(item.get("status"))
                for item in record.get("services") or [] if isinstance(item, dict)}
    problem = record.get("problem")
    if isinstance(problem, str):
        problems = problems | {problem}
    return Incident(record.id, timing.opened, timing.ends["response"],
                    timing.ends["resolution"], timing.history,
                    {service: statuses.get(service, "") for service in services_of(record)},
                    timing.status == "canceled", frozenset(problems))


class Working:
    """Working time of an incident for one service: its SLA's calendar, less its pauses.

    A service without an SLA (or whose SLA does not cover incidents) counts wall time.
    """

    def __init__(self, agreements: Agreements) -> None:
        self._agreements = agreements
        self._wall = WallTime()

    def time(self, incident: Incident, service: str, end: int) -> int:
        sla_id = self._agreements.by_service.get(service)
        sla = self._agreements.slas.get(sla_id) if sla_id is not None else None
        if sla is None or "Incident" not in sla.applies_to or sla_id is None:
            return max(0, end - incident.opened)
        time: WorkingTime = self._agreements.time[sla_id]
        spans = running_spans(incident.history, incident.opened, end, sla.pause_on)
        return sum(time.counted(start, stop) for start, stop in spans)
