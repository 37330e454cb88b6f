"""The access review, for recertification campaigns: every member of every managed role,
the policy and grant that gives it (or none), who approved it, its age and expiry."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, tzinfo
from typing import Any, Literal

from itsm_as_code.access.desired import SystemState
from itsm_as_code.access.plan import Plan
from itsm_as_code.findings import markdown_cell as _markdown
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


def render_text(result: Review) -> str:
    header = ["SYSTEM", "ROLE", "ACCOUNT", "PERSON", "STATUS", "POLICY", "APPROVED BY",
              "AGE", "EXPIRES"]
    table = [header] + [
        [row.system, row.role, row.account, row.person or "-", row.status, row.policy or "-",
         row.approved_by or "-", f"{row.age_days}d" if row.age_days is not None else "-",
         "-" if row.grant is None else _day(row.expires)] for row in result.rows]
    widths = [max(len(line[column]) for line in table) for column in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
             .rstrip() for line in table]
    return "\n".join([*lines, _summary(result)]) + "\n"


def render_json(result: Review) -> str:
    document = {"accounts": [row.as_dict() for row in result.rows],
                "systems": [system.as_dict() for system in result.plan.systems],
                "summary": {"accounts": len(result.rows), **result.count()}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_csv(result: Review) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in fields(ReviewRow)])
    for row in result.rows:
        writer.writerow(["" if value is None else _cell(value) for value in
                         row.as_dict().values()])
    return out.getvalue()


def render_markdown(result: Review) -> str:
    lines = ["### itsm access review", "", _summary(result), "",
             "| System | Role | Account | Person | Status | Policy | Approved by | Age | Expires |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in result.rows:
        cells = [row.system, row.role, row.account, row.person or "", row.status,
                 row.policy or "", row.approved_by or "",
                 f"{row.age_days}d" if row.age_days is not None else "",
                 format_timestamp(row.expires) if row.expires else ""]
        lines.append("| " + " | ".join(_markdown(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[[Review], str]] = {
    "text": render_text, "json": render_json, "markdown": render_markdown, "csv": render_csv,
}


def _summary(result: Review) -> str:
    counts = ", ".join(f"{n} {status}" for status, n in result.count().items() if n)
    unreachable = len(result.plan.errors)
    tail = f"; {unreachable} system(s) not reachable" if unreachable else ""
    return f"{len(result.rows)} account(s) reviewed: {counts or 'none'}{tail}"


def _day(expires: datetime | None) -> str:
    return format_timestamp(expires)[:10] if expires else "never"


def _cell(value: Any) -> Any:
    # A spreadsheet runs a cell that starts with = + - @ as a formula: account names
    # come from other systems and are not trusted.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


