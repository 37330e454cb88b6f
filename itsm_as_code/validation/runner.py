"""Running a validation: the model's schema verdict on every record, then the record rules.

The schema of each record is checked once per run, by the model (`Model`): `itsm run`'s
later steps read the same verdict instead of checking again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial

from itsm_as_code.findings import Finding
from itsm_as_code.model.model import Model
from itsm_as_code.parallel import by_turns
from itsm_as_code.rule import Rule
from itsm_as_code.store.loader import PARALLEL_FROM
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.outcome import Validation, ValidationSummary, select
from itsm_as_code.validation.rules import RULES
from itsm_as_code.validation.rules.base import Judged

__all__ = ["Validation", "ValidationSummary", "judge", "select", "validate"]


def validate(source: Model | Repository, paths: Sequence[str] = (),
             now: datetime | None = None) -> Validation:
    """Check every record of a repository (or of the model a run already holds, whose
    schema verdict is then reused); with `paths`, report only findings under those paths;
    with `now`, times of what happened are judged against it too.

    The whole repository is always checked, because a reference in one file depends on
    the others; `paths` (relative to the repository root) narrows what is reported.
    """
    model = source if isinstance(source, Model) else Model(source)
    repo = model.repo
    findings = [*repo.findings, *model.schema_findings(),
                *judge(model, repo.records, model.valid_records(), now)]
    files = len(repo.records) + len(repo.findings)
    return Validation(sorted(set(select(findings, paths))), len(repo.records), files)


def judge(model: Model, records: Sequence[Record], valid: Sequence[Record],
          now: datetime | None = None) -> list[Finding]:
    """The record rules' findings on `records`, of which `valid` passed their schema: rules
    of scope `repository` see all of them, the others only the valid ones. Without `now`,
    no time is judged against the clock."""
    every, checked = Judged(model, records, now), Judged(model, valid, now)
    # The rules are independent of each other: on a large repository, two processes
    # share them (the second forked, so it has the model without a copy).
    runs = [partial(_findings, rule, every if rule.scope == "repository" else checked)
            for rule in RULES.values()]
    found = by_turns(runs, parallel=len(records) >= PARALLEL_FROM)
    return [finding for findings in found for finding in findings]


def _findings(rule: Rule[Judged], judged: Judged) -> list[Finding]:
    return list(rule.run(judged))
