"""The record after a step, checked before anything is written.

The changed records are read as the store will read them once written (the record file
and its update files, the new one among them, folded by store/blobs.py), put in place of
their old selves, and judged: their schema and the record rules, for the changed records
only (the rest of the repository is not what this step is answerable for, and judging it
would cost as much as `itsm validate`); then the lifecycle rules against the base
revision, comparing each record there with the record after the step, as `itsm validate
--base` will once the step is committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from itsm_as_code.config import Config
from itsm_as_code.errors import RecordError
from itsm_as_code.findings import Finding
from itsm_as_code.git.head import has_commits
from itsm_as_code.git.trees import Revisions
from itsm_as_code.model.model import Model
from itsm_as_code.store.blobs import records_from_blobs
from itsm_as_code.store.loader import Limits
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.lifecycle import check_change
from itsm_as_code.validation.runner import judge

DEFAULT_BASE = "HEAD"


def after_step(config: Config, record: Record, texts: Mapping[str, str]) -> Record:
    """`record` as the store will read it once `texts` (path -> text: its file edited, or a
    new update file) are written: its file and its update files, folded."""
    root = config.root
    paths = [record.path, *(part.path for part in record.parts)]
    blobs: dict[str, bytes | None] = {path: _read(root, path) for path in paths}
    blobs.update((path, text.encode("utf-8")) for path, text in texts.items()
                 if path == record.path or path not in paths)
    found, findings = records_from_blobs(list(blobs.items()), Limits(config.max_file_bytes,
                                                               config.max_aliases))
    mine = [candidate for candidate in found if candidate.path == record.path]
    if findings or not mine:
        lines = "\n".join(f"  {f.path}:{f.line}:{f.column}: {f.message} [{f.rule}]"
                          for f in findings)
        raise RecordError(f"nothing was written: {record.path} could not be read back after "
                          f"the step:\n{lines}")
    return mine[0]


def check_step(repo: Repository, changed: list[Record], now: datetime,
               base: str | None) -> list[Finding]:
    """Every finding on the `changed` records in the repository after the step, and the
    lifecycle rules against `base` (None: HEAD, when the work tree has commits)."""
    paths = {record.path for record in changed}
    trial = Repository(repo.config, [*(r for r in repo.records if r.path not in paths),
                                     *changed], list(repo.findings))
    model = Model(trial)
    ids = {record.id for record in changed}
    kinds = {record.kind for record in changed}
    findings = [f for f in model.schema_findings(kinds) if f.record in ids]
    valid = {id(record) for kind in kinds for record in model.valid_records(kind)}
    findings += judge(model, changed, [r for r in changed if id(r) in valid], now)
    if base is not None or has_commits(repo.root):
        findings += _history(repo.config, changed, base or DEFAULT_BASE)
    return sorted(set(findings))


def _history(config: Config, changed: list[Record], base: str) -> list[Finding]:
    """The lifecycle rules: each changed record at the base revision (its file and its
    update files there, folded) against the record after the step."""
    revisions = Revisions(config.root, config.records_dir, base)
    limits = Limits(config.max_file_bytes, config.max_aliases)
    before: list[Record] = []
    for record in changed:
        try:
            raw = revisions.read_base(record.path)
        except KeyError:
            continue  # new since the base: nothing to compare with
        found, _ = records_from_blobs([(record.path, raw), *revisions.base_updates(record.path)],
                                      limits)
        before += [old for old in found if old.path == record.path]
    return check_change(Repository(config, changed), before, base)


def _read(root: Path, path: str) -> bytes | None:
    target = root / path
    if target.is_symlink():
        return None
    try:
        return target.read_bytes()
    except OSError as error:
        raise RecordError(f"{path}: cannot read: {error.strerror}; nothing was written"
                          ) from None
