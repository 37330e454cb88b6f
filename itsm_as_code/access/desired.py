"""The desired state: which account should hold which role, and through which grant.

A grant counts when its approver is an owner of the policy, is not the subject and is not
a member of the team that receives it; when it has not expired; and for each person it
reaches who is active (a person who has left has no desired access anywhere). A Team
subject stands for its members. A person's account on a system is their `accounts` entry
for that system, else their id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.timefmt import parse_timestamp

Lapse = Literal["expired", "left", "unapproved"]


@dataclass(frozen=True)
class Entitlement:
    """One account's claim to a role through one grant of one policy."""

    policy: str
    grant: int
    subject: str
    person: str
    account: str
    approved_by: str
    approved_at: datetime | None
    expires: datetime | None
    ticket: str | None

    def outlasts(self, other: Entitlement) -> bool:
        if self.expires is None:
            return other.expires is not None
        return other.expires is not None and self.expires > other.expires


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


@dataclass
class SystemState:
    system: Record
    roles: dict[str, RoleState] = field(default_factory=dict)
    # Account -> person id, for every person (so members can be named in a plan).
    people: dict[str, str] = field(default_factory=dict)
    left: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return self.system.id

    @property
    def break_glass(self) -> set[str]:
        return set(self.system.get("break_glass") or [])


def account_of(person: Record, system: str) -> str:
    accounts: dict[str, Any] = person.get("accounts") or {}
    return str(accounts.get(system, person.id))


def desired_state(repo: Repository, now: datetime) -> dict[str, SystemState]:
    """Every system with its roles' desired members, by system id."""
    people = {person.id: person for person in repo.of_kind("Person")}
    teams = {team.id: team for team in repo.of_kind("Team")}
    states = {system.id: _system(system, people) for system in repo.of_kind("System")}
    policies = sorted(repo.of_kind("AccessPolicy"),
                      key=lambda p: (not p.get("exclusive", False), p.id))
    for policy in policies:
        state = states.get(policy.get("system"))
        if state is None:
            continue
        role = state.roles.setdefault(policy.get("role"),
                                      RoleState(state.id, policy.get("role")))
        role.policies.append(policy.id)
        role.exclusive = role.exclusive or bool(policy.get("exclusive", False))
        for entitlement, lapse in _entitlements(policy, state.id, people, teams, now):
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


def _system(system: Record, people: dict[str, Record]) -> SystemState:
    state = SystemState(system)
    for person in people.values():
        account = account_of(person, system.id)
        state.people[account] = person.id
        if person.get("status") == "left":
            state.left.add(account)
    return state


def _entitlements(
    policy: Record, system: str, people: dict[str, Record], teams: dict[str, Record],
    now: datetime,
) -> list[tuple[Entitlement, Lapse | None]]:
    owners = set(policy.get("owners") or [])
    found: list[tuple[Entitlement, Lapse | None]] = []
    for index, grant in enumerate(policy.get("grants") or []):
        subject, by = grant["subject"], grant["approved_by"]
        team = teams.get(subject)
        members = list(team.get("members") or []) if team is not None else [subject]
        approved = by in owners and by != subject and by not in (
            members if team is not None else ())
        expires = optional_time(grant.get("expires"))
        for person_id in members:
            person = people.get(person_id)
            if person is None:
                continue
            entitlement = Entitlement(
                policy.id, index, subject, person_id, account_of(person, system), by,
                optional_time(grant.get("approved_at")), expires, grant.get("ticket"))
            lapse: Lapse | None = None
            if person.get("status") == "left":
                lapse = "left"
            elif not approved:
                lapse = "unapproved"
            elif expires is not None and expires <= now:
                lapse = "expired"
            found.append((entitlement, lapse))
    return found


def optional_time(text: object) -> datetime | None:
    """The time a record's text holds, or None when there is none (or it is unreadable,
    which the schema check reports)."""
    try:
        return parse_timestamp(text) if isinstance(text, str) else None
    except ValueError:
        return None
