"""Views: everything the pages show, computed once from a selection at build time.

Current status per service and overall, the 90-day uptime bars, uptime over 30 and 90
days, the active and recent incidents, maintenance, and the incidents by month. The
templates only lay these out; no figure is computed in the visitor's browser.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from itsm_as_code.model.impact import DERIVED_STATUS, Span, affected_by
from itsm_as_code.model.lifecycle import worst
from itsm_as_code.site.records import Incident, Maintenance, Selection, Service
from itsm_as_code.site.uptime import Day, days, uptime

STATUS_LABELS = {
    "operational": "Operational", "under_maintenance": "Under maintenance",
    "degraded_performance": "Degraded performance", "partial_outage": "Partial outage",
    "major_outage": "Major outage",
}
INCIDENT_LABELS = {
    "new": "Investigating", "investigating": "Investigating", "identified": "Identified",
    "monitoring": "Monitoring", "on_hold": "On hold", "resolved": "Resolved",
    "closed": "Resolved", "canceled": "Canceled",
}
MAINTENANCE_LABELS = {"scheduled": "Scheduled", "in_progress": "In progress",
                      "completed": "Completed", "canceled": "Canceled"}
BAR_DAYS = 90
RECENT_DAYS = 14


@dataclass(frozen=True)
class Overall:
    """The banner: Statuspage's `status` object and the worst component status."""

    indicator: str  # none, minor, major, critical
    description: str
    status: str


@dataclass
class ServiceView:
    service: Service
    status: str
    days: list[Day]
    uptime_30: float
    uptime_90: float
    incidents: list[Incident] = field(default_factory=list)  # newest first
    changed: datetime | None = None  # the last start or end of a span, up to now
    # Why the bars show days the uptime does not count against the service (degraded
    # performance weighs nothing by default; maintenance is left out), or "".
    note: str = ""
    # The shown services in outage this one depends on (directly or not), when they are
    # what its status shows: a derived status (model/impact.py), not its own incident.
    affected_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    name: str | None  # None: services without a group, shown first without a heading
    services: list[ServiceView]

    @property
    def status(self) -> str:
        return worst(view.status for view in self.services)


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    incidents: list[Incident]  # newest first
    maintenance: list[Maintenance]

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass
class SiteView:
    selection: Selection
    zone: ZoneInfo
    services: dict[str, ServiceView]
    groups: list[Group]
    overall: Overall
    incidents: list[Incident]  # newest first
    active: list[Incident]
    maintenance_active: list[Maintenance]
    maintenance_upcoming: list[Maintenance]
    recent: list[tuple[date, list[Incident]]]  # today first
    months: list[Month]  # newest first

    @property
    def now(self) -> datetime:
        return self.selection.now


def overall(statuses: list[str]) -> Overall:
    """Statuspage's page status for these component statuses."""
    status = worst(statuses)
    if status == "major_outage":
        if all(s == "major_outage" for s in statuses):
            return Overall("critical", "Major System Outage", status)
        return Overall("major", "Partial System Outage", status)
    if status == "partial_outage":
        return Overall("minor", "Minor Service Outage", status)
    if status == "degraded_performance":
        return Overall("minor", "Partially Degraded Service", status)
    if status == "under_maintenance":
        return Overall("none", "Service Under Maintenance", status)
    return Overall("none", "All Systems Operational", status)


def duration(incident: Incident, now: datetime) -> timedelta:
    return (incident.ended or now) - incident.opened


def build_views(selection: Selection, zone: ZoneInfo, weights: Mapping[str, float],
                groups_order: list[str] | None = None) -> SiteView:
    now = selection.now
    spans = selection.spans
    newest = sorted(selection.incidents, key=lambda i: (i.opened, i.id), reverse=True)
    # The bars know nothing of the days before the first record of the build (none at
    # all: of every day until now).
    first = min([*(i.opened for i in selection.incidents),
                 *(w.start for w in selection.maintenance)], default=now)
    services = {s.id: _service_view(s, spans[s.id], now, zone, weights, first)
                for s in selection.services}
    for incident in newest:
        for affected in incident.services:
            services[affected.service].incidents.append(incident)
    _derive(services)
    windows = selection.maintenance
    return SiteView(
        selection, zone, services, _groups(list(services.values()), groups_order or []),
        overall([view.status for view in services.values()]), newest,
        [i for i in newest if i.active],
        [w for w in windows if w.status == "in_progress"],
        [w for w in windows if w.status == "scheduled"],
        _recent(newest, now, zone), _months(newest, windows, zone),
    )


def _service_view(service: Service, spans: list[Span], now: datetime, zone: ZoneInfo,
                  weights: Mapping[str, float], first: datetime) -> ServiceView:
    current = worst(span.status for span in spans if span.covers(now))
    moments = [m for span in spans for m in (span.start, span.end) if m <= now]
    bars = days(spans, now, zone, BAR_DAYS, min(first, now))
    return ServiceView(
        service, current, bars,
        uptime(spans, now - timedelta(days=30), now, weights),
        uptime(spans, now - timedelta(days=BAR_DAYS), now, weights),
        changed=max(moments, default=None), note=uncounted_note(bars, weights),
    )


def uncounted_note(bars: list[Day], weights: Mapping[str, float]) -> str:
    """A sentence saying which coloured days count nothing against the uptime, or ""."""
    shown = {day.status for day in bars}
    parts = [f"{STATUS_LABELS[status].capitalize()} does not count as downtime"
             for status in ("degraded_performance", "partial_outage", "major_outage")
             if status in shown and not weights.get(status, 0.0)]
    if "under_maintenance" in shown:
        parts.append("time under maintenance is left out of the uptime")
    return ("; ".join(parts) + ".") if parts else ""


def _groups(views: list[ServiceView], order: list[str]) -> list[Group]:
    by_name: defaultdict[str | None, list[ServiceView]] = defaultdict(list)
    for view in views:
        by_name[view.service.group].append(view)
    rank = {name: index for index, name in enumerate(order)}
    names = sorted(by_name, key=lambda n: (n is not None, rank.get(n or "", len(rank)),
                                           n or ""))
    return [Group(name, sorted(by_name[name], key=lambda v: (v.service.position,
                                                             v.service.name.lower(),
                                                             v.service.id)))
            for name in names]


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def _recent(newest: list[Incident], now: datetime,
            zone: ZoneInfo) -> list[tuple[date, list[Incident]]]:
    today = _local_day(now, zone)
    by_day: defaultdict[date, list[Incident]] = defaultdict(list)
    for incident in newest:
        by_day[_local_day(incident.opened, zone)].append(incident)
    return [(day, by_day.get(day, [])) for day in
            (today - timedelta(days=back) for back in range(RECENT_DAYS))]


def _months(newest: list[Incident], windows: list[Maintenance], zone: ZoneInfo) -> list[Month]:
    incidents: defaultdict[tuple[int, int], list[Incident]] = defaultdict(list)
    work: defaultdict[tuple[int, int], list[Maintenance]] = defaultdict(list)
    for incident in newest:
        local = incident.opened.astimezone(zone)
        incidents[(local.year, local.month)].append(incident)
    for window in windows:
        local = window.start.astimezone(zone)
        work[(local.year, local.month)].append(window)
    keys = sorted(set(incidents) | set(work), reverse=True)
    return [Month(year, month, incidents.get((year, month), []),
                  sorted(work.get((year, month), []), key=lambda w: (w.start, w.id),
                         reverse=True))
            for year, month in keys]


def _derive(services: dict[str, ServiceView]) -> None:
    """A service that depends on one in outage shows as affected by it, unless its own
    status is already as bad (the API's component status follows the same way)."""
    causes = affected_by({sid: v.service.depends_on for sid, v in services.items()},
                         {sid: v.status for sid, v in services.items()})
    for sid, found in causes.items():
        view = services[sid]
        if worst([view.status, DERIVED_STATUS]) != view.status:
            view.status, view.affected_by = DERIVED_STATUS, found
