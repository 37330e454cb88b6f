"""Lifecycle rules: what a change may do to records that exist at a base revision.

`itsm validate --base REF` runs every usual check on the change (the work tree, or the
commit `--head` names), then compares each record of a lifecycle kind whose file differs
from REF with the record as it was at REF: records are never deleted, `kind` and
`opened_at` never change, timelines are append-only, statuses move along their kind's
table (model/lifecycle.py), closed incidents stay frozen unless reopened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from itsm_as_code.config import Config
from itsm_as_code.git.trees import Revisions
from itsm_as_code.store.repository import Progress, load_repository
from itsm_as_code.validation.lifecycle.check import HISTORY_RULES, check_change
from itsm_as_code.validation.lifecycle.sources import base_files, load_head
from itsm_as_code.validation.runner import Validation, select, validate

__all__ = ["HISTORY_RULES", "check_change", "validate_change"]


def validate_change(config: Config, base: str, head: str | None = None,
                    paths: Sequence[str] = (), progress: Progress | None = None,
                    ) -> Validation:
    """The usual validation of the change, with the lifecycle rules against `base`.

    What git cannot give (no repository, no commits, a revision missing from a shallow
    clone) is raised as a GitError (git/errors.py) before any record is read.
    """
    revisions = Revisions(config.root, config.records_dir, base, head)
    change = (load_head(config, revisions, progress) if head is not None
              else load_repository(config, progress))
    validation = validate(change, paths)
    history = select(check_change(change, base_files(revisions), base), paths)
    return replace(validation, findings=sorted(set(validation.findings) | set(history)))
