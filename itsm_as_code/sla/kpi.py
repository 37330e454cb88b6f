"""`itsm report`: the Service Operation KPIs per service and overall, over a window.

Every figure is computed from the run's model and its `now`. DEFINITIONS is what each
figure means; the report prints it next to the figures and the README repeats it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, tzinfo
from statistics import fmean
from zoneinfo import ZoneInfo

from itsm_as_code.errors import UsageError
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.impact import Span, may_span_after, spans_by_service
from itsm_as_code.sla.agreements import load_agreements
from itsm_as_code.sla.availability import MAINTENANCE, availability
from itsm_as_code.sla.calendar import MICROS_PER_SECOND
from itsm_as_code.sla.clocks import Clock, all_clocks
from itsm_as_code.sla.desk_kpis import DESK_DEFINITIONS, DeskFigures, desk_figures
from itsm_as_code.sla.facts import Timed, Working, timed_incidents
from itsm_as_code.sla.figures import Figures, MonthFigures, ServiceFigures, Tally
from itsm_as_code.sla.history import EARLIEST, LATEST, instant_of, moment_of
from itsm_as_code.sla.window import Window, months, parse_bound

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
                    "(up to now) less the time the service's maintenance really ran (from "
                    "its in_progress update, or its scheduled start, to its completed "
                    "update, or its scheduled end). While incidents are open on a service, "
                    "the largest weight of the component statuses they give it at that "
                    "moment (a timeline update may change them) counts as downtime; the "
                    "status site's uptime is the same figure.",
    "mtbf": "Mean time between failures: agreed time with no incident open, divided by "
            "the incidents opened in the window.",
    "backlog": "Incidents open at the end of the window (or now), with their mean and "
               "largest age.",
    "reopen_rate": "Of the incidents resolved or closed in the window, the percent that "
                   "went back to an open status afterwards.",
    "repeat_incidents": "Incidents opened in the window and linked to a problem that "
                        "already had an earlier incident.",
    **DESK_DEFINITIONS,
}
OVERALL_NOTE = ("Overall: an incident's working times use its first affected service; "
                "availability is the mean over the services.")


@dataclass(frozen=True)
class KpiReport:
    window: Window
    zone: tzinfo
    weights: dict[str, float]
    overall: Figures
    services: list[ServiceFigures]
    months: list[MonthFigures]
    only: ServiceFigures | None = None  # the one service of --service: the overall row
    desk: DeskFigures | None = None  # the service desk's figures (sla/desk_kpis.py)

    def overall_dict(self) -> dict[str, object]:
        if self.only is not None:
            return {**self.only.as_dict(), "service": None}
        return self.overall.as_dict()


def service_spans(ctx: RunContext, since: datetime) -> dict[str, list[Span]]:
    """Every service's component status over time, as of the run's `now`, from every
    incident that may still give one at `since` or later."""
    model = ctx.model
    incidents = [incident for incident in model.incidents.values()
                 if may_span_after(incident, since, ctx.now)]
    return spans_by_service(incidents, model.maintenance.values(), ctx.now)


def report(ctx: RunContext, since: str | None = None, until: str | None = None,
           service: str | None = None) -> KpiReport:
    """The KPIs of the window [since, until) as of the run's `now`; bounds are dates (whole
    days in itsm.yaml's time zone, both included) or RFC 3339 timestamps."""
    zone = ZoneInfo(ctx.config.timezone)
    moment = instant_of(ctx.now)
    if not EARLIEST <= moment <= LATEST:
        raise UsageError("--now must lie between the years 1900 and 2999")
    end = parse_bound(until, zone, end=True) if until else moment
    start = parse_bound(since, zone, end=False) if since else end - 365 * 86400 * \
        MICROS_PER_SECOND
    if start >= end:
        raise UsageError(f"--since ({since}) must be before --until ({until or 'now'})")
    window = Window(start, end, moment)
    services = ctx.model.services
    if service is not None and service not in services:
        raise UsageError(f"no Service with id '{service}': `itsm report --service` takes one "
                         f"of {', '.join(sorted(services)) or 'the services (there are none)'}")
    chosen = [service] if service is not None else sorted(services)
    agreements = ctx.shared(load_agreements)
    # Only the clocks that can count in the window: a record whose every clock stopped
    # before it (most of a long history) decides nothing in it.
    clocks = all_clocks(ctx.model, agreements, moment, since=window.since).clocks
    incidents = timed_incidents(ctx.model, moment)
    if service is not None:
        incidents = [i for i in incidents if service in i.services]
        clocks = [c for c in clocks if c.service == service]
    tallies: defaultdict[str, Tally] = defaultdict(Tally)
    working = Working(agreements)
    earlier = _first_of_problems(incidents)
    for incident in incidents:
        if _over_before(incident, window):
            continue
        own = service or incident.primary
        _count(tallies[""], incident, own, window, working, earlier)
        for group in incident.services:
            if group in chosen:
                _count(tallies[group], incident, group, window, working, earlier)
    for clock in clocks:
        decided = _decided(clock)
        if decided is not None and window.holds(decided):
            for group in ("", clock.service):
                tallies[group].decided[clock.metric] += 1
                tallies[group].met[clock.metric] += clock.state == "met"
    weights = ctx.config.availability_weights
    since_at, end_at = moment_of(window.since), moment_of(window.end)
    spans = service_spans(ctx, since_at)
    rows = []
    for service_id in chosen:
        up = availability(spans.get(service_id, ()), since_at, end_at, weights)
        rows.append(ServiceFigures(service_id, services[service_id].name,
                                   agreements.by_service.get(service_id),
                                   tallies[service_id].figures(up)))
    if service is not None:
        overall = rows[0].figures
    else:  # time between failures of the whole: agreed time with no incident open at all
        known = [row.figures.availability_percent for row in rows
                 if row.figures.availability_percent is not None]
        anything = [span for found in spans.values() for span in found
                    if span.status != MAINTENANCE]
        overall = tallies[""].figures(availability(anything, since_at, end_at, weights),
                                      fmean(known) if known else None, weighted=False)
    return KpiReport(window, zone, dict(weights), overall, rows,
                     _months(window, zone, incidents, clocks, working, service),
                     rows[0] if service is not None else None,
                     desk_figures(ctx.model, window, incidents, clocks, service))


def _count(tally: Tally, incident: Timed, own: str, window: Window, working: Working,
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


def _over_before(incident: Timed, window: Window) -> bool:
    """Whether all the incident did came before the window (most of a long history): it
    then counts in none of `_count`'s figures."""
    since, resolved, responded = window.since, incident.resolved, incident.responded
    return (resolved is not None and resolved < since and resolved <= window.end
            and incident.opened < since and (responded is None or responded < since)
            and incident.timing.history[-1][0] < since)


def _decided(clock: Clock) -> int | None:
    return clock.breached_at if clock.state == "breached" else clock.stopped if (
        clock.state == "met") else None


def _first_of_problems(incidents: list[Timed]) -> dict[str, int]:
    first: dict[str, int] = {}
    for incident in incidents:
        for problem in incident.problems:
            first[problem] = min(first.get(problem, incident.opened), incident.opened)
    return first


def _months(window: Window, zone: tzinfo, incidents: list[Timed], clocks: list[Clock],
            working: Working, service: str | None) -> list[MonthFigures]:
    """Compliance and MTTR per calendar month of the window, from the first month with data."""
    bounds = months(window, zone)
    series = {label: Tally() for label, _, _ in bounds}
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
    rows = [tally.month(label) for label, tally in series.items()]
    while rows and rows[0].empty:
        rows.pop(0)
    return rows


def _label(bounds: list[tuple[str, int, int]], moment: int) -> str:
    return next(label for label, low, high in bounds if low <= moment < high)
