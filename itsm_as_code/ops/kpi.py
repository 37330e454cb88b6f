"""The routines' KPIs of `itsm report`: success rate, missed runs, mean time to detect a
missed run. DEFINITIONS is what each figure means; every report format prints it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from statistics import fmean

from itsm_as_code.model.context import RunContext
from itsm_as_code.ops import ledger
from itsm_as_code.ops.incidents import fingerprint
from itsm_as_code.ops.runs import judge

DEFINITIONS = {
    "routine_success_rate": "Of the routine runs due in the window whose outcome is known "
                            "(reported within the grace period, or missed), the percent that "
                            "reported ok within the grace period with evidence that keeps "
                            "every rule.",
    "routine_missed_runs": "Routine runs due in the window whose grace period ended with no "
                           "check-in (a run that reported later is still missed).",
    "routine_mttd": "Mean time to detect a missed run: from the end of the grace period of "
                    "the missed run that made a routine fail to the opening of the incident "
                    "`itsm ops check --open-incidents` opened for it, over those incidents "
                    "opened in the window.",
}


@dataclass(frozen=True)
class RoutineFigures:
    """One routine's row (`routine` None: every routine)."""

    routine: str | None
    name: str
    runs_due: int
    runs_ok: int
    success_rate_percent: float | None
    missed_runs: int
    failed_runs: int
    detected: int
    mttd_seconds: int | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def routine_figures(ctx: RunContext, since: datetime, end: datetime,
                    service: str | None = None) -> list[RoutineFigures]:
    """A row per routine (of `service`, when given), then the overall row; nothing when
    the repository has no routines."""
    model = ctx.model
    routines = [r for r in sorted(model.routines.values(), key=lambda r: r.name.lower())
                if service is None or r.service == service]
    if not routines:
        return []
    found = ledger.read(ctx.config, since=since)
    opened: dict[str, list[datetime]] = {}
    for incident in model.incidents.values():
        if since <= incident.opened_at < end:
            for alert in incident.alerts:
                opened.setdefault(alert.fingerprint, []).append(incident.opened_at)
    rows, delays, totals = [], [], [0, 0, 0, 0]
    for routine in routines:
        checkins = found.runs.get(routine.id, [])
        try:
            runs = judge(routine, checkins, end, model.calendars, end - since)
        except (ValueError, KeyError):
            continue  # a schedule `itsm validate` refuses
        slots = [slot for slot in runs.decided() if since <= slot.due < end]
        counts = [len(slots), sum(s.state == "ok" for s in slots),
                  sum(s.state == "missed" for s in slots),
                  sum(s.state == "failed" for s in slots)]
        own = []
        for moment in opened.get(fingerprint(routine.id), []):
            then = judge(routine, checkins, moment, model.calendars, end - since)
            if then.state == "missed" and then.bad_since is not None:
                own.append(int((moment - then.bad_since).total_seconds()))
        delays += own
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        rows.append(_row(routine.id, routine.name, counts, own))
    rows.append(_row(None, "overall", totals, delays))
    return rows


def _row(routine: str | None, name: str, counts: list[int], delays: list[int]
         ) -> RoutineFigures:
    due, ok, missed, failed = counts
    return RoutineFigures(routine, name, due, ok, 100 * ok / due if due else None, missed,
                          failed, len(delays), round(fmean(delays)) if delays else None)
