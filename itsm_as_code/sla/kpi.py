"""`itsm report`: the Service Operation KPIs per service and overall, over a window.

Every figure is computed from the records and a `now` passed in. DEFINITIONS is what
each figure means; the report prints it next to the figures and the README repeats it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from statistics import fmean
from typing import Any
from zoneinfo import ZoneInfo

from itsm_as_code.errors import UsageError
from itsm_as_code.sla.agreements import load_agreements
from itsm_as_code.sla.availability import Outage, Uptime, uptime
from itsm_as_code.sla.calendar import US
from itsm_as_code.sla.clocks import Clock, all_clocks
from itsm_as_code.sla.facts import Incident, Working, read_incidents
from itsm_as_code.sla.history import EARLIEST, LATEST, instant, instant_of
from itsm_as_code.sla.window import Window, months, parse_bound
from itsm_as_code.store.repository import Repository

DEFINITIONS = {
    "incidents_opened": "Incidents opened in the window (canceled ones, false alarms, are "
                        "left out of every figure).",
    "incidents_resolved": "Incidents whose resolved_at lies in the window.",
    "mtta": "Mean time to acknowledge: opened_at to acknowledged_at (resolved_at when never "
            "acknowledged), over the incidents acknowledged in the window; in working time "
            "(the calendar of the service's SLA, less its pause statuses; wall-clock time "
            "for a service without an SLA) and in wall-clock time.",
    "mttr": "Mean time to resolve: opened_at to resolved_at, over the incidents resolved in "
            "the window; in working time and in wall-clock time.",
    "compliance": "SLA compliance per metric: of the clocks decided in the window, the "
                  "percent met. A met clock is decided when it stops, a breached one when it "
                  "passes its target (even while still running).",
    "availability": "100% less the weighted downtime over the agreed time: the window "
                    "(up to now) less the service's maintenance windows that were not "
                    "canceled. While incidents "
                    "are open on a service, the largest weight of the component statuses "
                    "they give it counts as downtime.",
    "mtbf": "Mean time between failures: agreed time with no incident open, divided by "
            "the incidents opened in the window.",
    "backlog": "Incidents open at the end of the window (or now), with their mean and "
               "largest age.",
    "reopen_rate": "Of the incidents resolved or closed in the window, the percent that "
                   "went back to an open status afterwards.",
    "repeat_incidents": "Incidents opened in the window and linked to a problem that "
                        "already had an earlier incident.",
}
OVERALL_NOTE = ("Overall: an incident's working times use its first affected service; "
                "availability is the mean over the services.")


@dataclass
class Tally:
    """The raw figures of one group (a service, or everything) before they are averaged."""

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

    def figures(self, up: Uptime | None, availability: float | None = None
                ) -> dict[str, Any]:
        """The figures; `availability` stands in for the uptime's own (the overall mean)."""
        if availability is None and up is not None:
            availability = up.availability
        return {
            "incidents_opened": self.opened, "incidents_resolved": self.resolved,
            "mtta_working_seconds": _mean(self.response_work),
            "mtta_wall_seconds": _mean(self.response_wall),
            "mttr_working_seconds": _mean(self.resolution_work),
            "mttr_wall_seconds": _mean(self.resolution_wall),
            "response_compliance_percent": _percent(self.met["response"],
                                                    self.decided["response"]),
            "response_clocks": self.decided["response"],
            "resolution_compliance_percent": _percent(self.met["resolution"],
                                                      self.decided["resolution"]),
            "resolution_clocks": self.decided["resolution"],
            "availability_percent": round(availability, 3) if availability is not None
            else None,
            "downtime_seconds": round(up.downtime / US) if up is not None and up.weighted
            else None,
            "mtbf_seconds": _round(up.mtbf(self.opened)) if up is not None else None,
            "backlog": len(self.backlog), "backlog_mean_age_seconds": _mean(self.backlog),
            "backlog_oldest_age_seconds": max(self.backlog) // US if self.backlog else None,
            "reopened": self.reopened,
            "reopen_rate_percent": _percent(self.reopened, self.resolutions),
            "repeat_incidents": self.repeats,
            "repeat_rate_percent": _percent(self.repeats, self.opened),
        }


@dataclass(frozen=True)
class KpiReport:
    window: Window
    zone: tzinfo
    weights: dict[str, float]
    overall: dict[str, Any]
    services: list[dict[str, Any]]
    months: list[dict[str, Any]]


def report(repo: Repository, now: datetime, since: str | None = None,
           until: str | None = None, service: str | None = None) -> KpiReport:
    """The KPIs of the window [since, until) as of `now`; bounds are dates (whole days in
    itsm.yaml's time zone, both included) or RFC 3339 timestamps."""
    zone = ZoneInfo(repo.config.timezone)
    moment = instant_of(now)
    if not EARLIEST <= moment <= LATEST:
        raise UsageError("--now must lie between the years 1900 and 2999")
    end = parse_bound(until, zone, end=True) if until else moment
    start = parse_bound(since, zone, end=False) if since else end - 365 * 86400 * US
    if start >= end:
        raise UsageError(f"--since ({since}) must be before --until ({until or 'now'})")
    window = Window(start, end, moment)
    services = {record.id: record for record in repo.of_kind("Service")}
    if service is not None and service not in services:
        raise UsageError(f"no Service with id '{service}': `itsm report --service` takes one "
                         f"of {', '.join(sorted(services)) or 'the services (there are none)'}")
    chosen = [service] if service is not None else sorted(services)
    agreements = load_agreements(repo)
    clocks = all_clocks(repo.records, agreements, moment)
    incidents = [i for i in read_incidents(repo, agreements, moment) if not i.canceled]
    if service is not None:
        incidents = [i for i in incidents if service in i.services]
        clocks = [c for c in clocks if c.service == service]
    tallies: defaultdict[str, Tally] = defaultdict(Tally)
    working = Working(agreements)
    earlier = _first_of_problems(incidents)
    for incident in incidents:
        groups = [s for s in incident.services if s in chosen]
        own = service or incident.primary
        _count(tallies[""], incident, own, window, working, earlier)
        for group in groups:
            _count(tallies[group], incident, group, window, working, earlier)
    for clock in clocks:
        decided = _decided(clock)
        if decided is not None and window.holds(decided):
            for group in ("", clock.service):
                tallies[group].decided[clock.metric] += 1
                tallies[group].met[clock.metric] += clock.state == "met"
    weights = repo.config.availability_weights
    rows = []
    for service_id in chosen:
        up = uptime(window.since, window.end, _outages(incidents, service_id, weights, moment),
                    _maintenance(repo, service_id))
        record = services[service_id]
        rows.append({"service": service_id, "name": record.get("name"),
                     "sla": agreements.by_service.get(service_id),
                     **tallies[service_id].figures(up)})
    known = [row["availability_percent"] for row in rows
             if row["availability_percent"] is not None]
    if service is not None:
        overall = dict(rows[0], service=None)
    else:  # time between failures of the whole: agreed time with no incident open at all
        anything = [Outage(i.opened, i.resolved if i.resolved is not None else moment, 1.0)
                    for i in incidents]
        overall = tallies[""].figures(uptime(window.since, window.end, anything, [], False),
                                      fmean(known) if known else None)
    return KpiReport(window, zone, dict(weights), overall, rows,
                     _months(window, zone, incidents, clocks, working, service))


def _count(tally: Tally, incident: Incident, own: str, window: Window, working: Working,
           earlier: dict[str, int]) -> None:
    if window.holds(incident.opened):
        tally.opened += 1
        first = min((earlier[p] for p in incident.problems if p in earlier), default=None)
        tally.repeats += first is not None and first < incident.opened
    if incident.responded is not None and window.holds(incident.responded):
        tally.response_work.append(working.time(incident, own, incident.responded))
        tally.response_wall.append(incident.responded - incident.opened)
    if incident.resolved is not None and window.holds(incident.resolved):
        tally.resolved += 1
        tally.resolution_work.append(working.time(incident, own, incident.resolved))
        tally.resolution_wall.append(incident.resolved - incident.opened)
    resolutions = [at for at in incident.resolutions() if window.holds(at)]
    if resolutions:
        tally.resolutions += 1
        tally.reopened += incident.reopened_after(resolutions[0])
    at = window.end
    if incident.opened <= at and (incident.resolved is None or incident.resolved > at):
        tally.backlog.append(at - incident.opened)


def _decided(clock: Clock) -> int | None:
    return clock.breached_at if clock.state == "breached" else clock.stopped if (
        clock.state == "met") else None


def _first_of_problems(incidents: list[Incident]) -> dict[str, int]:
    first: dict[str, int] = {}
    for incident in incidents:
        for problem in incident.problems:
            first[problem] = min(first.get(problem, incident.opened), incident.opened)
    return first


def _outages(incidents: list[Incident], service: str, weights: dict[str, float],
             now: int) -> list[Outage]:
    return [Outage(i.opened, i.resolved if i.resolved is not None else now,
                   weights.get(i.services[service], 0.0))
            for i in incidents if service in i.services]


def _maintenance(repo: Repository, service: str) -> list[tuple[int, int]]:
    spans = []
    for record in repo.of_kind("Maintenance"):
        if record.get("status") == "canceled" or service not in (record.get("services") or ()):
            continue
        try:
            start, end = instant(record.get("scheduled_start")), instant(record.get(
                "scheduled_end"))
        except ValueError:
            continue  # `itsm validate` reports the unreadable timestamp
        if start is not None and end is not None:
            spans.append((start, end))
    return spans


def _months(window: Window, zone: tzinfo, incidents: list[Incident], clocks: list[Clock],
            working: Working, service: str | None) -> list[dict[str, Any]]:
    """Compliance and MTTR per calendar month of the window, from the first month with data."""
    series = {label: Tally() for label, _, _ in months(window, zone)}
    bounds = months(window, zone)
    for incident in incidents:
        if incident.resolved is None or not window.holds(incident.resolved):
            continue
        label = _label(bounds, incident.resolved)
        own = service or incident.primary
        series[label].resolved += 1
        series[label].resolution_work.append(working.time(incident, own, incident.resolved))
        series[label].resolution_wall.append(incident.resolved - incident.opened)
    for clock in clocks:
        decided = _decided(clock)
        if decided is not None and window.holds(decided):
            label = _label(bounds, decided)
            series[label].decided[clock.metric] += 1
            series[label].met[clock.metric] += clock.state == "met"
    rows = [{"month": label, **{k: v for k, v in tally.figures(None).items() if k in (
        "incidents_resolved", "mttr_working_seconds", "mttr_wall_seconds",
        "response_compliance_percent", "resolution_compliance_percent")}}
        for label, tally in series.items()]
    while rows and not rows[0]["incidents_resolved"] and rows[0][
            "response_compliance_percent"] is None and rows[0][
            "resolution_compliance_percent"] is None:
        rows.pop(0)
    return rows


def _label(bounds: list[tuple[str, int, int]], moment: int) -> str:
    return next(label for label, low, high in bounds if low <= moment < high)


def _mean(values: list[int]) -> int | None:
    return round(fmean(values) / US) if values else None


def _round(value: float | None) -> int | None:
    return round(value) if value is not None else None


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None
