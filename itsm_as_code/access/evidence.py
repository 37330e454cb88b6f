"""Evidence for auditors: one JSON file per apply run, with the time, who ran it, the
actual state before, the plan, every result, and the actual state after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from itsm_as_code.access.apply import ApplyReport
from itsm_as_code.access.report import apply_summary, plan_document
from itsm_as_code.errors import UsageError
from itsm_as_code.files import write_atomic
from itsm_as_code.timefmt import format_timestamp, utc

FORMAT = "itsm-access-evidence/v1"


@dataclass(frozen=True)
class Provenance:
    """Who ran the apply and from what: told by the CLI, which reads the environment."""

    actor: str
    command: str
    applied: bool
    commit: str | None = None
    run_url: str | None = None


def document(report: ApplyReport, context: Provenance) -> dict[str, Any]:
    plan = report.plan
    return {
        "format": FORMAT,
        "time": format_timestamp(utc(plan.now)),
        "actor": context.actor,
        "command": context.command,
        "applied": context.applied,
        "commit": context.commit,
        "run_url": context.run_url,
        "systems": [system.as_dict() for system in plan.systems],
        "before": {s.system: s.before for s in plan.systems if s.before is not None},
        "plan": plan_document(plan),
        "refused": report.refused,
        "results": [outcome.as_dict() for outcome in report.outcomes],
        "after": report.after,
        "summary": apply_summary(report),
        "succeeded": report.succeeded and not plan.errors,
    }


def write(folder: Path, evidence: dict[str, Any], now: datetime) -> Path:
    """Write the evidence as a new file in `folder`, named by the run's time; never
    overwrite an earlier run's file, never leave half a file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create the evidence folder {folder}: {error.strerror}"
                         ) from None
    stamp = utc(now).strftime("%Y%m%dT%H%M%SZ")
    data = (json.dumps(evidence, indent=2, ensure_ascii=False) + "\n").encode()
    for attempt in range(1000):
        path = folder / (f"access-{stamp}.json" if attempt == 0 else
                         f"access-{stamp}-{attempt}.json")
        try:
            write_atomic(path, data, exclusive=True, durable=True, prefix=".access-")
        except FileExistsError:
            continue
        return path
    raise UsageError(f"{folder} already holds 1000 evidence files for {stamp}")
