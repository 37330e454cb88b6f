"""Priority follows from impact and urgency through itsm.yaml's matrix."""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.findings import Finding
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository


def check(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    for record in records:
        if record.kind != "Incident":
            continue
        impact, urgency = record.get("impact"), record.get("urgency")
        expected = repo.config.priority(impact, urgency)
        if expected is not None and record.get("priority") != expected:
            yield record.finding(
                "priority-matrix",
                f"priority is {record.get('priority')} but impact {impact} x urgency {urgency} "
                f"gives {expected} (priority_matrix in itsm.yaml): set priority: {expected}",
                ("priority",),
            )
