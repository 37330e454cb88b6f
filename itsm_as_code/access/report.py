"""How plans and apply runs are shown: text, JSON, markdown (pull request comments) and
GitHub annotations, chosen from dicts like every other report."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from itsm_as_code.access.apply import ApplyReport
from itsm_as_code.access.plan import Change, Plan, Unmanaged
from itsm_as_code.findings import Finding, Level, Summary, render_github
from itsm_as_code.findings import markdown_cell as cell
from itsm_as_code.model.model import Model

MARKER = "<!-- itsm-access-plan -->"
SIGNS = {"grant": "+", "revoke": "-"}


def plan_summary(plan: Plan) -> str:
    text = (f"{plan.count('grant')} to grant, {plan.count('revoke')} to revoke, "
            f"{len(plan.unmanaged)} unmanaged on {len(plan.systems)} system(s)")
    if plan.errors:
        text += f"; {len(plan.errors)} system(s) not reachable"
    return text


def plan_document(plan: Plan) -> dict[str, Any]:
    return {
        "now": plan.now.isoformat(),
        "changes": [change.as_dict() for change in plan.changes],
        "unmanaged": [item.as_dict() for item in plan.unmanaged],
        "systems": [system.as_dict() for system in plan.systems],
        "summary": {"grants": plan.count("grant"), "revokes": plan.count("revoke"),
                    "unmanaged": len(plan.unmanaged), "unreachable": len(plan.errors)},
    }


def describe(change: Change) -> str:
    word = "to" if change.action == "grant" else "from"
    who = f" ({change.person})" if change.person and change.person != change.account else ""
    via = f" via team {change.subject}" if change.subject not in (None, change.person) else ""
    return (f"{change.action} {change.role} {word} {change.account}{who}{via} "
            f"[{change.reason}]")


def _kept(item: Unmanaged) -> str:
    who = f" ({item.person})" if item.person and item.person != item.account else ""
    return f"{item.role}: {item.account}{who} [{item.reason}]"


def plan_text(plan: Plan, model: Model) -> str:
    lines = []
    for system in plan.systems:
        mode = "" if system.writable or system.error else ", read-only"
        lines.append(f"{system.system} ({system.provider}{mode})")
        if system.error is not None:
            lines.append(f"  not reachable: {system.error}")
        lines += [f"  {SIGNS[c.action]} {describe(c)}" for c in system.changes]
        lines += [f"  ~ unmanaged {_kept(item)}" if item.reason != "break-glass" else
                  f"  = kept {_kept(item)}" for item in system.unmanaged]
        lines += [f"  ! role {role} does not exist on {system.system}"
                  for role in system.missing_roles]
        if not (system.error or system.changes or system.unmanaged):
            lines.append("  no changes")
    return "\n".join([*lines, "", f"Plan: {plan_summary(plan)}."]) + "\n"


def plan_json(plan: Plan, model: Model) -> str:
    return json.dumps(plan_document(plan), indent=2, ensure_ascii=False) + "\n"


def plan_markdown(plan: Plan, model: Model) -> str:
    revokes = [c for c in plan.changes if c.action == "revoke"]
    lines = [MARKER, "### itsm access plan", "", f"**{plan_summary(plan)}.**", ""]
    readonly = [s.system for s in plan.systems if s.error is None and not s.writable]
    if readonly:
        lines += [f"Read-only, changed in their source systems: {', '.join(readonly)}.", ""]
    if revokes:
        lines += [f"> [!WARNING]\n> **{len(revokes)} removal(s)**:"]
        lines += [f"> - `{cell(c.account)}` loses `{cell(c.role)}` on {c.system} ({c.reason})"
                  for c in revokes]
        lines.append("")
    for error in plan.errors:
        lines += [f"> [!CAUTION]\n> {cell(str(error))}", ""]
    if plan.changes:
        lines += [f"<details><summary>Changes ({len(plan.changes)})</summary>", "",
                  "| | System | Role | Account | Person | Reason | Policy |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {SIGNS[c.action]} | {c.system} | {cell(c.role)} | {cell(c.account)} | "
                  f"{c.person or ''} | {c.reason} | {c.policy} |" for c in plan.changes]
        lines += ["", "</details>", ""]
    if plan.unmanaged:
        lines += [f"<details><summary>Unmanaged, kept ({len(plan.unmanaged)})</summary>", "",
                  "| System | Role | Account | Person | Reason |",
                  "| --- | --- | --- | --- | --- |"]
        lines += [f"| {u.system} | {cell(u.role)} | {cell(u.account)} | {u.person or ''} | "
                  f"{u.reason} |" for u in plan.unmanaged]
        lines += ["", "</details>", ""]
    return "\n".join(lines)


def plan_github(plan: Plan, model: Model) -> str:
    summary = Summary("itsm access plan", f"Plan: {plan_summary(plan)}.", {})
    return render_github(plan_findings(plan, model), summary)


PLAN_RENDERERS: dict[str, Callable[[Plan, Model], str]] = {
    "text": plan_text, "json": plan_json, "markdown": plan_markdown, "github": plan_github,
}


def plan_findings(plan: Plan, model: Model, unconfigured: Level = "error") -> list[Finding]:
    """The plan as findings at the policy (and grant) each change comes from; a system
    that is not reachable at its System record (`unconfigured` for a missing setting)."""
    found = []
    for system in plan.systems:
        if system.error is not None:
            level: Level = "error" if system.error.configured else unconfigured
            # At the `connection` key, or the record's start when it has none.
            found.append(model.source(system.system).finding(
                "access-plan", str(system.error), ("connection",), key=True, level=level))
        for change in system.changes:
            level = "notice" if change.action == "grant" else "warning"
            found.append(_at(model, change.policy, change.grant, describe(change), level))
        for item in system.unmanaged:
            found.append(_at(model, item.policy, item.grant,
                             f"unmanaged, kept: {_kept(item)}", "notice"))
    return found


def _at(model: Model, policy: str, grant: int | None, message: str, level: Level
        ) -> Finding:
    at: tuple[str | int, ...] = ("grants", grant) if grant is not None else ("role",)
    return model.source(policy).finding("access-plan", message, at, level=level)


def apply_summary(report: ApplyReport) -> str:
    if report.refused:
        return f"refused: {report.refused}"
    counts = {status: len(report.having(status))
              for status in ("applied", "failed", "unverified", "skipped")}
    text = ", ".join(f"{n} {status}" for status, n in counts.items())
    if report.plan.errors:
        text += f"; {len(report.plan.errors)} system(s) not reachable"
    return text


def apply_document(report: ApplyReport) -> dict[str, Any]:
    return {"plan": plan_document(report.plan),
            "results": [outcome.as_dict() for outcome in report.outcomes],
            "refused": report.refused,
            "summary": {"text": apply_summary(report), "succeeded": report.succeeded}}


def apply_text(report: ApplyReport) -> str:
    lines = [f"{o.status:<10} {SIGNS[o.change.action]} {o.change.system}: "
             f"{describe(o.change)}" + (f": {o.detail}" if o.detail else "")
             for o in report.outcomes]
    lines += [f"not reachable: {error}" for error in report.plan.errors]
    return "\n".join([*lines, f"Apply: {apply_summary(report)}."]) + "\n"


def apply_markdown(report: ApplyReport) -> str:
    lines = ["### itsm access apply", "", f"**{cell(apply_summary(report))}.**", ""]
    if report.outcomes:
        lines += ["| Result | | System | Role | Account | Reason | Detail |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {o.status} | {SIGNS[o.change.action]} | {o.change.system} | "
                  f"{cell(o.change.role)} | {cell(o.change.account)} | {o.change.reason} | "
                  f"{cell(o.detail)} |" for o in report.outcomes]
        lines.append("")
    return "\n".join(lines)


def apply_json(report: ApplyReport) -> str:
    return json.dumps(apply_document(report), indent=2, ensure_ascii=False) + "\n"


def apply_github(report: ApplyReport) -> str:
    lines = [f"::{'error' if o.status in ('failed', 'unverified') else 'notice'} "
             f"title=itsm access apply::{o.status}: {o.change.system}: {describe(o.change)}"
             + (f": {o.detail}" if o.detail else "") for o in report.outcomes]
    lines += [f"::error title=itsm access apply::{error}" for error in report.plan.errors]
    if report.refused:
        lines.append(f"::error title=itsm access apply::{report.refused}")
    return "\n".join([*lines, f"Apply: {apply_summary(report)}."]) + "\n"


APPLY_RENDERERS: dict[str, Callable[[ApplyReport], str]] = {
    "text": apply_text, "json": apply_json, "markdown": apply_markdown, "github": apply_github,
}
