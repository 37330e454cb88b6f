"""The KPI report's figures as typed values, and the tally they are computed from.

Field names are the keys of `itsm report --format json`, in its order: `as_dict` of each
value is what the JSON output holds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from statistics import fmean

from itsm_as_code.percent import truncated
from itsm_as_code.sla.availability import Availability
from itsm_as_code.sla.calendar import MICROS_PER_SECOND


@dataclass(frozen=True, slots=True)
class Figures:
    """The KPIs of one group: a service, or everything. Durations in whole seconds."""

    incidents_opened: int
    incidents_resolved: int
    mtta_working_seconds: int | None
    mtta_wall_seconds: int | None
    mttr_working_seconds: int | None
    mttr_wall_seconds: int | None
    response_compliance_percent: float | None
    response_clocks: int
    resolution_compliance_percent: float | None
    resolution_clocks: int
    availability_percent: float | None
    downtime_seconds: int | None
    mtbf_seconds: int | None
    backlog: int
    backlog_mean_age_seconds: int | None
    backlog_oldest_age_seconds: int | None
    reopened: int
    reopen_rate_percent: float | None
    repeat_incidents: int
    repeat_rate_percent: float | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ServiceFigures:
    """One service's row of the report."""

    service: str
    name: str
    sla: str | None
    figures: Figures

    def as_dict(self) -> dict[str, object]:
        return {"service": self.service, "name": self.name, "sla": self.sla,
                **self.figures.as_dict()}


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One calendar month of the window: compliance and time to resolve."""

    month: str  # YYYY-MM
    incidents_resolved: int
    mttr_working_seconds: int | None
    mttr_wall_seconds: int | None
    response_compliance_percent: float | None
    resolution_compliance_percent: float | None

    @property
    def empty(self) -> bool:
        return not self.incidents_resolved and self.response_compliance_percent is None \
            and self.resolution_compliance_percent is None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Tally:
    """The raw figures of one group (a service, a month, or everything) before they are
    averaged; instants and durations in microseconds."""

    opened: int = 0
    resolved: int = 0
    response_work: list[int] = field(default_factory=list)
    response_wall: list[int] = field(default_factory=list)
    resolution_work: list[int] = field(default_factory=list)
    resolution_wall: list[int] = field(default_factory=list)
    met: Counter[str] = field(default_factory=Counter)
    decided: Counter[str] = field(default_factory=Counter)
    backlog: list[int] = field(default_factory=list)
    resolutions: int = 0
    reopened: int = 0
    repeats: int = 0

    def figures(self, up: Availability | None, availability: float | None = None,
                weighted: bool = True) -> Figures:
        """The figures; `availability` stands in for the uptime's own (the overall mean),
        and without `weighted` the downtime means nothing (the overall sweep)."""
        if availability is None and up is not None:
            availability = up.percent
        return Figures(
            self.opened, self.resolved,
            mean_seconds(self.response_work), mean_seconds(self.response_wall),
            mean_seconds(self.resolution_work), mean_seconds(self.resolution_wall),
            percent(self.met["response"], self.decided["response"]),
            self.decided["response"],
            percent(self.met["resolution"], self.decided["resolution"]),
            self.decided["resolution"],
            truncated(availability, 3) if availability is not None else None,
            round(up.downtime / MICROS_PER_SECOND) if up is not None and weighted else None,
            _round(up.mtbf(self.opened)) if up is not None else None,
            len(self.backlog), mean_seconds(self.backlog),
            max(self.backlog) // MICROS_PER_SECOND if self.backlog else None,
            self.reopened, percent(self.reopened, self.resolutions),
            self.repeats, percent(self.repeats, self.opened),
        )

    def month(self, label: str) -> MonthFigures:
        return MonthFigures(label, self.resolved, mean_seconds(self.resolution_work),
                            mean_seconds(self.resolution_wall),
                            percent(self.met["response"], self.decided["response"]),
                            percent(self.met["resolution"], self.decided["resolution"]))


def mean_seconds(values: list[int]) -> int | None:
    return round(fmean(values) / MICROS_PER_SECOND) if values else None


def _round(value: float | None) -> int | None:
    return round(value) if value is not None else None


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None
