"""SLA clocks: one per record, metric and SLA of each service the record affects (a typed
request's: its type's fulfilment SLA, when the type names one; `Agreements.sla_for`).

A clock runs from `opened_at` to its end (`acknowledged_at` for response, `resolved_at`
for resolution) or, without one, until `now`. It counts the working time of its SLA's
calendar in which the record's status is not one of the SLA's `pause_on` statuses.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from itsm_as_code.findings import Finding
from itsm_as_code.model.model import Model
from itsm_as_code.model.types.itil import Clocked, ServiceRequest
from itsm_as_code.sla.agreements import CLOCK_RULE, Agreements, refusals
from itsm_as_code.sla.calendar import MICROS_PER_SECOND, WorkingTime
from itsm_as_code.sla.history import OutOfRange, Span, changes, clocked, running_spans
from itsm_as_code.sla.spec import CLOCKED_KINDS, METRICS, SlaSpec
from itsm_as_code.timefmt import format_duration

STATES = ("breached", "at_risk", "paused", "within", "met")
# The order of every listing: breached and at risk first (running before stopped, since
# only those can still be helped), then the clocks that run or wait, then the met ones.
ORDER = {("breached", True): 0, ("at_risk", True): 1, ("breached", False): 2,
         ("paused", True): 3, ("within", True): 4, ("met", False): 5}


@dataclass(frozen=True)
class Clock:
    """One clock. Instants and `counted` are microseconds; `target` is whole seconds."""

    record: str
    kind: str
    path: str
    service: str
    sla: str
    metric: str
    priority: str
    target: int
    counted: int
    started: int
    stopped: int | None  # None while running
    paused: bool
    state: str
    due: int | None  # the deadline of a running clock that is not paused
    breached_at: int | None  # when the counted time passed the target, if it did
    # A target in business days (`2bd4h`) as written: its days and the working seconds
    # after them; `target` is the working time they came to for this clock.
    business_days: int = 0
    after_days: int = 0
    # The escalation levels a running clock has reached: (the level's index among its
    # SLA's `escalations`, the instant its counted time reached the level's share).
    escalated: tuple[tuple[int, int], ...] = ()

    @property
    def elapsed(self) -> int:
        """Whole seconds of counted time."""
        return self.counted // MICROS_PER_SECOND

    @property
    def target_text(self) -> str:
        """The target as people read it: `3bd`, `2bd 4h`, else its working time, `1d 2h`."""
        if not self.business_days:
            return format_duration(self.target)
        after = f" {format_duration(self.after_days)}" if self.after_days else ""
        return f"{self.business_days}bd{after}"

    @property
    def running(self) -> bool:
        return self.stopped is None

    @property
    def percent(self) -> float:
        return 100.0 * self.elapsed / self.target

    def sort_key(self) -> tuple[int, int, str, str, str]:
        due = self.due if self.due is not None else (self.stopped or self.started)
        return (ORDER[(self.state, self.running)], due, self.record, self.service,
                self.metric)


@dataclass(frozen=True)
class Timing:
    """What the clocks of one record need, read once however many services it affects."""

    opened: int
    ends: dict[str, int | None]  # metric -> its end, None when it has not happened by now
    history: list[tuple[int, str]]  # status changes up to now

    @property
    def status(self) -> str:
        return self.history[-1][1]


def read_timing(item: Clocked, now: int) -> Timing | None:
    """The record's timing as of `now`, None when it opens later; OutOfRange when a time
    lies outside the years clocks are computed for."""
    opened = clocked(item.opened_at)
    if opened > now:
        return None
    acknowledged = _by(item.acknowledged_at, now)
    resolved = _by(item.resolved_at, now)
    # Resolving an incident answers it too: a record resolved without an acknowledgement
    # stops its response clock when it is resolved, not never.
    response = acknowledged if acknowledged is not None else resolved
    history = [change for change in changes(item, opened) if change[0] <= now]
    return Timing(opened, {"response": response, "resolution": resolved}, history)


def _by(value: datetime | None, now: int) -> int | None:
    moment = None if value is None else clocked(value)
    return moment if moment is not None and moment <= now else None


def services_of(item: Clocked) -> list[str]:
    """The services a record affects, each once, in the order written."""
    return list(dict.fromkeys(item.service_ids))


@dataclass(frozen=True)
class Owed:
    """The record a clock runs for, as its clock shows it."""

    id: str
    kind: str
    path: str
    priority: str


def record_clocks(item: Clocked, path: str, timing: Timing, agreements: Agreements,
                  now: int) -> Iterator[Clock]:
    measured: dict[tuple[str, str], Clock] = {}  # services that share an SLA share its clocks
    kind = item.lifecycle.kind
    request_type = item.type if isinstance(item, ServiceRequest) else None
    for service in services_of(item):
        sla = agreements.sla_for(kind, service, request_type)
        if sla is None:
            continue
        sla_id = sla.id
        for metric in METRICS:
            target = sla.targets.get((item.priority, metric))
            end = timing.ends[metric]
            # A dropped (canceled, rejected) record's clocks that never stopped are
            # dropped too: nothing was owed.
            if target is None or (end is None and timing.status in item.lifecycle.dropped):
                continue
            same = measured.get((sla_id, metric))
            if same is not None:
                yield replace(same, service=service)
                continue
            time = agreements.time[sla_id]
            days = sla.business_days.get((item.priority, metric), 0)
            clock = measure(Owed(item.id, kind, path, item.priority), service, sla, time,
                            metric, target + business_days(time, timing.opened, days),
                            timing, now, (days, target) if days else (0, 0))
            measured[(sla_id, metric)] = clock
            yield clock


def business_days(time: WorkingTime, opened: int, days: int) -> int:
    """Whole seconds of working time that `days` business days (`2bd`) are for a clock
    opened at `opened`: up to the same point of the working day `days` working days on.
    Turned into working time once, at the opening, a target in business days then counts
    like any other: a pause pushes its deadline back by the working time it stopped."""
    if days <= 0:
        return 0
    amount = time.ahead(opened, days)
    if amount is None:
        raise OutOfRange(f"its {days} business days run past the years 1900 to 2999")
    return amount // MICROS_PER_SECOND


def measure(record: Owed, service: str, sla: SlaSpec, time: WorkingTime, metric: str,
            target: int, timing: Timing, now: int, written: tuple[int, int] = (0, 0)) -> Clock:
    """The clock of one metric; `written` is a target in business days as written (its
    days and the seconds after them), which `target` already counts."""
    end = timing.ends[metric]
    spans = running_spans(timing.history, timing.opened, end if end is not None else now,
                          sla.pause_on)
    counted = sum(time.counted(start, stop) for start, stop in spans)
    elapsed = counted // MICROS_PER_SECOND
    paused = end is None and timing.status in sla.pause_on
    if end is not None:
        state = "met" if elapsed <= target else "breached"
    elif elapsed > target:
        state = "breached"
    elif paused:
        state = "paused"
    elif elapsed * 100 >= sla.warn_at * target:
        state = "at_risk"
    else:
        state = "within"
    running_on = end is None and not paused
    due = deadline(time, spans, target * MICROS_PER_SECOND, now) if running_on else None
    breached_at = None
    if state == "breached":
        breached_at = due if running_on else deadline(time, spans,
                                                      target * MICROS_PER_SECOND, None)
    escalated = _escalated(sla, time, spans, metric, target, counted) if (
        end is None and sla.escalations) else ()
    return Clock(record.id, record.kind, record.path, service, sla.id, metric,
                 record.priority, target, counted, timing.opened, end, paused, state, due,
                 breached_at, *written, escalated=escalated)


def _escalated(sla: SlaSpec, time: WorkingTime, spans: list[Span], metric: str,
               target: int, counted: int) -> tuple[tuple[int, int], ...]:
    """The levels of the SLA for this metric whose share of the target the counted time
    has reached, each with the instant it reached it."""
    found = []
    for index, level in enumerate(sla.escalations):
        share = target * MICROS_PER_SECOND * level.at // 100
        if (level.metric is None or level.metric == metric) and counted >= share:
            reached = deadline(time, spans, share, None)
            if reached is not None:
                found.append((index, reached))
    return tuple(found)


def deadline(time: WorkingTime, spans: list[Span], target: int, now: int | None) -> int | None:
    """When the counted time reaches `target`: inside the span where it does or, for a
    clock still running at `now`, by walking the calendar forward from the last span."""
    if now is not None and (not spans or spans[-1][1] != now):
        spans = [*spans, (now, now)]
    counted = 0
    for index, (start, stop) in enumerate(spans):
        piece = time.counted(start, stop)
        if counted + piece >= target or (now is not None and index == len(spans) - 1):
            return time.reach(start, target - counted)
        counted += piece
    return None


@dataclass(frozen=True)
class Clocks:
    """Every clock as of `now`, and warnings about the records left out of them."""

    clocks: list[Clock]
    findings: list[Finding]


def all_clocks(model: Model, agreements: Agreements, now: int,
               only: Sequence[Clocked] | None = None, since: int | None = None) -> Clocks:
    """Every clock of the model's incidents and service requests, as of `now`; with
    `only`, the clocks of those records alone (each record's clocks are its own), without
    the findings about the rest; with `since`, without the records whose every clock
    stopped before it (most records of a long history, which a view of what runs and
    what stopped lately does not show)."""
    clocks: list[Clock] = []
    findings: list[Finding] = []
    if not agreements.slas:
        return Clocks(clocks, findings)
    items: Sequence[Clocked] = (
        [*model.incidents.values(), *model.requests.values()] if only is None else only)
    for kind in CLOCKED_KINDS if only is None else ():
        findings.extend(refusals(model, kind))
    for item in items:
        record = model.source(item.id)
        try:
            timing = read_timing(item, now)
            if timing is not None and (since is None or any(
                    end is None or end >= since for end in timing.ends.values())):
                clocks.extend(record_clocks(item, record.path, timing, agreements, now))
        except OutOfRange as error:
            findings.append(record.finding(
                CLOCK_RULE, f"left out of the SLA clocks: {error}", level="warning"))
    clocks.sort(key=Clock.sort_key)
    return Clocks(clocks, findings)
