"""A commit of chosen work-tree files on the checked-out branch, and who git says the user is.

`itsm update --commit` commits exactly the files its step wrote: the new commit's tree is
HEAD's tree with those files as the work tree holds them, and the index gets the same
entries, so whatever else is staged or changed stays staged or changed, and out of the
commit. The branch moves only if it still points where it was read: a commit made in
between is never overwritten.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pygit2
from pygit2.enums import FileMode, FileStatus

from itsm_as_code.errors import UsageError
from itsm_as_code.git.errors import NoCommits
from itsm_as_code.git.repo import inside, open_git

NEEDS = "--commit"


def user_email(root: Path) -> str | None:
    """`git config user.email` of the repository holding `root`; None outside git or when
    it is not set."""
    found = pygit2.discover_repository(str(root))
    if found is None:
        return None
    try:
        value = pygit2.Repository(found).config["user.email"]
    except (KeyError, pygit2.GitError):
        return None
    return str(value) or None


def has_commits(root: Path) -> bool:
    """Whether `root` lies in a git work tree whose HEAD names a commit."""
    found = pygit2.discover_repository(str(root))
    if found is None:
        return False
    repository = pygit2.Repository(found)
    return repository.workdir is not None and not repository.head_is_unborn


def uncommitted(root: Path, paths: list[str]) -> list[str]:
    """The `paths` (relative to `root`) whose work-tree or staged text differs from HEAD."""
    git = open_git(root, NEEDS)
    prefix = _prefix(git, root)
    changed = []
    for path in paths:
        try:
            flags = git.status_file(prefix + path)
        except KeyError:
            continue  # neither in HEAD nor in the work tree: nothing of the user's to keep
        if flags & ~FileStatus.IGNORED != FileStatus.CURRENT:
            changed.append(path)
    return changed


def commit_files(root: Path, paths: list[str], message: str, now: datetime) -> str:
    """Commit the work-tree files at `paths` (relative to `root`) on the checked-out
    branch, authored by git's configured user at `now`; the new commit's id."""
    git = open_git(root, NEEDS)
    if git.head_is_unborn:
        raise NoCommits(NEEDS)
    if git.head_is_detached:
        raise UsageError("--commit commits on the checked-out branch, and HEAD is detached: "
                         "check out a branch, or leave out --commit")
    prefix = _prefix(git, root)
    branch, parent = git.head.name, git.head.peel(pygit2.Commit)
    staged = pygit2.Index()
    staged.read_tree(parent.tree)
    entries = []
    for path in paths:
        blob = git.create_blob((root / path).read_bytes())
        entries.append(pygit2.IndexEntry(prefix + path, blob, FileMode.BLOB))
    for entry in entries:
        staged.add(entry)
    tree = staged.write_tree(git)
    signature = _signature(git, now)
    oid = git.create_commit(None, signature, signature, message, tree, [parent.id])
    reference = git.references[branch]
    if reference.target != parent.id:
        raise UsageError(f"--commit: the branch {branch.removeprefix('refs/heads/')} moved "
                         "while the step was written; nothing was committed: run it again")
    reference.set_target(oid, "itsm update")
    index = git.index
    index.read()
    for entry in entries:
        index.add(entry)
    index.write()
    return str(oid)


def _prefix(git: pygit2.Repository, root: Path) -> str:
    place = inside(git, root, NEEDS)
    return f"{place}/" if place else ""


def _signature(git: pygit2.Repository, now: datetime) -> pygit2.Signature:
    try:
        configured = git.default_signature
    except (KeyError, pygit2.GitError):
        raise UsageError("--commit commits as git's user: set git config user.name and "
                         "user.email, or leave out --commit") from None
    offset = now.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return pygit2.Signature(configured.name, configured.email, int(now.timestamp()), minutes)
