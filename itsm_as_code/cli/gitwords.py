"""What the command line says when git cannot give what a command needs.

`git/` raises typed errors that carry the facts (git/errors.py); the words, and what to
do next, are chosen here, at the one boundary where errors become messages.
"""

from __future__ import annotations

from itsm_as_code.errors import ItsmError
from itsm_as_code.git.errors import (
    BareRepository,
    CheckedOutBranch,
    GitError,
    InvalidBranchName,
    NoAuthor,
    NoCommits,
    NoMergeBase,
    NotARepository,
    OutsideWorkTree,
    RefMoved,
    ShallowHistory,
    UnknownRevision,
)

FULL_HISTORY_HINT = (
    "fetch the full history first (`git fetch --unshallow`, or `fetch-depth: 0` "
    "in actions/checkout)"
)


def describe(error: ItsmError) -> str:
    """The message for `error`: a git error worded for people, any other as it says."""
    return _git(error) if isinstance(error, GitError) else str(error)


def _git(error: GitError) -> str:
    needs = error.needs
    if isinstance(error, NotARepository):
        return (f"{needs} reads the git history, but {error.path} is not inside a git "
                "repository; run it in a clone of the records repository (or `git init` and "
                "commit first)")
    if isinstance(error, NoCommits) and error.ref is None:
        return f"{needs}: the git repository has no commits yet; commit the records first"
    if isinstance(error, NoCommits):
        return (f"{needs}: the git repository has no commits yet, so there is no {error.ref} "
                "to compare with; commit the records first")
    if isinstance(error, UnknownRevision) and error.shallow:
        return f"{needs}: {error.ref} is not in this shallow clone; {FULL_HISTORY_HINT}"
    if isinstance(error, UnknownRevision):
        return (f"{needs}: no commit named {error.ref!r} in this repository; name a branch, "
                "tag or commit (for a pull request, its base branch, such as origin/main)")
    if isinstance(error, NoMergeBase) and error.shallow:
        return (f"{needs}: {error.ref} and the change meet in no commit of this shallow clone; "
                f"{FULL_HISTORY_HINT}")
    if isinstance(error, NoMergeBase):
        return (f"{needs}: {error.ref} and the change share no history, so there is no fork "
                "point to judge the change from; name the branch this one was made from")
    if isinstance(error, OutsideWorkTree):
        return f"{needs}: {error.path} is not inside the git work tree {error.top}"
    if isinstance(error, BareRepository):
        return (f"{needs}: {error.root} is a bare repository without a work tree; name the "
                "change with --head REF")
    if isinstance(error, ShallowHistory):
        return (f"{needs}: this is a shallow clone, so the history it would audit is "
                f"incomplete; {FULL_HISTORY_HINT}")
    return _commit(error) or f"{needs}: git cannot do this here ({type(error).__name__})"


def _commit(error: GitError) -> str | None:
    """What stops a commit to a branch (`itsm event ingest --commit`, `itsm sla check
    --ledger BRANCH --commit`)."""
    needs = error.needs
    if isinstance(error, InvalidBranchName):
        return f"{needs}: {error.name!r} is not a valid branch name"
    if isinstance(error, CheckedOutBranch):
        return (f"{needs}: {error.name} is the checked-out branch; commit to another branch, "
                "so the work tree stays as it is")
    if isinstance(error, NoAuthor):
        return (f"{needs} needs an author: set ITSM_BOT_NAME and ITSM_BOT_EMAIL, or git "
                "config user.name and user.email")
    if isinstance(error, RefMoved) and needs == "--ledger":
        return (f"{needs}: the branch {error.branch} moved {error.attempts} times while the "
                "ledger was updated; nothing was committed: run the check again")
    if isinstance(error, RefMoved):
        return (f"{needs}: the branch {error.branch} moved {error.attempts} times while the "
                "alerts were ingested; nothing was committed: run the ingest again")
    return None
