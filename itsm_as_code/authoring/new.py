"""`itsm new`: a record with a fresh id, checked like any other before it is written."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from itsm_as_code.authoring.drafts import BUILDERS
from itsm_as_code.authoring.ids import next_id
from itsm_as_code.authoring.writer import render, write_new
from itsm_as_code.config import find_root, load_config
from itsm_as_code.errors import RecordError, UsageError
from itsm_as_code.findings import Finding
from itsm_as_code.git.branches import ids_on_branches
from itsm_as_code.model.context import RunContext
from itsm_as_code.resources import load_schema
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Progress, Repository, load_repository
from itsm_as_code.validation.runner import validate
from itsm_as_code.worklock import work_tree_lock
from itsm_as_code.yamlerrors import shown

# Kinds whose folders grow by the thousand are split by year and month of opening.
MONTH_FOLDERS = {"Incident"}


@dataclass(frozen=True)
class Created:
    path: Path
    record_id: str
    text: str


def create_in(start: Path, kind: str, record_id: str | None, at: datetime | None,
              wall: datetime, progress: Progress | None = None, /, **options: Any
              ) -> Created:
    """`create` in the repository at or above `start`, opened `at`, else at `wall` (the
    wall clock, read by the caller) in the repository's time zone; `wall` is the run's
    now, which the record's times may not lie ahead of.

    The work tree's lock is held from reading the records to writing the new one: two
    `itsm new` at once (or one and an ingest) would otherwise read the same records and
    give out the same id. The second waits, then reads what the first wrote. (The
    parameters are positional: `options` hold the kind's own, `--start` among them.)
    """
    root = find_root(start)
    with work_tree_lock(root):
        repo = load_repository(load_config(root), progress)
        now = wall.astimezone(ZoneInfo(repo.config.timezone))
        return create(RunContext(repo, now), kind, record_id, at, **options)


def create(ctx: RunContext, kind: str, record_id: str | None = None,
           opened_at: datetime | None = None, **options: Any) -> Created:
    """Build, check and write a new record, opened at `opened_at`, else at the run's
    `now`; nothing is written when it would be invalid (a time later than the run's `now`
    among the reasons)."""
    opened = opened_at or ctx.now
    repo, spec = ctx.repo, KINDS[kind]
    if record_id is None:
        if spec.id_prefix is None:
            raise UsageError(f"a new {spec.noun} needs an id")
        # Ids on other branches count too, so two branches never allocate the same one.
        on_branches = ids_on_branches(repo.config.records_dir / spec.folder)
        record_id = next_id(spec.id_prefix, [*repo.by_id, *on_branches])
    _check_id(spec.schema, record_id)
    if record_id in repo.by_id:
        taken = repo.by_id[record_id][0].path
        raise UsageError(f"the id '{record_id}' is already used by {taken}")
    fields = BUILDERS[kind](ctx.model, opened, **options)
    data = {"apiVersion": "itsm/v1", "kind": kind, "id": record_id, **fields}
    folder = repo.config.records_dir / spec.folder
    if kind in MONTH_FOLDERS:
        folder = folder / f"{opened:%Y}" / f"{opened:%m}"  # the month it was opened
    path = folder / f"{record_id}.yaml"
    _check_inside(repo, folder)
    hint = os.path.relpath(repo.root / "schemas" / spec.schema, folder).replace(os.sep, "/")
    text = render(data, hint)
    _check(repo, Record(kind, record_id, path.relative_to(repo.root).as_posix(), data,
                        lambda: text), ctx.now)
    write_new(path, text)
    return Created(path, record_id, text)


def _check_id(schema: str, record_id: str) -> None:
    """The id becomes a file name: one the schema refuses (`/etc/x`, `../x`) is refused
    before any path is made of it."""
    rule = load_schema(schema)["$defs"]["id"]
    if not re.fullmatch(rule["pattern"].removeprefix("^").removesuffix("$"), record_id):
        raise UsageError(f"the id '{shown(record_id)}' cannot be used: {rule['description']}")


def _check_inside(repo: Repository, folder: Path) -> None:
    """Refuse to write through a symbolic link: it could point out of the repository."""
    parts = folder.relative_to(repo.root).parts
    for depth in range(1, len(parts) + 1):
        step = repo.root.joinpath(*parts[:depth])
        if step.is_symlink():
            raise RecordError(
                f"{'/'.join(parts[:depth])} is a symbolic link: itsm new writes only inside "
                "the repository, replace the link with a folder")


def _check(repo: Repository, record: Record, now: datetime) -> None:
    trial = Repository(repo.config, [*repo.records, record], list(repo.findings))
    findings: list[Finding] = [
        f for f in validate(trial, [record.path], now).findings if f.level == "error"
    ]
    if findings:
        lines = "\n".join(f"  {f.message} [{f.rule}]" for f in findings)
        raise RecordError(f"{record.path} was not written, it would be invalid:\n{lines}")
