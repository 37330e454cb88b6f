"""`itsm new`: a record with a fresh id, checked like any other before it is written."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itsm_as_code.authoring.drafts import BUILDERS
from itsm_as_code.authoring.ids import next_id
from itsm_as_code.authoring.writer import render, write_new
from itsm_as_code.errors import RecordError, UsageError
from itsm_as_code.findings import Finding
from itsm_as_code.git.branches import ids_on_branches
from itsm_as_code.model.context import RunContext
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.runner import validate

# Kinds whose folders grow by the thousand are split by year and month of opening.
MONTH_FOLDERS = {"Incident"}


@dataclass(frozen=True)
class Created:
    path: Path
    record_id: str
    text: str


def create(ctx: RunContext, kind: str, record_id: str | None = None,
           **options: Any) -> Created:
    """Build, check and write a new record, opened at the run's `now`; nothing is written
    when it would be invalid."""
    repo, spec = ctx.repo, KINDS[kind]
    if record_id is None:
        if spec.id_prefix is None:
            raise UsageError(f"a new {spec.noun} needs an id")
        # Ids on other branches count too, so two branches never allocate the same one.
        on_branches = ids_on_branches(repo.config.records_dir / spec.folder)
        record_id = next_id(spec.id_prefix, [*repo.by_id, *on_branches])
    if record_id in repo.by_id:
        taken = repo.by_id[record_id][0].path
        raise UsageError(f"the id '{record_id}' is already used by {taken}")
    fields = BUILDERS[kind](ctx.model, ctx.now, **options)
    data = {"apiVersion": "itsm/v1", "kind": kind, "id": record_id, **fields}
    folder = repo.config.records_dir / spec.folder
    if kind in MONTH_FOLDERS:
        folder = folder / f"{ctx.now:%Y}" / f"{ctx.now:%m}"  # the month it was opened
    path = folder / f"{record_id}.yaml"
    hint = os.path.relpath(repo.root / "schemas" / spec.schema, folder).replace(os.sep, "/")
    text = render(data, hint)
    _check(repo, Record(kind, record_id, path.relative_to(repo.root).as_posix(), data,
                        lambda: text))
    write_new(path, text)
    return Created(path, record_id, text)


def _check(repo: Repository, record: Record) -> None:
    trial = Repository(repo.config, [*repo.records, record], list(repo.findings))
    findings: list[Finding] = [
        f for f in validate(trial, [record.path]).findings if f.level == "error"
    ]
    if findings:
        lines = "\n".join(f"  {f.message} [{f.rule}]" for f in findings)
        raise RecordError(f"{record.path} was not written, it would be invalid:\n{lines}")
