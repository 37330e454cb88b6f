"""The plan: what to grant and what to revoke so each system matches the policies.

`grant` for desired accounts that lack the role; `revoke` for members that are not
desired when a policy of the role is exclusive, with the reason (`unauthorised`,
`expired`, `left`). Members that are not desired under a non-exclusive policy are
`unmanaged`: reported, never revoked. Break-glass accounts are never revoked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

from itsm_as_code.access.desired import RoleState, Standing, SystemState, desired
from itsm_as_code.access.providers import SystemUnavailable
from itsm_as_code.access.session import Session
from itsm_as_code.errors import UsageError
from itsm_as_code.model.context import RunContext

Action = Literal["grant", "revoke"]
# Why a change or an unmanaged member: a grant is `missing`; a member is not wanted
# (where it stands: `unauthorised`, `expired`, `left`), or kept as `break-glass`.
Reason = Literal["missing", "break-glass"] | Standing


@dataclass(frozen=True)
class Change:
    system: str
    policy: str
    action: Action
    role: str
    account: str
    subject: str | None
    person: str | None
    reason: Reason
    grant: int | None = None  # the index of the grant in the policy
    ticket: str | None = None  # the request the grant cites: the evidence chain

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Unmanaged:
    """A member no policy wants, kept: the role is not exclusive, or a break-glass account."""

    system: str
    policy: str
    role: str
    account: str
    person: str | None
    reason: Reason
    grant: int | None = None  # the index of the grant in the policy

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SystemPlan:
    system: str
    provider: str
    writable: bool = False
    before: dict[str, list[str]] | None = None
    changes: list[Change] = field(default_factory=list)
    unmanaged: list[Unmanaged] = field(default_factory=list)
    missing_roles: list[str] = field(default_factory=list)
    error: SystemUnavailable | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"system": self.system, "provider": self.provider, "writable": self.writable,
                "status": "unreachable" if self.error else "planned",
                "error": str(self.error) if self.error else None,
                "missing_roles": self.missing_roles}


@dataclass
class Plan:
    now: datetime
    systems: list[SystemPlan]
    states: dict[str, SystemState]

    @property
    def changes(self) -> list[Change]:
        return [change for system in self.systems for change in system.changes]

    @property
    def unmanaged(self) -> list[Unmanaged]:
        return [item for system in self.systems for item in system.unmanaged]

    @property
    def errors(self) -> list[SystemUnavailable]:
        return [system.error for system in self.systems if system.error is not None]

    def count(self, action: Action) -> int:
        return sum(1 for change in self.changes if change.action == action)


def make_plan(ctx: RunContext, session: Session, only: str | None = None) -> Plan:
    """Read every system's actual members (one read per system) and plan the changes.

    A system that cannot be reached is recorded with its error; the others are planned.
    """
    states = {sid: state for sid, state in ctx.shared(desired).items() if state.roles}
    if only is not None:
        if only not in ctx.model.systems:
            raise UsageError(f"no System with id '{only}' in {ctx.config.records}/access/")
        states = {sid: state for sid, state in states.items() if sid == only}
    systems = []
    for sid in sorted(states):
        state = states[sid]
        plan = SystemPlan(sid, state.system.provider)
        try:
            provider = session.provider(state.system)
            plan.writable = provider.writable
            actual = provider.read(sorted(state.roles))
        except SystemUnavailable as error:
            plan.error = error
        else:
            plan.before = {role: sorted(members) for role, members in sorted(actual.items())}
            plan.missing_roles = sorted(set(state.roles) - set(actual))
            plan.changes, plan.unmanaged = diff(state, actual)
        systems.append(plan)
    return Plan(ctx.now, systems, states)


def diff(state: SystemState, actual: Mapping[str, set[str]]
         ) -> tuple[list[Change], list[Unmanaged]]:
    """The changes that make `actual` (role -> members) match the desired `state`."""
    changes: list[Change] = []
    unmanaged: list[Unmanaged] = []
    for name in sorted(state.roles):
        role = state.roles[name]
        members = actual.get(name, set())
        for account in sorted(set(role.desired) - members):
            held = role.desired[account]
            changes.append(Change(state.id, held.policy, "grant", name, account, held.subject,
                                  held.person, "missing", held.index, held.grant.ticket))
        for account in sorted(members - set(role.desired)):
            reason, policy, grant = _why(state, role, account)
            person = state.people.get(account)
            if account in state.break_glass:
                unmanaged.append(Unmanaged(state.id, policy, name, account, person,
                                           "break-glass", grant))
            elif role.exclusive:
                changes.append(Change(state.id, policy, "revoke", name, account, person, person,
                                      reason, grant))
            else:
                unmanaged.append(Unmanaged(state.id, policy, name, account, person, reason,
                                           grant))
    return changes, unmanaged


def _why(state: SystemState, role: RoleState, account: str
         ) -> tuple[Standing, str, int | None]:
    """Why a member is not wanted, and the policy (and grant) that says so."""
    standing, lapsed = role.unwanted(account)
    if account in state.left:
        standing = "left"
    if lapsed is None:
        return standing, role.policy, None
    return standing, lapsed.policy, lapsed.index
