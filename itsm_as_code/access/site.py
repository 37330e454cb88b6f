"""The access review page of the internal status site: a provider for site/sections.py.

It shows access as the repository grants it, as of the build: every account that an
AccessPolicy gives a role, through which grant, approved by whom and when, and how long
it has left; and the accounts whose grant no longer counts (expired, the person has
left, unauthorised because the grant is unapproved), which `itsm access apply` removes.
The build reads no live system (it has no credentials, and must not need them): `itsm
access review` compares with what the systems really hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from itsm_as_code.access.desired import EXPIRING, Entitlement, Standing, desired
from itsm_as_code.model.context import RunContext
from itsm_as_code.templating import day_text, local_text
from itsm_as_code.templating.sections import Cell, Figure, Section, State, Table, Tone

# Status -> (tone, what it means); in the order of the summary figures.
STATUSES: dict[Standing, tuple[Tone, str]] = {
    "granted": ("ok", "granted"),
    "expiring": ("warn", f"expires within {EXPIRING.days} days"),
    "expired": ("bad", "grant expired"),
    "left": ("bad", "the person has left"),
    "unauthorised": ("bad", "approver is not an owner, or approved their own access"),
}
COLUMNS = ("System", "Role", "Account", "Person", "Status", "Policy", "Approved by",
           "Approved", "Age (days)", "Expires", "Ticket")


@dataclass(frozen=True)
class AccountRow:
    """One account an access policy reaches, with where it stands and the grant."""

    system: str
    role: str
    account: str
    status: Standing
    held: Entitlement

    def cells(self, now: datetime, zone: tzinfo, named: Mapping[str, str]) -> tuple[Cell, ...]:
        """The row's cells; `named` gives people and teams (by id) the names readers know
        them by."""
        grant = self.held.grant
        approved = grant.approved_at
        return (
            self.system, self.role, self.account,
            named.get(self.held.person, self.held.person),
            State(self.status, STATUSES[self.status][0]), self.held.policy,
            named.get(grant.approved_by, grant.approved_by),
            day_text(approved, zone) if approved else None,
            (now - approved).days if approved else None,
            day_text(grant.expires, zone) if grant.expires else "never", grant.ticket,
        )


def review_section(ctx: RunContext) -> Section | None:
    """Every account the access policies reach, by system, role and account; None when
    the repository has no access policy."""
    if not ctx.repo.of_kind("AccessPolicy"):
        return None
    now, zone = ctx.now, ZoneInfo(ctx.config.timezone)
    rows = account_rows(ctx)
    figures = tuple(
        Figure(label, str(count), "accounts", tone if count else "ok")
        for status, (tone, label) in STATUSES.items()
        for count in [sum(1 for row in rows if row.status == status)])
    intro = (f"Access as the repository grants it, as of {local_text(now, zone)}: every "
             "account that an access policy gives a role, and those whose grant no longer "
             "counts (`itsm access apply` removes them). What the systems really hold is "
             "compared by `itsm access review`, which reads them; this page reads none.")
    model = ctx.model
    names = {pid: person.name for pid, person in model.people.items()}
    names.update({tid: team.name for tid, team in model.teams.items()})
    table = Table("Accounts by system and role", COLUMNS,
                  tuple(row.cells(now, zone, names) for row in rows))
    return Section("access-review", "Access review", intro, figures, (table,))


def account_rows(ctx: RunContext) -> list[AccountRow]:
    """The rows of the review, sorted by system, role and account."""
    rows = []
    for system_id, state in sorted(ctx.shared(desired).items()):
        for role_name, role in sorted(state.roles.items()):
            for account in sorted({*role.desired, *role.lapsed}):
                status, held = role.standing(account, ctx.now)
                assert held is not None  # every account here is reached by a grant
                rows.append(AccountRow(system_id, role_name, account, status, held))
    return rows

