"""What `itsm access plan` and `itsm access apply` report: their summaries, tables,
findings and JSON documents as `Report`s for the shared reporters, and the plan's pull
request comment, the one page of its own (an override of the markdown format)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from itsm_as_code.access.apply import ApplyReport, Outcome
from itsm_as_code.access.plan import Change, Plan, SystemPlan, Unmanaged
from itsm_as_code.findings import Finding, Level, Summary
from itsm_as_code.findings import markdown_cell as cell
from itsm_as_code.model.model import Model
from itsm_as_code.reporters import MarkdownReporter, Report, Reporter, Row, Table

MARKER = "<!-- itsm-access-plan -->"
SIGNS = {"grant": "+", "revoke": "-"}
PLAN_COLUMNS = ("Change", "Role", "Account", "Person", "Via", "Reason", "Policy")
APPLY_COLUMNS = ("Result", "Change", "System", "Role", "Account", "Person", "Via", "Reason",
                 "Detail")
APPLY_TITLE = "itsm access apply"


@dataclass(frozen=True, kw_only=True)
class PlanReport(Report):
    """The plan's report, with the plan itself for the pull request comment."""

    plan: Plan


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
        "summary": _counts(plan),
    }


def _counts(plan: Plan) -> dict[str, int]:
    return {"grants": plan.count("grant"), "revokes": plan.count("revoke"),
            "unmanaged": len(plan.unmanaged), "unreachable": len(plan.errors)}


def plan_report(plan: Plan, model: Model) -> PlanReport:
    """The plan: a table per system for people, the changes as annotations at the
    policies (and grants) they come from, the plan document for machines."""
    return PlanReport(
        summary=Summary("itsm access plan", f"Plan: {plan_summary(plan)}.", _counts(plan)),
        tables=[_system_table(system) for system in plan.systems],
        document=plan_document(plan), annotations=plan_findings(plan, model), plan=plan)


def _system_table(system: SystemPlan) -> Table:
    mode = "" if system.writable or system.error else ", read-only"
    notes = [f"role {role} does not exist on {system.system}" for role in system.missing_roles]
    if system.error is not None:
        notes = [f"not reachable: {system.error}"]
    elif not (system.changes or system.unmanaged):
        notes.append("no changes")
    rows = [*(_change_row(change) for change in system.changes),
            *(Row(("= kept" if item.reason == "break-glass" else "~ unmanaged", item.role,
                   item.account, item.person or "-", "-", item.reason, item.policy))
              for item in system.unmanaged)]
    return Table(PLAN_COLUMNS, rows, f"{system.system} ({system.provider}{mode})",
                 "; ".join(notes))


def _change_row(change: Change) -> Row:
    return Row((f"{SIGNS[change.action]} {change.action}", change.role, change.account,
                change.person or "-", _via(change) or "-", change.reason, change.policy))


def _via(change: Change) -> str | None:
    """The subject a change comes through when it is not the person (a team)."""
    return change.subject if change.subject not in (None, change.person) else None


def describe(change: Change) -> str:
    word = "to" if change.action == "grant" else "from"
    who = f" ({change.person})" if change.person and change.person != change.account else ""
    via = f" via team {change.subject}" if _via(change) else ""
    cites = f" for {change.ticket}" if change.ticket else ""
    return (f"{change.action} {change.role} {word} {change.account}{who}{via}{cites} "
            f"[{change.reason}]")


def _kept(item: Unmanaged) -> str:
    who = f" ({item.person})" if item.person and item.person != item.account else ""
    return f"{item.role}: {item.account}{who} [{item.reason}]"


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


class PlanComment(MarkdownReporter):
    """The plan as the pull request comment the access workflow posts, and updates in
    place by its first line (MARKER): counts first, removals and unreachable systems
    called out, the tables folded."""

    name = "markdown"

    def render(self, report: Report) -> str:
        if not isinstance(report, PlanReport):
            return super().render(report)
        plan = report.plan
        revokes = [c for c in plan.changes if c.action == "revoke"]
        lines = [MARKER, f"### {report.summary.title}", "", f"**{plan_summary(plan)}.**", ""]
        readonly = [s.system for s in plan.systems if s.error is None and not s.writable]
        if readonly:
            lines += [f"Read-only, changed in their source systems: {', '.join(readonly)}.", ""]
        if revokes:
            lines += [f"> [!WARNING]\n> **{len(revokes)} removal(s)**:"]
            lines += [f"> - `{cell(c.account)}` loses `{cell(c.role)}` on {c.system} "
                      f"({c.reason})" for c in revokes]
            lines.append("")
        for error in plan.errors:
            lines += [f"> [!CAUTION]\n> {cell(str(error))}", ""]
        if plan.changes:
            lines += [f"<details><summary>Changes ({len(plan.changes)})</summary>", "",
                      "| | System | Role | Account | Person | Reason | Policy |",
                      "| --- | --- | --- | --- | --- | --- | --- |"]
            lines += [f"| {SIGNS[c.action]} | {c.system} | {cell(c.role)} | {cell(c.account)} "
                      f"| {c.person or ''} | {c.reason} | {c.policy} |" for c in plan.changes]
            lines += ["", "</details>", ""]
        if plan.unmanaged:
            lines += [f"<details><summary>Unmanaged, kept ({len(plan.unmanaged)})</summary>",
                      "", "| System | Role | Account | Person | Reason |",
                      "| --- | --- | --- | --- | --- |"]
            lines += [f"| {u.system} | {cell(u.role)} | {cell(u.account)} | {u.person or ''} "
                      f"| {u.reason} |" for u in plan.unmanaged]
            lines += ["", "</details>", ""]
        return "\n".join(lines)


PLAN_OVERRIDES: dict[str, Reporter] = {"markdown": PlanComment()}


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


def apply_report(report: ApplyReport) -> Report:
    """What an apply run did: a row per change, then the systems not reached (as notes:
    a table without rows), and an annotation for each."""
    summary = apply_summary(report)
    rows = [_outcome_row(outcome) for outcome in report.outcomes]
    return Report(
        summary=Summary(APPLY_TITLE, f"Apply: {summary}.",
                        {"text": summary, "succeeded": report.succeeded}),
        tables=[*([Table(APPLY_COLUMNS, rows)] if rows else []),
                *(Table((), (), note=f"not reachable: {error}")
                  for error in report.plan.errors)],
        document=apply_document(report), annotations=_apply_annotations(report))


def _apply_annotations(report: ApplyReport) -> list[Finding]:
    # Not tied to a file (no path): the run, not a record, is what they are about.
    found = [Finding("", 0, 0, APPLY_TITLE, _outcome_line(outcome),
                     level="error" if outcome.status in ("failed", "unverified") else "notice")
             for outcome in report.outcomes]
    found += [Finding("", 0, 0, APPLY_TITLE, str(error)) for error in report.plan.errors]
    if report.refused:
        found.append(Finding("", 0, 0, APPLY_TITLE, report.refused))
    return found


def _outcome_row(outcome: Outcome) -> Row:
    change = outcome.change
    return Row((outcome.status, f"{SIGNS[change.action]} {change.action}", change.system,
                change.role, change.account, change.person or "-", _via(change) or "-",
                change.reason, outcome.detail or "-"))


def _outcome_line(outcome: Outcome) -> str:
    change = outcome.change
    return (f"{outcome.status}: {change.system}: {describe(change)}"
            + (f": {outcome.detail}" if outcome.detail else ""))
