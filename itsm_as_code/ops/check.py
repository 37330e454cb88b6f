"""`itsm ops check`: every routine's runs as of now, and what is wrong with them.

A routine whose latest news is a missed run, or a run that failed or broke an evidence
rule, is a finding (an error) on its record; check-in files that cannot be read are
warnings. The same judgement (ops/runs.py) feeds the operations page and the KPIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from itsm_as_code.findings import Finding
from itsm_as_code.model.context import RunContext
from itsm_as_code.ops import ledger
from itsm_as_code.ops.checkins import Found
from itsm_as_code.ops.runs import LOOKBACK, Runs, Slot, judge
from itsm_as_code.timefmt import format_duration

MISSED_RULE, FAILED_RULE, SCHEDULE_RULE = "routine-missed", "routine-failed", "routine-schedule"


@dataclass(frozen=True)
class OpsCheck:
    """Every routine's runs as of `now`, and the findings about them."""

    now: datetime
    zone: ZoneInfo
    runs: list[Runs] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def failing(self) -> list[Runs]:
        return [runs for runs in self.runs if runs.state in ("missed", "failed")]


def read_checkins(ctx: RunContext, branch: str | None, lookback: timedelta = LOOKBACK
                  ) -> Found:
    return ledger.read(ctx.config, branch, ctx.now - lookback)


def check(ctx: RunContext, branch: str | None = None,
          lookback: timedelta = LOOKBACK, found: Found | None = None) -> OpsCheck:
    """The runs of every routine over `lookback` up to the run's now, from the check-ins
    of the work tree and of `branch` (None: itsm.yaml's `operations.branch`)."""
    model = ctx.model
    zone = ZoneInfo(ctx.config.timezone)
    found = found if found is not None else read_checkins(ctx, branch, lookback)
    result = OpsCheck(ctx.now, zone, findings=[*model.schema_findings(["Routine"]),
                                               *found.findings])
    calendars = model.calendars
    for routine in sorted(model.routines.values(), key=lambda r: r.name.lower()):
        source = model.source(routine.id)
        try:
            runs = judge(routine, found.runs.get(routine.id, []), ctx.now, calendars, lookback)
        except (ValueError, KeyError) as error:
            # `itsm validate` reports a schedule that does not read; the check goes on.
            result.findings.append(source.finding(
                SCHEDULE_RULE, f"{routine.name}: its schedule cannot be used ({error}): run "
                "itsm validate", ("schedule",)))
            continue
        result.runs.append(runs)
        finding = _finding(runs, zone)
        if finding is not None:
            # At the schedule: what a missed run is measured against.
            result.findings.append(source.finding(*finding, ("schedule",), key=True))
    return result


def _finding(runs: Runs, zone: ZoneInfo) -> tuple[str, str] | None:
    routine = runs.routine
    bad = [slot for slot in runs.decided() if slot.state != "ok"]
    if runs.state not in ("missed", "failed") or not bad:
        return None
    slot = bad[-1]
    good = runs.last_good
    since = f"; last good run {when(good.at, zone)}" if good is not None else \
        "; no good run yet"
    runbook = f"; runbook: {routine.runbook}" if routine.runbook else ""
    return (MISSED_RULE if slot.state == "missed" else FAILED_RULE,
            f"{routine.name} ({routine.id}): {describe(slot, routine.grace, zone)}{since}"
            f"{runbook}")


def describe(slot: Slot, grace: timedelta, zone: ZoneInfo) -> str:
    """What happened to one run, as people read it."""
    due = when(slot.due, zone)
    if slot.state == "missed":
        late = ""
        if slot.late and slot.checkin is not None:
            late = (f"; it reported {slot.checkin.status} late, at "
                    f"{when(slot.checkin.at, zone)}")
        return (f"the run due {due} did not report within its grace of "
                f"{format_duration(int(grace.total_seconds()))}{late}")
    if slot.state == "pending":
        return f"the run due {due} may report until {when(slot.deadline, zone)}"
    assert slot.checkin is not None
    ran = when(slot.checkin.at, zone)
    if not slot.checkin.ok:
        return f"the run due {due} reported failed at {ran}"
    if slot.problems:
        return (f"the run due {due} reported ok at {ran}, but "
                + "; ".join(problem.message for problem in slot.problems))
    return f"the run due {due} reported ok at {ran}"


def when(moment: datetime | None, zone: ZoneInfo) -> str:
    """A time as people read it: `2026-11-22 02:14 CET`."""
    if moment is None:
        return "-"
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
