"""What the KPI report derives from each incident of the model, as of `now`.

An incident's times as the clocks see them (`Timing`: microseconds, the status changes
up to now) are read once; the figures below are computed from the model's incident and
that timing, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsm_as_code.model.lifecycle import INCIDENT
from itsm_as_code.model.model import Model
from itsm_as_code.model.types.itil import Incident
from itsm_as_code.sla.agreements import Agreements
from itsm_as_code.sla.calendar import WorkingTime
from itsm_as_code.sla.clocks import Timing, read_timing, services_of
from itsm_as_code.sla.history import OutOfRange, running_spans


@dataclass(frozen=True)
class Timed:
    """A model incident and its timing as of `now`."""

    incident: Incident
    timing: Timing
    problems: frozenset[str]  # the problems it is linked to (Model.problem_links)

    @property
    def opened(self) -> int:
        return self.timing.opened

    @property
    def responded(self) -> int | None:
        """acknowledged_at (or resolved_at when never acknowledged), if by now."""
        return self.timing.ends["response"]

    @property
    def resolved(self) -> int | None:
        return self.timing.ends["resolution"]

    @property
    def services(self) -> list[str]:
        return services_of(self.incident)

    @property
    def primary(self) -> str:
        """The first affected service: whose calendar an incident's own figures use."""
        return next(iter(self.services), "")

    def resolutions(self) -> list[int]:
        """The instants at which the incident moved into a done status (resolved, closed)."""
        found: list[int] = []
        was_done = False
        for at, status in self.timing.history:
            if status in INCIDENT.done and not was_done:
                found.append(at)
            was_done = status in INCIDENT.done
        return found

    def reopened_after(self, moment: int) -> bool:
        """True when the status went back from done to an active one after `moment`."""
        return any(at > moment and status in INCIDENT.active
                   for at, status in self.timing.history)


def timed_incidents(model: Model, now: int) -> list[Timed]:
    """Every incident of the model opened by `now` and not canceled by then (a canceled
    incident, a false alarm, is left out of every figure); what the clocks cannot read
    (a time outside 1900..2999) is left out too: the clocks say why."""
    links = model.problem_links()
    found = []
    for incident in model.incidents.values():
        try:
            timing = read_timing(incident, now)
        except OutOfRange:
            continue
        if timing is not None and timing.status not in INCIDENT.dropped:
            found.append(Timed(incident, timing, links.get(incident.id, frozenset())))
    return found


class Working:
    """Working time of an incident for one service: its SLA's calendar, less its pauses.

    A service without an SLA (or whose SLA does not cover incidents) counts wall time.
    """

    def __init__(self, agreements: Agreements) -> None:
        self._agreements = agreements

    def time(self, item: Timed, service: str, end: int) -> int:
        sla_id = self._agreements.by_service.get(service)
        sla = self._agreements.slas.get(sla_id) if sla_id is not None else None
        if sla is None or "Incident" not in sla.applies_to or sla_id is None:
            return max(0, end - item.opened)
        time: WorkingTime = self._agreements.time[sla_id]
        spans = running_spans(item.timing.history, item.opened, end, sla.pause_on)
        return sum(time.counted(start, stop) for start, stop in spans)
