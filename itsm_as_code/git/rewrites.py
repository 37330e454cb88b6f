"""Published history that was rewritten: commits a remote-tracking branch once held
(its reflog says so) and no longer holds.

A fetch after someone force-pushed moves `origin/main` to a commit that does not descend
from where it was; the reflog of `refs/remotes/origin/main` keeps the old position. The
commits reachable from an old position but not from the current one were dropped from
the published branch. Local branches are left out on purpose: amending or rebasing work
that was never pushed is not a rewrite of anyone's history.

Only protected branches count: a pull request branch amended and force-pushed by its
author, or a bot's branch it rebuilds (events/alerts), is rewritten by design. Protected
are the branches itsm.yaml's `audit.protected_branches` names (glob patterns), by default
each remote's default branch (`refs/remotes/<remote>/HEAD`), else `main` and `master`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import pygit2

from itsm_as_code.git.history import Indexer
from itsm_as_code.git.index import CommitInfo

REMOTES = "refs/remotes/"
UNCONFIGURED = ("main", "master")  # protected when a remote names no default branch


@dataclass(frozen=True)
class Dropped:
    """A commit that `branch` held at some point (per its reflog) and no longer holds."""

    branch: str
    commit: CommitInfo


def dropped_commits(repository: pygit2.Repository, root: Path, records_dir: Path,
                    protected: Sequence[str] | None = None) -> list[Dropped]:
    """Every commit dropped from a protected remote-tracking branch, newest first per
    branch. `protected`: glob patterns of branch names (None: the remote's default)."""
    indexer = Indexer(repository, root, records_dir)
    found: list[Dropped] = []
    for name in repository.references:
        if not name.startswith(REMOTES) or not _protected(repository, name, protected):
            continue
        reference = repository.references[name]
        if reference.type != pygit2.enums.ReferenceType.DIRECT:
            continue
        tip = reference.target
        if not isinstance(tip, pygit2.Oid):
            continue
        lost = [was for entry in reference.log() for was in (entry.oid_old, entry.oid_new)
                if was != tip and was in repository and not _holds(repository, tip, was)]
        if not lost:
            continue
        walker = repository.walk(lost[0], pygit2.enums.SortMode.TOPOLOGICAL)
        for start in lost[1:]:
            walker.push(start)
        walker.hide(tip)
        for oid in indexer.describe_all(list(walker)):
            found.append(Dropped(name.removeprefix(REMOTES), indexer.index.commits[oid]))
    indexer.save()
    return sorted(found, key=lambda d: (d.branch, -d.commit.committed, d.commit.oid))


def _protected(repository: pygit2.Repository, name: str,
               patterns: Sequence[str] | None) -> bool:
    remote, _, branch = name.removeprefix(REMOTES).partition("/")
    if patterns is None:
        default = repository.references.get(f"{REMOTES}{remote}/HEAD")
        target = default.target if default is not None else None
        prefix = f"{REMOTES}{remote}/"
        patterns = ((target.removeprefix(prefix),) if isinstance(target, str)
                    and target.startswith(prefix) else UNCONFIGURED)
    return any(fnmatchcase(branch, pattern) for pattern in patterns)


def _holds(repository: pygit2.Repository, tip: pygit2.Oid, commit: pygit2.Oid) -> bool:
    try:
        return bool(repository.descendant_of(tip, commit))
    except pygit2.GitError:
        return True  # not a commit (or not readable): nothing to say about it
