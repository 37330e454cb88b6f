"""The operations page of the internal status site: a provider for site/sections.py.

Every routine with its state, last good run, next due time and streak of good runs, and
its runs of the last 90 days as day bars, drawn as the uptime bars are: a day with a
missed run is a major outage's colour, one with a failed run (or bad evidence) a partial
outage's, a day whose runs all reported well is operational, and a day with nothing due
is grey. Names, not ids. Registered in PROVIDERS as
`"operations": "itsm_as_code.ops.site:operations"`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from itsm_as_code.model.context import RunContext
from itsm_as_code.ops.check import OpsCheck, check, when
from itsm_as_code.ops.runs import Runs, Slot
from itsm_as_code.templating.sections import BarDay, Bars, Figure, Section, State, Table, Tone

DAYS = 90
TONES: dict[str, Tone] = {"ok": "ok", "missed": "bad", "failed": "warn", "new": "info"}
COLOURS = {"missed": "major_outage", "failed": "partial_outage", "ok": "operational"}
WORST = ("missed", "failed", "ok")


def operations(ctx: RunContext) -> Section | None:
    """The routines and their runs, or None when the repository has no routines."""
    if not ctx.model.routines:
        return None
    result = check(ctx)
    model = ctx.model
    decided = [slot for runs in result.runs for slot in runs.decided()]
    ok = sum(slot.state == "ok" for slot in decided)
    failing = len(result.failing)
    missed = sum(slot.state == "missed" for slot in decided)
    figures = (
        Figure("routines", str(len(result.runs))),
        Figure("failing now", str(failing), "missed or failed", "bad" if failing else "ok"),
        Figure("missed runs", str(missed), f"last {DAYS} days", "bad" if missed else "ok"),
        Figure("runs ok", f"{100 * ok / len(decided):.1f}%" if decided else "\u2013",
               f"{ok} of {len(decided)} in {DAYS} days",
               "ok" if ok == len(decided) else "warn"),
    )
    rows = tuple(
        (runs.routine.name, model.name_of(runs.routine.service),
         model.name_of(runs.routine.team),
         State(runs.state, TONES[runs.state]),
         when(runs.last_good.at if runs.last_good else None, result.zone),
         when(runs.next_due, result.zone), runs.streak,
         sum(s.state == "missed" for s in runs.slots),
         sum(s.state == "failed" for s in runs.slots))
        for runs in result.runs)
    table = Table("Routines", ("Routine", "Service", "Team", "State", "Last good run",
                               "Next due", "Streak", f"Missed ({DAYS} d)",
                               f"Failed ({DAYS} d)"), rows)
    intro = (f"Scheduled operations work as of {when(result.now, result.zone)}: each run "
             "reports with `itsm ops checkin`; a run whose grace period passed without a "
             "report is missed (`itsm ops check` lists them).")
    return Section("operations", "Operations", intro, figures, (table,),
                   bars=tuple(_bars(runs, result) for runs in result.runs))


def _bars(runs: Runs, result: OpsCheck) -> Bars:
    zone = result.zone
    today = result.now.astimezone(zone).date()
    by_day: dict[date, list[Slot]] = {}
    for slot in runs.decided():
        by_day.setdefault(slot.due.astimezone(zone).date(), []).append(slot)
    days = []
    for offset in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=offset)
        days.append(_day(day, by_day.get(day, []), zone))
    return Bars(runs.routine.name, tuple(days),
                f"{runs.state}, streak {runs.streak}, next due {when(runs.next_due, zone)}")


def _day(day: date, slots: list[Slot], zone: ZoneInfo) -> BarDay:
    shown = f"{day.day} {day:%b %Y}"
    if not slots:
        return BarDay("none", f"{shown}: nothing due")
    worst = next(state for state in WORST if any(s.state == state for s in slots))
    said = ", ".join(f"{_clock(slot.due, zone)} {slot.state}" for slot in slots[:6])
    more = f" and {len(slots) - 6} more" if len(slots) > 6 else ""
    return BarDay(COLOURS[worst], f"{shown}: {said}{more}")


def _clock(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%H:%M}"
