"""The service desk's KPIs of `itsm report`: request volume by type, time to approve,
time to fulfil against its target, and first-contact resolution. DESK_DEFINITIONS says
what each figure means; the report prints it beside the figures and the README repeats
it. Durations are wall-clock time in whole seconds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime

from itsm_as_code.model.lifecycle import SERVICE_REQUEST
from itsm_as_code.model.model import Model
from itsm_as_code.model.stages import APPROVED, progress, request_type
from itsm_as_code.model.types.itil import ServiceRequest
from itsm_as_code.model.types.timeline import Entry
from itsm_as_code.sla.clocks import Clock, read_timing
from itsm_as_code.sla.facts import Timed
from itsm_as_code.sla.figures import mean_seconds, percent
from itsm_as_code.sla.history import OutOfRange, instant_of
from itsm_as_code.sla.window import Window

UNTYPED = "(no type)"  # the requests_by_type key of requests that name no type
DESK_DEFINITIONS = {
    "requests_by_type": "Service requests opened in the window, by request type "
                        f"(`{UNTYPED}` for requests that name none).",
    "time_to_approve": "Mean time from opened_at to the approval that approved the request "
                       "(for a request type with approval stages, the one that completed "
                       "its last stage; for a request without a type, its first decision "
                       "`approved` by someone other than the requester), over the requests "
                       "approved in the window; standard requests need no approval and are "
                       "left out.",
    "time_to_fulfil": "Mean time from opened_at to resolved_at over the requests fulfilled "
                      "in the window; against the target: of the resolution clocks of "
                      "requests decided in the window, the percent met.",
    "first_contact_resolution": "Of the incidents resolved and the requests fulfilled in "
                                "the window, the percent with no reassignment: no timeline "
                                "entry up to then named an assignee or a team (the first "
                                "assignee and team are written in the record itself; `itsm "
                                "assign` hands the work on).",
}


@dataclass(frozen=True, slots=True)
class DeskFigures:
    """The desk's figures of one window; keys of `itsm report --format json`'s `desk`."""

    requests_opened: int
    requests_by_type: dict[str, int] = field(default_factory=dict)
    requests_approved: int = 0
    time_to_approve_seconds: int | None = None
    requests_fulfilled: int = 0
    time_to_fulfil_seconds: int | None = None
    fulfilment_clocks: int = 0
    fulfilment_met_percent: float | None = None
    first_contact_total: int = 0
    first_contact_resolved: int = 0
    first_contact_resolution_percent: float | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def desk_figures(model: Model, window: Window, incidents: list[Timed], clocks: list[Clock],
                 service: str | None = None) -> DeskFigures:
    """The desk's figures over `window`; `incidents` and `clocks` are the report's own
    (already cut to `service`), requests are cut to `service` here."""
    by_type: Counter[str] = Counter()
    approve: list[int] = []
    fulfil: list[int] = []
    ended = first = 0
    for request in model.requests.values():
        if service is not None and request.service != service:
            continue
        try:
            timing = read_timing(request, window.now)
        except OutOfRange:
            continue  # the clocks report it
        if timing is None:
            continue
        if window.holds(timing.opened):
            by_type[request.type or UNTYPED] += 1
        approved = _approved_at(request, model)
        if approved is not None and window.holds(approved) and approved <= window.now:
            approve.append(approved - timing.opened)
        resolved = timing.ends["resolution"]
        if resolved is not None and window.holds(resolved) and (
                timing.status in SERVICE_REQUEST.done):
            fulfil.append(resolved - timing.opened)
            ended += 1
            first += not _handed_on(request.timeline, resolved)
    for incident in incidents:
        if incident.resolved is not None and window.holds(incident.resolved):
            ended += 1
            first += not _handed_on(incident.incident.timeline, incident.resolved)
    decided = [c for c in clocks if c.kind == "ServiceRequest" and c.metric == "resolution"
               and c.state in ("met", "breached") and _holds(window, c)]
    met = sum(clock.state == "met" for clock in decided)
    return DeskFigures(
        sum(by_type.values()), dict(sorted(by_type.items())), len(approve),
        mean_seconds(approve), len(fulfil), mean_seconds(fulfil), len(decided),
        percent(met, len(decided)), ended, first, percent(first, ended))


def _holds(window: Window, clock: Clock) -> bool:
    decided = clock.breached_at if clock.state == "breached" else clock.stopped
    return decided is not None and window.holds(decided)


def _approved_at(request: ServiceRequest, model: Model) -> int | None:
    """When the request was approved (microseconds), None if it was not (or needs none)."""
    kind = request_type(request, model)
    moment: datetime | None
    if kind is not None:
        moment = progress(request, kind, model).approved_at if not kind.standard else None
    else:
        moment = min((a.at for a in request.approvals if a.decision == APPROVED
                      and a.by != request.requested_by), default=None)
    return None if moment is None else instant_of(moment)


def _handed_on(timeline: tuple[Entry, ...], until: int) -> bool:
    return any(entry.assigns and instant_of(entry.at) <= until for entry in timeline)
