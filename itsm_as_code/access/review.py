"""The access review, for recertification campaigns: every member of every managed role,
the policy and grant that gives it (or none), who approved it, its age and expiry."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, fields
from datetime import datetime, tzinfo
from typing import Any, Literal

from itsm_as_code.access.desired import SystemState
from itsm_as_code.access.plan import Plan
from itsm_as_code.findings import Summary
from itsm_as_code.reporters import Report, Reporter, Row, Table
from itsm_as_code.timefmt import format_timestamp

Status = Literal["granted", "expiring", "expired", "left", "unauthorised", "break-glass"]
STATUSES: tuple[Status, ...] = (
    "granted", "expiring", "expired", "left", "unauthorised", "break-glass")


@dataclass(frozen=True)
class ReviewRow:
    """One account holding one role. `status`: granted, expiring (within 14 days),
    expired, left (the person has left), unauthorised (no grant that counts),
    break-glass. Times are in the repository's display time zone."""

    system: str
    role: str
    account: str
    person: str | None
    status: Status
    policy: str | None
    grant: int | None  # the index of the grant in the policy
    subject: str | None
    approved_by: str | None
    approved_at: datetime | None
    age_days: int | None
    expires: datetime | None

    def as_dict(self) -> dict[str, Any]:
        """The row as the JSON and CSV exports show it: times as RFC 3339 text."""
        return {f.name: _text(getattr(self, f.name)) for f in fields(self)}


@dataclass
class Review:
    plan: Plan
    rows: list[ReviewRow]

    def count(self) -> dict[str, int]:
        counts = Counter(row.status for row in self.rows)
        return {status: counts[status] for status in STATUSES}


def review(plan: Plan, zone: tzinfo) -> Review:
    """Rows for every member the plan read, sorted by system, role and account; times in
    `zone`."""
    rows = []
    for system in plan.systems:
        if system.before is None:
            continue
        state = plan.states[system.system]
        for role, members in system.before.items():
            rows += [_row(state, role, account, plan.now, zone) for account in members]
    return Review(plan, rows)


def _row(state: SystemState, role: str, account: str, now: datetime, zone: tzinfo
         ) -> ReviewRow:
    target = state.roles[role]
    standing, held = target.standing(account, now)
    status: Status = standing
    if held is None and account in state.break_glass:
        status = "break-glass"
    if account in state.left:
        status = "left"
    grant = held.grant if held else None
    approved_at = grant.approved_at if grant else None
    expires = grant.expires if grant else None
    return ReviewRow(
        state.id, role, account, state.people.get(account), status,
        held.policy if held else target.policy, held.index if held else None,
        grant.subject if grant else None, grant.approved_by if grant else None,
        approved_at.astimezone(zone) if approved_at else None,
        (now - approved_at).days if approved_at else None,
        expires.astimezone(zone) if expires else None,
    )


def _text(value: object) -> object:
    return format_timestamp(value) if isinstance(value, datetime) else value


COLUMNS = ("System", "Role", "Account", "Person", "Status", "Policy", "Approved by", "Age",
           "Expires")


@dataclass(frozen=True, kw_only=True)
class ReviewReport(Report):
    """The review's report, with the review itself for the spreadsheet export."""

    review: Review


def review_report(result: Review) -> ReviewReport:
    """A row per account for people, the accounts and systems for machines."""
    counts = result.count()
    summary = {"accounts": len(result.rows), **counts}
    return ReviewReport(
        summary=Summary("itsm access review", _summary(result), summary),
        tables=[Table(COLUMNS, [_cells(row) for row in result.rows])],
        document={"accounts": [row.as_dict() for row in result.rows],
                  "systems": [system.as_dict() for system in result.plan.systems],
                  "summary": summary},
        review=result)


def _cells(row: ReviewRow) -> Row:
    if row.grant is None:
        expires = "-"
    else:
        expires = format_timestamp(row.expires) if row.expires else "never"
    return Row((row.system, row.role, row.account, row.person or "-", row.status,
                row.policy or "-", row.approved_by or "-",
                f"{row.age_days}d" if row.age_days is not None else "-", expires))


class CsvReporter(Reporter):
    """Every field of every row, for a spreadsheet; cells that a spreadsheet would run as
    a formula are defused."""

    name = "csv"
    help = "every field of every account, for a spreadsheet"

    def render(self, report: Report) -> str:
        if not isinstance(report, ReviewReport):
            raise TypeError("the csv format is the access review's export")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([f.name for f in fields(ReviewRow)])
        for row in report.review.rows:
            writer.writerow(["" if value is None else _cell(value) for value in
                             row.as_dict().values()])
        return out.getvalue()


REVIEW_OVERRIDES: dict[str, Reporter] = {"csv": CsvReporter()}


def _summary(result: Review) -> str:
    counts = ", ".join(f"{n} {status}" for status, n in result.count().items() if n)
    unreachable = len(result.plan.errors)
    tail = f"; {unreachable} system(s) not reachable" if unreachable else ""
    return f"{len(result.rows)} account(s) reviewed: {counts or 'none'}{tail}"


def _cell(value: Any) -> Any:
    # A spreadsheet runs a cell that starts with = + - @ as a formula: account names
    # come from other systems and are not trusted.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
