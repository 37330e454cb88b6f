"""The check before an ingest writes: the records it changed, as its files make them,
must pass their schema and the cross-record rules, or nothing is written."""

from __future__ import annotations

from datetime import datetime

from itsm_as_code.errors import RecordError
from itsm_as_code.findings import shortened
from itsm_as_code.model.model import Model
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.runner import judge

# Bounds on the refusal's text: findings listed, characters per finding.
MAX_LISTED = 20


def check(trial: Repository, changed: list[Record], now: datetime) -> None:
    """Schema and cross-record rules for the changed incidents only (`trial` holds no
    other incident): the rest of the repository is not what this ingest is answerable
    for, and checking it would cost as much as `itsm validate`."""
    model = Model(trial)
    kinds = ["Incident", "Maintenance"]
    problems = [*model.schema_findings(kinds),
                *judge(model, changed, [r for kind in kinds for r in model.valid_records(kind)],
                      now)]
    errors = sorted(f for f in problems if f.level == "error")
    if errors:
        # A schema message quotes the value, which a storm makes megabytes long.
        lines = [f"  {f.path}:{f.line}:{f.column}: {shortened(f.message)} [{f.rule}]"
                 for f in errors[:MAX_LISTED]]
        if len(errors) > MAX_LISTED:
            lines.append(f"  and {len(errors) - MAX_LISTED} more")
        raise RecordError("nothing was written, the ingest would leave invalid incidents:\n"
                          + "\n".join(lines))
