"""`itsm ops checkin`: one run of a routine, checked against the routine, then recorded.

The routine must exist and every `--evidence KEY=VALUE` must be one of its keys with a
value of its type (otherwise nothing is recorded: exit 2). A good run that leaves out a
required key is still recorded, with a warning: the run happened, and `itsm ops check`
reports what it lacked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from itsm_as_code.errors import UsageError
from itsm_as_code.git.onbranch import Target
from itsm_as_code.model.context import RunContext
from itsm_as_code.ops.checkins import CheckIn, Status
from itsm_as_code.ops.evidence import Value, read_value
from itsm_as_code.ops.ledger import Recorded, record
from itsm_as_code.timefmt import format_timestamp

SKEW = timedelta(minutes=5)  # a run's clock may be ahead of this one's by this much


@dataclass(frozen=True)
class CheckinResult:
    recorded: Recorded
    warnings: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        done = self.recorded
        run = done.checkin
        where = (f"committed {done.commit[:12]} to {done.branch}" +
                 (f" (after {done.attempts - 1} retry(ies))" if done.attempts > 1 else "")
                 if done.commit else f"wrote {done.path}")
        return [*(f"warning: {text}" for text in self.warnings),
                f"{run.routine}: {run.status} at {format_timestamp(run.at)}; {where}"]


def checkin(ctx: RunContext, routine_id: str, status: Status, evidence: list[str],
            at: datetime | None, target: Target | None) -> CheckinResult:
    """Check the run against its routine and record it."""
    routines = ctx.model.routines
    routine = routines.get(routine_id)
    if routine is None:
        known = ", ".join(sorted(routines)) or "none: add one with `itsm new routine`"
        raise UsageError(f"no Routine with id {routine_id!r} (routines: {known})")
    moment = at if at is not None else ctx.now
    if moment > ctx.now + SKEW:
        raise UsageError(f"--at {moment.isoformat()} is later than now: a run reports when "
                         "it has happened")
    rules = {rule.key: rule for rule in routine.evidence}
    values: dict[str, Value] = {}
    for pair in evidence:
        key, equals, text = pair.partition("=")
        if not equals:
            raise UsageError(f"--evidence {pair!r} is not KEY=VALUE")
        rule = rules.get(key.strip())
        if rule is None:
            allowed = ", ".join(sorted(rules)) or "none"
            raise UsageError(f"--evidence {key.strip()!r} is not evidence of {routine_id} "
                             f"(its keys: {allowed})")
        try:
            values[rule.key] = read_value(rule, text)
        except ValueError as error:
            raise UsageError(f"--evidence {error}") from None
    warnings = tuple(f"{key} was not reported: itsm ops check will report this run"
                     for key, rule in rules.items()
                     if status == "ok" and rule.required and key not in values)
    run = CheckIn(routine.id, status, moment, values)
    return CheckinResult(record(ctx.config.root, run, ctx.now, target), warnings)
