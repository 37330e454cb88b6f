"""Where the desk's records go: the work tree, or (`--commit --branch NAME`) one commit on
a branch made from HEAD, without a checkout, as `itsm event ingest --commit` does.

The records a submission is checked against are read from the same place: the work tree
under its lock (two intakes never give out one id), or the branch's tip, so a second run
for the same issue finds the record the first committed there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from itsm_as_code.config import Config
from itsm_as_code.errors import RecordError
from itsm_as_code.files import write_all
from itsm_as_code.git.branches import ids_on_branches
from itsm_as_code.git.commit import Branch, Identity
from itsm_as_code.model.context import RunContext
from itsm_as_code.store.blobs import records_from_blobs
from itsm_as_code.store.loader import Limits
from itsm_as_code.store.repository import Repository, load_repository
from itsm_as_code.worklock import work_tree_lock


@dataclass(frozen=True)
class Target:
    """`--commit --branch NAME`: the change is a commit on NAME instead of the work tree."""

    branch: str
    author: Identity | None


@dataclass(frozen=True)
class Place:
    """The records to check against, and how to write the new files there."""

    ctx: RunContext
    taken: set[str]
    write: Callable[[dict[str, str], str], str | None]


@contextmanager
def place(config: Config, now: datetime, target: Target | None) -> Iterator[Place]:
    """The records as they are where the change goes; `write(files, message)` writes
    there and returns the commit made, if any."""
    taken = ids_on_branches(config.records_dir)
    if target is None:
        with work_tree_lock(config.root):
            repo = load_repository(config)
            yield Place(RunContext(repo, now), taken, lambda files, _: _write(config, files))
        return
    branch = Branch(config.root, target.branch, action="itsm desk intake")
    limits = Limits(config.max_file_bytes, config.max_aliases)
    blobs = [(path, branch.find(path)) for path in branch.paths(config.records)]
    records, findings = records_from_blobs(blobs, limits)
    repo = Repository(config, records, findings)
    yield Place(RunContext(repo, now), taken,
                lambda files, message: branch.commit(files, message, target.author, now))


def _write(config: Config, files: dict[str, str]) -> None:
    paths = {config.root / path: text.encode("utf-8") for path, text in files.items()}
    try:
        write_all(paths, exclusive=set(paths), durable=True)
    except FileExistsError as error:
        raise RecordError(f"{error.filename} already exists, so nothing was written: run "
                          "the intake again for a fresh id") from None
