"""Git repositories: finding one, opening one, resolving a revision, making one.

This package is the only place that imports pygit2; everything else asks it for trees,
blobs and history in plain Python values. What goes wrong is raised as a typed error
(git/errors.py) that the command line words.
"""

from __future__ import annotations

from pathlib import Path

import pygit2

from itsm_as_code.git.errors import (
    NoCommits,
    NoMergeBase,
    NotARepository,
    OutsideWorkTree,
    UnknownRevision,
)


def enclosing(path: Path) -> Path | None:
    """The work tree of the git repository that holds `path`, or None."""
    found = pygit2.discover_repository(str(path))
    if found is None:
        return None
    repository = pygit2.Repository(found)
    return Path(repository.workdir) if repository.workdir else None


def init(path: Path) -> None:
    """Make `path` a new git repository whose first branch is `main`."""
    pygit2.init_repository(str(path), initial_head="main")


def open_git(path: Path, needs: str = "this command") -> pygit2.Repository:
    """The git repository that holds `path` (worktrees included), or NotARepository.

    `needs` names what wanted git, for the message: "--base", "itsm log", ...
    """
    found = pygit2.discover_repository(str(path))
    if found is None:
        raise NotARepository(needs, path)
    return pygit2.Repository(found)


def resolve_commit(repository: pygit2.Repository, ref: str, needs: str = "this command",
                   ) -> pygit2.Commit:
    """The commit that `ref` names (a branch, tag, `origin/main`, `HEAD~2`, an oid)."""
    if repository.head_is_unborn:
        raise NoCommits(needs, ref)
    try:
        found = repository.revparse_single(ref)
        commit = found.peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
        raise UnknownRevision(needs, ref, repository.is_shallow) from None
    return commit


def fork_point(repository: pygit2.Repository, base: pygit2.Commit, head: pygit2.Commit,
               ref: str, needs: str = "this command") -> pygit2.Commit:
    """The merge base of `base` and `head`: where the head's branch left `base`'s line.

    Judging a branch from there, not from `base`'s tip, leaves out what reached `base`
    after the branch forked (a colleague's records merged meanwhile)."""
    found = repository.merge_base(base.id, head.id)
    if found is None:
        raise NoMergeBase(needs, ref, repository.is_shallow)
    return repository[found].peel(pygit2.Commit)


def is_ancestor(path: Path, ref: str, head: str = "HEAD", needs: str = "this command",
                ) -> bool:
    """Whether `ref` names a commit of this repository that `head` is or descends from;
    False for a `ref` that names nothing here (a commit a force push left behind)."""
    repository = open_git(path, needs)
    try:
        older = resolve_commit(repository, ref, needs)
    except UnknownRevision:
        return False
    newer = resolve_commit(repository, head, needs)
    return older.id == newer.id or bool(repository.descendant_of(newer.id, older.id))


def names_commit(path: Path, ref: str, needs: str = "this command") -> bool:
    """Whether `ref` names a commit in the repository that holds `path`."""
    repository = open_git(path, needs)
    try:
        resolve_commit(repository, ref, needs)
    except UnknownRevision:
        return False
    return True


def inside(repository: pygit2.Repository, path: Path, needs: str = "this command") -> str:
    """`path`'s place in the repository's work tree as git names it: "" for the top,
    else `a/b` with `/` separators; OutsideWorkTree when `path` lies outside."""
    top = Path(repository.workdir or repository.path).resolve()
    try:
        place = path.resolve().relative_to(top).as_posix()
    except ValueError:
        raise OutsideWorkTree(needs, path, top) from None
    return "" if place == "." else place
