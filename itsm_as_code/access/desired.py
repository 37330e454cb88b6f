"""The desired state: which account should hold which role, and through which grant.

A grant counts when it is properly approved (model/approval.py), when it has not
expired, and for each person it reaches who is active (a person who has left has no
desired access anywhere). A Team subject stands for its members. A person's account on a
system is their `accounts` entry for that system, else their id.

Two words say why an account should not hold a role, one for the grant and one for the
account: a grant that gives nothing has *lapsed* (`expired`, `left`, `unapproved`); an
account that holds a role without a grant that counts is *unauthorised* (or `expired`,
`left` when that is why). `standing` turns the one into the other, for the plan, the
review and the site alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from itsm_as_code.model.approval import unapproved
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.model import Model
from itsm_as_code.model.types.organisation import AccessPolicy, Grant, Person, System

Lapse = Literal["expired", "left", "unapproved"]
Standing = Literal["granted", "expiring", "expired", "left", "unauthorised"]
STANDING_OF_LAPSE: dict[Lapse, Standing] = {
    "expired": "expired", "left": "left", "unapproved": "unauthorised"}
EXPIRING = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class Entitlement:
    """One account's claim to a role through one grant (`index` in `policy`'s grants)."""

    policy: str
    index: int
    grant: Grant
    person: str
    account: str

    @property
    def subject(self) -> str:
        return self.grant.subject

    @property
    def expires(self) -> datetime | None:
        return self.grant.expires

    def outlasts(self, other: Entitlement) -> bool:
        if self.expires is None:
            return other.expires is not None
        return other.expires is not None and self.expires > other.expires

    def expiring(self, now: datetime) -> bool:
        return self.expires is not None and self.expires - now <= EXPIRING


@dataclass
class RoleState:
    """The desired members of one role on one system, over every policy that names it."""

    system: str
    role: str
    policies: list[str] = field(default_factory=list)
    exclusive: bool = False
    desired: dict[str, Entitlement] = field(default_factory=dict)
    # Accounts that a grant reaches but that should not hold the role, and why.
    lapsed: dict[str, tuple[Lapse, Entitlement]] = field(default_factory=dict)

    @property
    def policy(self) -> str:
        """The policy that speaks for the role: the first exclusive one, else the first."""
        return self.policies[0]

    def standing(self, account: str, now: datetime
                 ) -> tuple[Standing, Entitlement | None]:
        """Where `account` stands in this role, and the grant it stands by (or the grant
        that lapsed; None when no grant reaches it)."""
        held = self.desired.get(account)
        if held is not None:
            return ("expiring" if held.expiring(now) else "granted"), held
        return self.unwanted(account)

    def unwanted(self, account: str) -> tuple[Standing, Entitlement | None]:
        """Why `account`, which no grant that counts reaches, should not hold the role,
        and the grant that lapsed (None when no grant reaches it)."""
        if account in self.lapsed:
            lapse, held = self.lapsed[account]
            return STANDING_OF_LAPSE[lapse], held
        return "unauthorised", None


@dataclass
class SystemState:
    system: System
    roles: dict[str, RoleState] = field(default_factory=dict)
    # Account -> person id, for every person (so members can be named in a plan).
    people: dict[str, str] = field(default_factory=dict)
    left: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return self.system.id

    @property
    def break_glass(self) -> frozenset[str]:
        return frozenset(self.system.break_glass)


def desired(ctx: RunContext) -> dict[str, SystemState]:
    """The desired state of the run: computed once, shared by every step that asks
    (`ctx.shared(desired)`): the access plan and the site's access review."""
    return desired_state(ctx.model, ctx.now)


def desired_state(model: Model, now: datetime) -> dict[str, SystemState]:
    """Every system with its roles' desired members, by system id."""
    states = {sid: _system(system, model.people) for sid, system in model.systems.items()}
    policies = sorted(model.policies.values(), key=lambda p: (not p.exclusive, p.id))
    for policy in policies:
        state = states.get(policy.system)
        if state is None:
            continue
        role = state.roles.setdefault(policy.role, RoleState(state.id, policy.role))
        role.policies.append(policy.id)
        role.exclusive = role.exclusive or policy.exclusive
        for entitlement, lapse in _entitlements(policy, state.id, model, now):
            if lapse is None:
                held = role.desired.get(entitlement.account)
                if held is None or entitlement.outlasts(held):
                    role.desired[entitlement.account] = entitlement
            elif lapse == "left" or entitlement.account not in role.lapsed:
                role.lapsed[entitlement.account] = (lapse, entitlement)
    for state in states.values():
        for role in state.roles.values():
            for account in role.desired:
                role.lapsed.pop(account, None)
    return states


def _system(system: System, people: dict[str, Person]) -> SystemState:
    state = SystemState(system)
    for person in people.values():
        account = person.account(system.id)
        state.people[account] = person.id
        if not person.active:
            state.left.add(account)
    return state


def _entitlements(policy: AccessPolicy, system: str, model: Model, now: datetime
                  ) -> list[tuple[Entitlement, Lapse | None]]:
    found: list[tuple[Entitlement, Lapse | None]] = []
    for index, grant in enumerate(policy.grants):
        approved = unapproved(policy, grant, model.teams) is None
        for person_id in model.members(grant.subject):
            person = model.people.get(person_id)
            if person is None:
                continue
            entitlement = Entitlement(policy.id, index, grant, person_id,
                                      person.account(system))
            lapse: Lapse | None = None
            if not person.active:
                lapse = "left"
            elif not approved:
                lapse = "unapproved"
            elif grant.expires is not None and grant.expires <= now:
                lapse = "expired"
            found.append((entitlement, lapse))
    return found
