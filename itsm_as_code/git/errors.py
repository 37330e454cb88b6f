"""What can go wrong when itsm reads git, as facts: the command line words them
(cli/gitwords.py), saying what the user should do next (pre-commit's way).

`needs` names what wanted git ("--base", "itsm log", ...): the same fact reads
differently for each command.
"""

from __future__ import annotations

from pathlib import Path

from itsm_as_code.errors import UsageError


class GitError(UsageError):
    """Git cannot give what was asked: the command was run where it cannot work."""

    def __init__(self, needs: str, *facts: object) -> None:
        super().__init__(needs, *facts)
        self.needs = needs


class NotARepository(GitError):
    def __init__(self, needs: str, path: Path) -> None:
        super().__init__(needs, path)
        self.path = path


class NoCommits(GitError):
    """The repository has no commits: no `ref` to compare with, or (`ref` None) nothing to
    branch from."""

    def __init__(self, needs: str, ref: str | None = None) -> None:
        super().__init__(needs, ref)
        self.ref = ref


class UnknownRevision(GitError):
    """`ref` names no commit; `shallow` when the clone may just lack it."""

    def __init__(self, needs: str, ref: str, shallow: bool) -> None:
        super().__init__(needs, ref, shallow)
        self.ref, self.shallow = ref, shallow


class NoMergeBase(GitError):
    """`ref` and the head share no commit; `shallow` when the clone may just lack it."""

    def __init__(self, needs: str, ref: str, shallow: bool) -> None:
        super().__init__(needs, ref, shallow)
        self.ref, self.shallow = ref, shallow


class OutsideWorkTree(GitError):
    def __init__(self, needs: str, path: Path, top: Path) -> None:
        super().__init__(needs, path, top)
        self.path, self.top = path, top


class BareRepository(GitError):
    def __init__(self, needs: str, root: Path) -> None:
        super().__init__(needs, root)
        self.root = root


class ShallowHistory(GitError):
    """The whole history is needed and the clone holds only part of it."""


class InvalidBranchName(GitError):
    def __init__(self, needs: str, name: str) -> None:
        super().__init__(needs, name)
        self.name = name


class CheckedOutBranch(GitError):
    """Committing to `name` would leave the work tree behind its branch."""

    def __init__(self, needs: str, name: str) -> None:
        super().__init__(needs, name)
        self.name = name


class NoAuthor(GitError):
    """A commit is to be made and nobody is configured to author it."""


class RefMoved(GitError):
    """The branch moved between reading it and updating it, `attempts` times in a row."""

    def __init__(self, needs: str, branch: str, attempts: int = 1) -> None:
        super().__init__(needs, branch, attempts)
        self.branch, self.attempts = branch, attempts
