"""The access review page of the internal status site: a provider for site/sections.py.

It shows access as the repository grants it, as of the build: every account that an
AccessPolicy gives a role, through which grant, approved by whom and when, and how long
it has left; and the accounts whose grant no longer counts (expired, unapproved, the
person has left), which `itsm access apply` removes. The build reads no live system
(it has no credentials, and must not need them): `itsm access review` compares with
what the systems really hold.
"""

from __future__ import annotations

from datetime import datetime

from itsm_as_code.access.desired import Entitlement, desired_state
from itsm_as_code.access.review import EXPIRING
from itsm_as_code.site.sections import Cell, Figure, Section, State, Table, Tone
from itsm_as_code.store.repository import Repository
from itsm_as_code.timefmt import format_timestamp

# Status -> (tone, what it means); in the order of the summary figures.
STATUSES: dict[str, tuple[Tone, str]] = {
    "granted": ("ok", "granted"),
    "expiring": ("warn", f"expires within {EXPIRING.days} days"),
    "expired": ("bad", "grant expired"),
    "left": ("bad", "the person has left"),
    "unapproved": ("bad", "approver is not an owner, or approved their own access"),
}
COLUMNS = ("System", "Role", "Account", "Person", "Status", "Policy", "Approved by",
           "Approved", "Age (days)", "Expires", "Ticket")


def review_section(repo: Repository, now: datetime) -> Section | None:
    """Every account the access policies reach, by system, role and account; None when
    the repository has no access policy."""
    if not repo.of_kind("AccessPolicy"):
        return None
    rows: list[tuple[Cell, ...]] = []
    for system_id, state in sorted(desired_state(repo, now).items()):
        for role_name, role in sorted(state.roles.items()):
            held = [(account, "granted", e) for account, e in role.desired.items()]
            held += [(account, lapse, e) for account, (lapse, e) in role.lapsed.items()]
            for account, status, entitlement in sorted(held, key=lambda item: item[0]):
                if status == "granted" and _expiring(entitlement, now):
                    status = "expiring"
                rows.append(_row(system_id, role_name, account, status, entitlement, now))
    counts = {status: sum(1 for row in rows if _status_of(row) == status)
              for status in STATUSES}
    figures = tuple(
        Figure(label, str(counts[status]), "accounts", tone if counts[status] else "ok")
        for status, (tone, label) in STATUSES.items())
    intro = (f"Access as the repository grants it, as of {format_timestamp(now)}: every "
             "account that an access policy gives a role, and those whose grant no longer "
             "counts (`itsm access apply` removes them). What the systems really hold is "
             "compared by `itsm access review`, which reads them; this page reads none.")
    table = Table("Accounts by system and role", COLUMNS, tuple(rows))
    return Section("access-review", "Access review", intro, figures, (table,))


def _expiring(entitlement: Entitlement, now: datetime) -> bool:
    return entitlement.expires is not None and entitlement.expires - now <= EXPIRING


def _row(system: str, role: str, account: str, status: str, entitlement: Entitlement,
         now: datetime) -> tuple[Cell, ...]:
    tone, _ = STATUSES[status]
    approved = entitlement.approved_at
    return (
        system, role, account, entitlement.person, State(status, tone), entitlement.policy,
        entitlement.approved_by, format_timestamp(approved)[:10] if approved else None,
        (now - approved).days if approved else None,
        format_timestamp(entitlement.expires)[:10] if entitlement.expires else "never",
        entitlement.ticket,
    )


def _status_of(row: tuple[Cell, ...]) -> str:
    state = row[4]
    return state.text if isinstance(state, State) else ""
