"""Apply a plan: guard against mass removal, grant before revoking, carry on past a
failing item, then read every system back and verify each change took effect."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Literal

from itsm_as_code.access.plan import Change, Plan, SystemPlan
from itsm_as_code.access.providers import ChangeFailed, Provider, SystemUnavailable
from itsm_as_code.access.session import Session

Status = Literal["applied", "failed", "unverified", "skipped"]


@dataclass(frozen=True)
class Outcome:
    """What became of one planned change. `unverified`: the write reported success but
    the read back does not show it."""

    change: Change
    status: Status
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {**self.change.as_dict(), "status": self.status, "detail": self.detail}


@dataclass
class ApplyReport:
    plan: Plan
    outcomes: list[Outcome] = field(default_factory=list)
    # System -> role -> members, read back after the writes.
    after: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    refused: str | None = None

    def having(self, *statuses: Status) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status in statuses]

    @property
    def succeeded(self) -> bool:
        return self.refused is None and not self.having("failed", "unverified")


def removals(plan: Plan) -> int:
    """Revokes the run would really make: read-only systems make none."""
    return sum(1 for system in plan.systems if system.writable
               for change in system.changes if change.action == "revoke")


def apply(plan: Plan, session: Session, max_removals: int) -> ApplyReport:
    """Carry out `plan` on its systems through the providers `session` opened for it.

    Refuses, changing nothing, when the plan would remove more than `max_removals`
    members across all systems.
    """
    report = ApplyReport(plan)
    count = removals(plan)
    if count > max_removals:
        report.refused = (
            f"the plan removes {count} member(s), more than the limit of {max_removals}: "
            "nothing was changed. Check the plan; if it is right, rerun with --max-removals "
            f"{count} (or raise access.max_removals in itsm.yaml)")
        return report
    for system in plan.systems:
        if system.error is not None:
            continue
        if not system.changes or not system.writable:
            # Nothing is written, so the state after is the state read for the plan.
            report.after[system.system] = dict(system.before or {})
            report.outcomes += [Outcome(change, "skipped", f"{system.system} is read-only "
                                        f"({system.provider}): change it in the source system")
                                for change in system.changes]
            continue
        state = plan.states[system.system]
        provider = session.provider(state.system)
        done = [_write(provider, change, state.break_glass) for change in _ordered(system)]
        report.outcomes += _verify(provider, system, sorted(state.roles), done, report)
    return report


def _ordered(system: SystemPlan) -> list[Change]:
    # Grants first: a run that stops halfway leaves people with too much access for a
    # moment rather than locking out someone who should keep it.
    return sorted(system.changes, key=lambda change: change.action != "grant")


def _write(provider: Provider, change: Change, break_glass: AbstractSet[str]) -> Outcome:
    if change.action == "revoke" and change.account in break_glass:
        return Outcome(change, "failed", "a break-glass account is never revoked")
    try:
        if change.action == "grant":
            provider.grant(change.role, change.account)
        else:
            provider.revoke(change.role, change.account)
    except ChangeFailed as error:
        return Outcome(change, "failed", str(error))
    return Outcome(change, "applied")


def _verify(provider: Provider, system: SystemPlan, roles: list[str], done: list[Outcome],
            report: ApplyReport) -> list[Outcome]:
    try:
        after = provider.read(roles)
    except SystemUnavailable as error:
        return [Outcome(outcome.change, "unverified", f"cannot read back: {error}")
                if outcome.status == "applied" else outcome for outcome in done]
    report.after[system.system] = {role: sorted(members) for role, members in
                                   sorted(after.items())}
    checked = []
    for outcome in done:
        change = outcome.change
        holds = change.account in after.get(change.role, set())
        if outcome.status == "applied" and holds != (change.action == "grant"):
            state = "still holds" if holds else "does not hold"
            outcome = Outcome(change, "unverified", f"the write reported success, but "
                              f"{change.account} {state} {change.role} when read back")
        checked.append(outcome)
    return checked
