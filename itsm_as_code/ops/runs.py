"""A routine's runs: its due times matched with its check-ins, and its state now.

Each due time opens a slot that lasts until the next due time; a check-in belongs to the
slot it falls in (the latest due time at or before it). A slot is

- `ok` when its latest check-in within the grace period reports ok and its evidence keeps
  every rule; `failed` when that check-in reports failed, or its evidence breaks a rule
  (a backup smaller than half the one before);
- `missed` when the grace period passed with no check-in (a check-in after it is a late
  run: the slot stays missed, and the late run counts as the routine's latest news);
- `pending` while its grace period runs and nothing reported yet.

A routine's state is its latest news: a decided slot (ok or failed when its check-in
arrived, missed when its grace ended) or a late run, whichever came last; `new` before
anything was due. Runs are due from `since`, or, without it, from the slot of the first
check-in; with a calendar, runs due on a day without working time are not due.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from itsm_as_code.model.schedule import Schedule, read_schedule, read_zone
from itsm_as_code.model.types.operations import Routine
from itsm_as_code.model.types.organisation import Calendar
from itsm_as_code.ops.checkins import CheckIn
from itsm_as_code.ops.evidence import Breach, Value, breaches, stored
from itsm_as_code.sla import country as countries
from itsm_as_code.sla.spec import read_calendar

SlotState = Literal["ok", "failed", "missed", "pending"]
State = Literal["ok", "failed", "missed", "new"]
LOOKBACK = timedelta(days=90)


@dataclass(frozen=True)
class Slot:
    """One due run: when it was due, what decided it, and what was wrong."""

    due: datetime
    deadline: datetime  # due + grace
    state: SlotState
    checkin: CheckIn | None = None  # the check-in that decided it (or a late one)
    late: bool = False
    problems: tuple[Breach, ...] = ()

    @property
    def decided_at(self) -> datetime | None:
        """When the slot's outcome became known: its check-in's time, or its deadline."""
        if self.state == "missed":
            return self.deadline
        return self.checkin.at if self.checkin is not None else None


@dataclass(frozen=True)
class Runs:
    """One routine as of `now`: its slots since `start` and what follows from them."""

    routine: Routine
    now: datetime
    start: datetime | None  # the first moment watched (None: nothing due yet)
    slots: list[Slot] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    next_due: datetime | None = None
    state: State = "new"
    bad_since: datetime | None = None  # when the present missed or failed state began
    news: datetime | None = None  # when the latest outcome happened

    @property
    def last_run(self) -> CheckIn | None:
        return self.checkins[-1] if self.checkins else None

    @property
    def last_good(self) -> CheckIn | None:
        """The latest run that reported ok with good evidence, on time or late."""
        good = [slot.checkin for slot in self.slots if slot.checkin is not None
                and slot.checkin.ok and not slot.problems and slot.state in ("ok", "missed")]
        return good[-1] if good else None

    @property
    def streak(self) -> int:
        """Good runs in a row, up to the latest decided slot."""
        count = 0
        for slot in reversed([s for s in self.slots if s.state != "pending"]):
            if slot.state != "ok":
                break
            count += 1
        return count

    def decided(self) -> list[Slot]:
        return [slot for slot in self.slots if slot.state != "pending"]


def schedule_of(routine: Routine, calendars: dict[str, Calendar]) -> Schedule:
    """The routine's schedule in its zone (a calendar's, when it has one); ValueError when
    it cannot be read (`itsm validate` reports it)."""
    zone_name = routine.timezone or calendars[routine.calendar or ""].timezone
    kind, text = routine.schedule
    return read_schedule(kind, text, read_zone(zone_name), routine.since)


def judge(routine: Routine, checkins: list[CheckIn], now: datetime,
          calendars: dict[str, Calendar], lookback: timedelta = LOOKBACK) -> Runs:
    """The routine's slots from `now - lookback` (or its start) to `now`."""
    schedule = schedule_of(routine, calendars)
    working = _working_days(routine, calendars)
    known = [run for run in checkins if run.at <= now]
    start = routine.since
    if start is None and known:
        start = schedule.previous_due(known[0].at) or known[0].at
    if start is None:
        return Runs(routine, now, None, [], known, _next(schedule, now, working))
    window = max(start, now - lookback)
    due = [d for d in schedule.due(window, now + timedelta(microseconds=1)) if working(d)]
    slots = []
    previous: dict[str, Value] = _values_before(routine, known, due[0] if due else now)
    times = [run.at for run in known]  # in order: a slot's check-ins are found by bisection
    for index, moment in enumerate(due):
        end = due[index + 1] if index + 1 < len(due) else None
        inside = known[bisect_left(times, moment):
                       bisect_left(times, end) if end is not None else len(known)]
        slot = _slot(routine, moment, inside, now, previous)
        slots.append(slot)
        for run in inside:
            if run.ok:
                previous.update(_values(routine, run))
    runs = Runs(routine, now, window, slots, known, _next(schedule, now, working))
    return _with_state(runs)


def _slot(routine: Routine, due: datetime, inside: list[CheckIn], now: datetime,
          previous: dict[str, Value]) -> Slot:
    deadline = due + routine.grace
    on_time = [run for run in inside if run.at <= deadline]
    if on_time:
        run = on_time[-1]
        if not run.ok:
            return Slot(due, deadline, "failed", run)
        found = tuple(breaches(routine.evidence, run.evidence, previous))
        return Slot(due, deadline, "failed" if found else "ok", run, problems=found)
    if now < deadline:
        return Slot(due, deadline, "pending")
    if not inside:
        return Slot(due, deadline, "missed")
    late = inside[-1]
    found = tuple(breaches(routine.evidence, late.evidence, previous)) if late.ok else ()
    return Slot(due, deadline, "missed", late, late=True, problems=found)


def _with_state(runs: Runs) -> Runs:
    """The latest news decides: a decided slot, or a late run after a missed one."""
    news: list[tuple[datetime, str]] = []
    for slot in runs.decided():
        news.append((slot.decided_at or slot.deadline, slot.state))
        if slot.late and slot.checkin is not None:
            late_state = "ok" if slot.checkin.ok and not slot.problems else "failed"
            news.append((slot.checkin.at, late_state))
    if not news:
        return runs
    news.sort(key=lambda item: item[0])
    state = news[-1][1]
    bad_since = None
    if state != "ok":
        bad_since = news[-1][0]
        for at, said in reversed(news):
            if said == "ok":
                break
            bad_since = at
    return Runs(runs.routine, runs.now, runs.start, runs.slots, runs.checkins, runs.next_due,
                state, bad_since, news[-1][0])  # type: ignore[arg-type]


def _values(routine: Routine, run: CheckIn) -> dict[str, Value]:
    found: dict[str, Value] = {}
    for rule in routine.evidence:
        value = stored(rule, run.evidence.get(rule.key)) if rule.key in run.evidence else None
        if value is not None:
            found[rule.key] = value
    return found


def _values_before(routine: Routine, known: list[CheckIn], first: datetime) -> dict[str, Value]:
    """The evidence of the good runs before the first slot watched, latest of each key."""
    found: dict[str, Value] = {}
    for run in known:
        if run.at < first and run.ok:
            found.update(_values(routine, run))
    return found


def _next(schedule: Schedule, now: datetime, working: _Working) -> datetime | None:
    moment = now
    for _ in range(400):  # a calendar closed for more than a year has nothing due
        found = schedule.next_due(moment)
        if found is None or working(found):
            return found
        moment = found
    return None


class _Working:
    """Whether a due time falls on a day with working time (always, without a calendar)."""

    def __init__(self, calendar: Calendar | None) -> None:
        self.spec = read_calendar(calendar)[0] if calendar is not None else None
        self._holidays: dict[int, frozenset[object]] = {}

    def __call__(self, moment: datetime) -> bool:
        spec = self.spec
        if spec is None or spec.week is None:
            return True
        day = moment.astimezone(spec.zone).date()
        if not spec.week[day.weekday()] or day in spec.holidays:
            return False
        if spec.country is None:
            return True
        if day.year not in self._holidays:
            self._holidays[day.year] = frozenset(countries.days(spec.country, day.year))
        return day not in self._holidays[day.year]


def _working_days(routine: Routine, calendars: dict[str, Calendar]) -> _Working:
    return _Working(calendars.get(routine.calendar) if routine.calendar else None)
