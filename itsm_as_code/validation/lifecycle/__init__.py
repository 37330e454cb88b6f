"""Lifecycle rules: what a change may do to records that exist at a base revision.

`itsm validate --base REF` runs every usual check on the change (the work tree, or the
commit `--head` names), then compares each record of a lifecycle kind whose file differs
from the merge base of REF and the head (what the branch did, not what REF gained since)
with the record as it was there: records are never deleted, `kind` and
`opened_at` never change, timelines are append-only, statuses move along their kind's
table (model/lifecycle.py), closed incidents stay frozen unless reopened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from itsm_as_code.config import Config
from itsm_as_code.git.trees import Revisions
from itsm_as_code.store.repository import Progress, load_repository
from itsm_as_code.validation.lifecycle.check import HISTORY_RULES, check_change
from itsm_as_code.validation.lifecycle.github import github_base
from itsm_as_code.validation.lifecycle.sources import base_records, load_head
from itsm_as_code.validation.runner import Validation, select, validate

__all__ = ["HISTORY_RULES", "check_change", "validate_change", "validate_github"]


def validate_github(config: Config, environment: Mapping[str, str], head: str | None = None,
                    paths: Sequence[str] = (), progress: Progress | None = None,
                    now: datetime | None = None) -> tuple[Validation, str | None]:
    """`--base github`: the validation against the base the Actions event implies, and a
    notice when that base is not the obvious one, or when there is none."""
    chosen = github_base(config.root, environment, head)
    if chosen.ref is None and head is None:
        return validate(load_repository(config, progress), paths, now), chosen.notice
    if chosen.ref is None:
        # The head compared with itself: its records checked, nothing to judge against.
        return (validate_change(config, head or "", head, paths, progress, now=now),
                chosen.notice)
    return (validate_change(config, chosen.ref or "", head, paths, progress, chosen.label,
                            now), chosen.notice)


def validate_change(config: Config, base: str, head: str | None = None,
                    paths: Sequence[str] = (), progress: Progress | None = None,
                    label: str | None = None, now: datetime | None = None) -> Validation:
    """The usual validation of the change (with `now`, times judged against it), with the
    lifecycle rules against the merge base of `base` and the head; findings name it
    `label` (default `base`).

    What git cannot give (no repository, no commits, a revision missing from a shallow
    clone) is raised as a GitError (git/errors.py) before any record is read.
    """
    revisions = Revisions(config.root, config.records_dir, base, head)
    change = (load_head(config, revisions, progress) if head is not None
              else load_repository(config, progress))
    validation = validate(change, paths, now)
    history = select(check_change(change, base_records(config, revisions), label or base), paths)
    return replace(validation, findings=sorted(set(validation.findings) | set(history)))
