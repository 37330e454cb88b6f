"""Where the desk's records go: the work tree, or (`--commit --branch NAME`) one commit on
a branch made from HEAD, without a checkout, as `itsm event ingest --commit` does.

The records a submission is checked against are read from the same place: the work tree
under its lock (two intakes never give out one id), or the branch's tip, so a second run
for the same issue finds the record the first committed there (and an intake that lost
the race to commit is made again on the tip the other one left). A branch an earlier run
made is read together with HEAD's records, as they will be once the branch merges: main
may have moved on since (the record merged, then updated there), and a record's state is
its file and all its update files, on either side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from itsm_as_code.config import Config
from itsm_as_code.errors import RecordError
from itsm_as_code.files import write_all
from itsm_as_code.git.branches import ids_on_branches
from itsm_as_code.git.commit import Branch
from itsm_as_code.git.onbranch import Change, Committed, Target, commit_on_branch
from itsm_as_code.git.trees import Revisions
from itsm_as_code.model.context import RunContext
from itsm_as_code.store.blobs import records_from_blobs
from itsm_as_code.store.loader import Limits
from itsm_as_code.store.repository import Repository, load_repository
from itsm_as_code.worklock import work_tree_lock

T = TypeVar("T")


@dataclass(frozen=True)
class Place:
    """The records to check against, and the ids given out anywhere."""

    ctx: RunContext
    taken: set[str]


def deliver(config: Config, now: datetime, target: Target | None,
            work: Callable[[Place], Change[T]]) -> Committed[T]:
    """`work` done on the records as they are where the change goes, and the files it
    makes written there: in the work tree, or committed on `target`'s branch (done again
    on its new tip when another intake committed there first)."""
    if target is None:
        with work_tree_lock(config.root):
            made = work(Place(RunContext(load_repository(config), now),
                              ids_on_branches(config.records_dir)))
            if made.files:
                _write(config, made.files)
        return Committed(made.value, None, 1)

    def change(branch: Branch) -> Change[T]:
        limits = Limits(config.max_file_bytes, config.max_aliases)
        blobs = {path: branch.find(path) for path in branch.paths(config.records)}
        if branch.tip is not None:
            # HEAD's version of a file both hold is the newer one: intake only adds files.
            blobs.update(Revisions(config.root, config.records_dir, "HEAD", "HEAD",
                                   "--commit").head_files())
        records, findings = records_from_blobs(list(blobs.items()), limits)
        repo = Repository(config, records, findings)
        return work(Place(RunContext(repo, now), ids_on_branches(config.records_dir)))

    return commit_on_branch(config.root, target, now, change, action="itsm desk intake")


def _write(config: Config, files: dict[str, str]) -> None:
    paths = {config.root / path: text.encode("utf-8") for path, text in files.items()}
    try:
        write_all(paths, exclusive=set(paths), durable=True)
    except FileExistsError as error:
        raise RecordError(f"{error.filename} already exists, so nothing was written: run "
                          "the intake again for a fresh id") from None
