"""A change committed on a branch instead of the work tree (`--commit --branch NAME`), made
again on the branch's new tip when another run committed there first.

The one loop of every writer that commits without a checkout (alert ingestion, the desk's
intake, the SLA ledger, routines' check-ins): read the branch, make the change from what
it holds, commit with compare-and-swap (`Branch.commit`); when the branch moved, read it
again and redo the change, so what the other run committed is seen, never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Generic, TypeVar

from itsm_as_code.git.commit import Branch, Identity, RefMoved

T = TypeVar("T")
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Target:
    """`--commit --branch NAME`: the change goes as a commit on NAME (made from HEAD when
    missing) by `author` (None: git's configured identity)."""

    branch: str
    author: Identity | None = None


@dataclass(frozen=True)
class Change(Generic[T]):
    """What a change made of the branch as read: its result, the files to commit (path ->
    text; none: nothing to commit) and the commit's message."""

    value: T
    files: dict[str, str]
    message: str = ""


@dataclass(frozen=True)
class Committed(Generic[T]):
    """The result of the change that landed, its commit (None: nothing to commit), and
    the attempts it took."""

    value: T
    commit: str | None
    attempts: int


def commit_on_branch(root: Path, target: Target, now: datetime,
                     change: Callable[[Branch], Change[T]], *, action: str,
                     needs: str = "--commit", own_tree: bool = False,
                     attempts: int = MAX_ATTEMPTS,
                     pause: Callable[[int], None] | None = None) -> Committed[T]:
    """Make `change` on `target`'s branch as read, and commit it, at most `attempts`
    times; `pause(attempt)` waits before the next one. Raises RefMoved when every attempt
    lost the race. `needs`, `own_tree` and `action` are `Branch`'s."""
    for attempt in range(1, attempts + 1):
        # Read again on every attempt: the change is redone on the new tip.
        branch = Branch(root, target.branch, needs, own_tree=own_tree, action=action)
        made = change(branch)
        if not made.files:
            return Committed(made.value, None, attempt)
        try:
            oid = branch.commit(made.files, made.message, target.author, now)
        except RefMoved:
            if pause is not None:
                pause(attempt)
            continue
        return Committed(made.value, oid, attempt)
    raise RefMoved(needs, target.branch, attempts)
