"""What `itsm ops check` says: a line per routine, its findings, and the same for machines."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from itsm_as_code.events.deliver import Delivery
from itsm_as_code.events.report import ingest_summary, summary_text
from itsm_as_code.findings import Summary
from itsm_as_code.ops.check import OpsCheck, describe, when
from itsm_as_code.ops.runs import Runs
from itsm_as_code.reporters import Report, Row, Table
from itsm_as_code.timefmt import format_duration, format_timestamp

TITLE = "itsm ops check"
COLUMNS = ("ROUTINE", "STATE", "LAST RUN", "LAST GOOD", "NEXT DUE", "MISSED", "FAILED",
           "STREAK")
STATE_WORDS = {"ok": "ok", "missed": "missed", "failed": "failed", "new": "new"}


def report(result: OpsCheck, delivery: Delivery | None = None,
           branch: str | None = None) -> Report:
    """The routines, then what ingesting their alerts did (with --open-incidents)."""
    zone = result.zone
    rows = [Row((runs.routine.name, STATE_WORDS[runs.state],
                 _run(runs, result), when(runs.last_good.at if runs.last_good else None, zone),
                 when(runs.next_due, zone), str(_count(runs, "missed")),
                 str(_count(runs, "failed")), str(runs.streak)),
                "\u274c" if runs.state in ("missed", "failed") else "")
            for runs in result.runs]
    failing = len(result.failing)
    text = (f"{len(result.runs)} routine(s): {failing} failing "
            f"({sum(r.state == 'missed' for r in result.runs)} missed, "
            f"{sum(r.state == 'failed' for r in result.runs)} failed), "
            f"{sum(r.state == 'ok' for r in result.runs)} ok, "
            f"{sum(r.state == 'new' for r in result.runs)} new "
            f"(as of {when(result.now, zone)})")
    data = {"routines": len(result.runs), "failing": failing, "passed": not failing}
    document: dict[str, Any] = {"now": format_timestamp(result.now.astimezone(zone)),
                "routines": [as_data(runs, result) for runs in result.runs],
                "findings": [finding.as_dict() for finding in result.findings],
                "summary": data}
    findings = list(result.findings)
    trailer: list[str] = []
    if delivery is not None:
        figures = ingest_summary(delivery, branch)
        findings += delivery.ingested.findings
        trailer.append(f"incidents: {summary_text(figures)}")
        document["incidents"] = asdict(figures)
    return Report(Summary(TITLE, text, data), findings,
                  [Table(COLUMNS, rows, note="MISSED and FAILED count the runs of the last "
                         "90 days; STREAK the good runs in a row.")],
                  document, trailer=tuple(trailer))


def _run(runs: Runs, result: OpsCheck) -> str:
    last = runs.last_run
    return f"{when(last.at, result.zone)} {last.status}" if last is not None else "-"


def _count(runs: Runs, state: str) -> int:
    return sum(slot.state == state for slot in runs.slots)


def as_data(runs: Runs, result: OpsCheck) -> dict[str, Any]:
    zone = result.zone

    def stamp(moment: Any) -> str | None:
        return format_timestamp(moment.astimezone(zone)) if moment is not None else None

    routine = runs.routine
    return {
        "routine": routine.id, "name": routine.name, "service": routine.service,
        "team": routine.team, "state": runs.state, "since": stamp(runs.bad_since),
        "last_run": stamp(runs.last_run.at if runs.last_run else None),
        "last_run_status": runs.last_run.status if runs.last_run else None,
        "last_good": stamp(runs.last_good.at if runs.last_good else None),
        "next_due": stamp(runs.next_due), "streak": runs.streak,
        "grace": format_duration(int(routine.grace.total_seconds())),
        "missed": _count(runs, "missed"), "failed": _count(runs, "failed"),
        "runs": [{"due": stamp(slot.due), "state": slot.state,
                  "reported_at": stamp(slot.checkin.at if slot.checkin else None),
                  "late": slot.late, "problems": [p.message for p in slot.problems],
                  "said": describe(slot, routine.grace, zone)}
                 for slot in runs.slots if slot.state != "ok"],
    }
