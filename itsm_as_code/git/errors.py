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
    def __init__(self, needs: str, ref: str) -> None:
        super().__init__(needs, ref)
        self.ref = ref


class UnknownRevision(GitError):
    """`ref` names no commit; `shallow` when the clone may just lack it."""

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
