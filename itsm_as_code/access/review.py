"""The access review, for recertification campaigns: every member of every managed role,
the policy and grant that gives it (or none), who approved it, its age and expiry."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from itsm_as_code.access.desired import Entitlement, SystemState
from itsm_as_code.access.plan import Plan
from itsm_as_code.findings import markdown_cell as _markdown
from itsm_as_code.timefmt import format_timestamp

EXPIRING = timedelta(days=14)
STATUSES = ("granted", "expiring", "expired", "left", "unauthorised", "break-glass")


@dataclass(frozen=True)
class ReviewRow:
    """One account holding one role. `status`: granted, expiring (within 14 days),
    expired, left (the person has left), unauthorised (no grant), break-glass."""

    system: str
    role: str
    account: str
    person: str | None
    status: str
    policy: str | None
    grant: int | None
    subject: str | None
    approved_by: str | None
    approved_at: str | None
    age_days: int | None
    expires: str | None


@dataclass
class Review:
    plan: Plan
    rows: list[ReviewRow]

    def count(self) -> dict[str, int]:
        counts = Counter(row.status for row in self.rows)
        return {status: counts[status] for status in STATUSES}


def review(plan: Plan) -> Review:
    """Rows for every member the plan read, sorted by system, role and account."""
    rows = []
    for system in plan.systems:
        if system.before is None:
            continue
        state = plan.states[system.system]
        for role, members in system.before.items():
            rows += [_row(state, role, account, plan.now) for account in members]
    return Review(plan, rows)


def _row(state: SystemState, role: str, account: str, now: datetime) -> ReviewRow:
    target = state.roles[role]
    person = state.people.get(account)
    held: Entitlement | None = target.desired.get(account)
    status = "granted"
    if held is None and account in target.lapsed:
        lapse, held = target.lapsed[account]
        status = {"expired": "expired", "left": "left"}.get(lapse, "unauthorised")
    elif held is not None and held.expires is not None and held.expires - now <= EXPIRING:
        status = "expiring"
    if held is None:
        status = "break-glass" if account in state.break_glass else "unauthorised"
    if account in state.left:
        status = "left"
    approved_at = held.approved_at if held else None
    return ReviewRow(
        state.id, role, account, person, status,
        held.policy if held else target.policy, held.grant if held else None,
        held.subject if held else None, held.approved_by if held else None,
        format_timestamp(approved_at) if approved_at else None,
        (now - approved_at).days if approved_at else None,
        format_timestamp(held.expires) if held and held.expires else None,
    )


def render_text(result: Review) -> str:
    header = ["SYSTEM", "ROLE", "ACCOUNT", "PERSON", "STATUS", "POLICY", "APPROVED BY",
              "AGE", "EXPIRES"]
    table = [header] + [
        [row.system, row.role, row.account, row.person or "-", row.status, row.policy or "-",
         row.approved_by or "-", f"{row.age_days}d" if row.age_days is not None else "-",
         "-" if row.grant is None else (row.expires or "never")[:10]] for row in result.rows]
    widths = [max(len(line[column]) for line in table) for column in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
             .rstrip() for line in table]
    return "\n".join([*lines, _summary(result)]) + "\n"


def render_json(result: Review) -> str:
    document = {"accounts": [asdict(row) for row in result.rows],
                "systems": [system.as_dict() for system in result.plan.systems],
                "summary": {"accounts": len(result.rows), **result.count()}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_csv(result: Review) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in fields(ReviewRow)])
    for row in result.rows:
        writer.writerow(["" if value is None else _cell(value) for value in
                         asdict(row).values()])
    return out.getvalue()


def render_markdown(result: Review) -> str:
    lines = ["### itsm access review", "", _summary(result), "",
             "| System | Role | Account | Person | Status | Policy | Approved by | Age | Expires |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in result.rows:
        cells = [row.system, row.role, row.account, row.person or "", row.status,
                 row.policy or "", row.approved_by or "",
                 f"{row.age_days}d" if row.age_days is not None else "", row.expires or ""]
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


def _cell(value: Any) -> Any:
    # A spreadsheet runs a cell that starts with = + - @ as a formula: account names
    # come from other systems and are not trusted.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


