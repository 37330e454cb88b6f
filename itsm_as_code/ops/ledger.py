"""Where check-ins are kept: a commit per run on the ops branch, or a file in the work tree.

`--commit` adds the run's file to the branch (default `itsm/ops`) without a checkout: the
work tree, the index and HEAD stay as they are, and the branch holds check-ins alone (its
first commit has no parent, so record pull requests never see it). The branch moves by
compare-and-swap (git/commit.py): when another run moved it meanwhile, the commit is
made again on the new tip after a short random wait, up to MAX_ATTEMPTS times, so fifty
runs that report at once all land. Pushing the branch is the caller's step.

Reading takes the check-ins of the work tree's `ops/checkins/` and of the branch (when
the repository is in git and the branch exists), a file found in both counted once.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from itsm_as_code.config import Config
from itsm_as_code.files import read_regular, write_atomic
from itsm_as_code.findings import Finding
from itsm_as_code.git.commit import Branch
from itsm_as_code.git.onbranch import Change, Target, commit_on_branch
from itsm_as_code.git.repo import enclosing
from itsm_as_code.ops.checkins import (
    FOLDER,
    RULE,
    CheckIn,
    Found,
    dump,
    file_path,
    parse,
    work_tree_files,
)
from itsm_as_code.store.loader import Limits

MAX_ATTEMPTS = 60
NEEDS = "--commit"
ACTION = "itsm ops checkin"


@dataclass(frozen=True)
class Recorded:
    """Where a check-in went: its file, and the commit with `--commit`."""

    checkin: CheckIn
    path: str
    branch: str | None = None
    commit: str | None = None
    attempts: int = 1


def record(root: Path, checkin: CheckIn, now: datetime,
           target: Target | None = None) -> Recorded:
    """Write the check-in's file into the work tree, or commit it on `target`'s branch."""
    path = file_path(checkin)
    text = dump(checkin)
    if target is None:
        where = root / path
        where.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(where, text.encode(), exclusive=True, durable=True)
        return Recorded(checkin, path)
    message = f"itsm ops checkin: {checkin.routine} {checkin.status}\n\n{path}\n"
    done = commit_on_branch(root, target, now,
                            lambda _: Change(None, {path: text}, message), action=ACTION,
                            needs=NEEDS, own_tree=True, attempts=MAX_ATTEMPTS, pause=_pause)
    return Recorded(checkin, path, target.branch, done.commit, done.attempts)


def _pause(attempt: int) -> None:
    """Another run landed first: wait a little (longer as the crowd shows) before
    committing again on the tip it made."""
    time.sleep(random.uniform(0, min(0.5, 0.02 * attempt)))


def read(config: Config, branch: str | None = None, since: datetime | None = None) -> Found:
    """Every check-in of the work tree and of `branch` (None: itsm.yaml's
    `operations.branch`), oldest first by routine; with `since`, only those of the months
    from the one before it on."""
    branch = branch or config.ops_branch
    limits = Limits(config.max_file_bytes, config.max_aliases)
    first = _month_before(since) if since is not None else None
    found = Found()
    seen: set[str] = set()
    root = config.root
    for path, where in work_tree_files(root):
        if _wanted(path, first):
            seen.add(path)
            try:
                raw = read_regular(where, config.max_file_bytes + 1)
            except OSError as error:
                found.add(_unreadable(path, error))
                continue
            found.add(parse(raw, path, limits))
    if enclosing(root) is not None:
        tip = Branch(root, branch, "--branch", own_tree=True, action=ACTION)
        for path in tip.paths(FOLDER):
            if path not in seen and _wanted(path, first):
                blob = tip.find(path)
                if blob is not None:
                    found.add(parse(blob, path, limits, f"{branch}:{path}"))
    return found.sort()


def _wanted(path: str, first: str | None) -> bool:
    """Whether a check-in's month folder (`ops/checkins/ROUTINE/YYYY-MM/...`) is wanted."""
    parts = path.split("/")
    return first is None or len(parts) != 5 or parts[3] >= first


def _month_before(moment: datetime) -> str:
    year, month = (moment.year, moment.month - 1) if moment.month > 1 else (moment.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def _unreadable(path: str, error: OSError) -> Finding:
    return Finding(path, 1, 1, RULE, f"not read: {error.strerror or error}", None, "warning")
