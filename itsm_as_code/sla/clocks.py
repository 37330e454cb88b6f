"""SLA clocks: one per record, metric and SLA of each service the record affects.

A clock runs from `opened_at` to its end (`acknowledged_at` for response, `resolved_at`
for resolution) or, without one, until `now`. It counts the working time of its SLA's
calendar in which the record's status is not one of the SLA's `pause_on` statuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from itsm_as_code.sla.agreements import CLOCK_RULE, Agreements
from itsm_as_code.sla.calendar import US, WorkingTime
from itsm_as_code.sla.history import Span, changes, instant, running_spans
from itsm_as_code.sla.spec import CLOCKED_KINDS, METRICS, SlaSpec
from itsm_as_code.store.record import Record

STATES = ("breached", "at_risk", "paused", "within", "met")
# The order of every listing: breached and at risk first (running before stopped, since
# only those can still be helped), then the clocks that run or wait, then the met ones.
ORDER = {("breached", True): 0, ("at_risk", True): 1, ("breached", False): 2,
         ("paused", True): 3, ("within", True): 4, ("met", False): 5}
CANCELED = frozenset({"canceled"})


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

    @property
    def elapsed(self) -> int:
        """Whole seconds of counted time."""
        return self.counted // US

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


def read_timing(record: Record, now: int) -> Timing | None:
    """The record's timing as of `now`, None when it opens later; ValueError if unreadable."""
    opened = instant(record.get("opened_at"))
    if opened is None or opened > now:
        return None
    acknowledged = instant(record.get("acknowledged_at"))
    resolved = instant(record.get("resolved_at"))
    resolved = resolved if resolved is not None and resolved <= now else None
    acknowledged = acknowledged if acknowledged is not None and acknowledged <= now else None
    # Resolving an incident answers it too: a record resolved without an acknowledgement
    # stops its response clock when it is resolved, not never.
    response = acknowledged if acknowledged is not None else resolved
    history = [change for change in changes(record.kind, opened, record.get("timeline"))
               if change[0] <= now]
    return Timing(opened, {"response": response, "resolution": resolved}, history)


def services_of(record: Record) -> list[str]:
    """The services a record affects, each once, in the order written."""
    if record.kind == "ServiceRequest":
        found: list[Any] = [record.get("service")]
    else:
        found = [item.get("id") for item in record.get("services") or []
                 if isinstance(item, dict)]
    return list(dict.fromkeys(str(service) for service in found if isinstance(service, str)))


def record_clocks(record: Record, timing: Timing, agreements: Agreements,
                  now: int) -> Iterator[Clock]:
    priority = str(record.get("priority"))
    measured: dict[tuple[str, str], Clock] = {}  # services that share an SLA share its clocks
    for service in services_of(record):
        sla_id = agreements.by_service.get(service)
        if sla_id is None:
            continue
        sla = agreements.slas[sla_id]
        if record.kind not in sla.applies_to:
            continue
        for metric in METRICS:
            target = sla.targets.get((priority, metric))
            end = timing.ends[metric]
            # A canceled record's clocks that never stopped are dropped: nothing was owed.
            if target is None or (end is None and timing.status in CANCELED):
                continue
            same = measured.get((sla_id, metric))
            if same is not None:
                yield replace(same, service=service)
                continue
            clock = measured[(sla_id, metric)] = measure(
                record, service, sla, agreements.time[sla_id], metric, target, timing, now)
            yield clock


def measure(record: Record, service: str, sla: SlaSpec, time: WorkingTime, metric: str,
            target: int, timing: Timing, now: int) -> Clock:
    end = timing.ends[metric]
    spans = running_spans(timing.history, timing.opened, end if end is not None else now,
                          sla.pause_on)
    counted = sum(time.counted(start, stop) for start, stop in spans)
    elapsed = counted // US
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
    due = deadline(time, spans, target * US, now) if running_on else None
    breached_at = None
    if state == "breached":
        breached_at = due if running_on else deadline(time, spans, target * US, None)
    return Clock(record.id, record.kind, record.path, service, sla.id, metric,
                 str(record.get("priority")), target, counted, timing.opened, end, paused,
                 state, due, breached_at)


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


def all_clocks(records: list[Record], agreements: Agreements, now: int) -> list[Clock]:
    """Every clock of the incidents and service requests among `records`, as of `now`."""
    clocks: list[Clock] = []
    if not agreements.slas:
        return clocks
    for record in records:
        if record.kind not in CLOCKED_KINDS or not agreements.usable(record):
            continue
        try:
            timing = read_timing(record, now)
            if timing is not None:
                clocks.extend(record_clocks(record, timing, agreements, now))
        except ValueError as error:  # a timestamp that passed the schema but not the clock
            agreements.findings.append(record.finding(
                CLOCK_RULE, f"left out of the SLA clocks: {error}", level="warning"))
    clocks.sort(key=Clock.sort_key)
    return clocks
