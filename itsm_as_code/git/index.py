"""The history index: for each commit, the record files it changed, cached under the git dir.

A history walk that compares trees costs seconds on a large repository; what a commit
changed never changes, so it is computed once per commit and kept in
`.git/itsm/history-v2.bin`, keyed by commit oid and extended only with commits not
indexed yet. The file is a header line (the format's name and version, and a BLAKE2b
digest of the rest) and Python's `marshal` of plain tuples: on 54,625 commits it is
written and read several times faster than JSON. A file that cannot be read as this
version's index (another version, a digest that does not match) is ignored and rebuilt;
it is written to a temporary file and renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from itsm_as_code.files import write_atomic

VERSION = 2
FILE_NAME = f"history-v{VERSION}.bin"
# Earlier formats, removed when this one is written.
OLD_NAMES = ("history-v1.json",)
MAGIC = b"itsm-history"
# marshal's own format version, fixed so that every Python 3 reads what another wrote.
_MARSHAL = 4


@dataclass(frozen=True)
class FileChange:
    """One record file a commit changed: its path (from the git work tree's top) and the
    blob oids before and after (None: the file did not exist).

    For a merge, `old` is the first parent's blob, and `own` says whether the merge's
    version differs from every parent's (a conflict resolution or an edit made in the
    merge itself) rather than being brought in from one of the merged branches.
    """

    path: str
    old: str | None
    new: str | None
    own: bool = True


@dataclass(frozen=True)
class Details:
    """Who made a commit, when, and the first line of its message."""

    author: str
    time: int
    offset: int
    committed: int
    message: str


@dataclass(frozen=True)
class CommitInfo:
    """A commit as the history needs it: its parents, which records it changed, and who,
    when and what message (read from the commit when first asked: a walk of the whole
    history shows or judges few commits, and the index need not keep them)."""

    oid: str
    parents: tuple[str, ...]
    changes: tuple[FileChange, ...]
    lookup: Callable[[str], Details] = field(compare=False, repr=False)

    @cached_property
    def details(self) -> Details:
        return self.lookup(self.oid)

    @property
    def author(self) -> str:
        return self.details.author

    @property
    def time(self) -> int:
        """The author time, in seconds since the epoch."""
        return self.details.time

    @property
    def offset(self) -> int:
        """The author's offset from UTC, in minutes."""
        return self.details.offset

    @property
    def committed(self) -> int:
        return self.details.committed

    @property
    def message(self) -> str:
        return self.details.message


def index_path(git_dir: Path) -> Path:
    return git_dir / "itsm" / FILE_NAME


@dataclass
class Index:
    """The commits indexed so far, and the last walk: its tip and the oids reachable
    from it, newest first (so that an unchanged branch is not walked again)."""

    commits: dict[str, CommitInfo] = field(default_factory=dict)
    tip: str | None = None
    order: list[str] = field(default_factory=list)


def load_index(path: Path, prefix: str, lookup: Callable[[str], Details]) -> Index:
    """The index for the records folder `prefix`; empty when there is no usable one
    (missing, damaged, another version, another records folder). `lookup` reads a
    commit's details."""
    try:
        header, _, body = path.read_bytes().partition(b"\n")
        if header != _header(body):
            return Index()
        stored, tip, order, rows = marshal.loads(body)
        if stored != prefix:
            return Index()
        commits = {oid: CommitInfo(oid, parents, tuple(FileChange(*c) for c in changes), lookup)
                   for oid, parents, changes in rows}
        if isinstance(tip, str) and all(oid in commits for oid in order):
            return Index(commits, tip, list(order))
        return Index(commits)
    except (OSError, ValueError, TypeError, EOFError, KeyError, IndexError):
        return Index()


def save_index(path: Path, prefix: str, index: Index) -> None:
    """Write the index; a git dir that cannot be written only costs speed."""
    rows = tuple((info.oid, info.parents, tuple((c.path, c.old, c.new, c.own)
                                                for c in info.changes))
                 for info in index.commits.values())
    body = marshal.dumps((prefix, index.tip, tuple(index.order), rows), _MARSHAL)
    write_bytes(path, _header(body) + b"\n" + body)
    for name in OLD_NAMES:
        with contextlib.suppress(OSError):
            (path.parent / name).unlink(missing_ok=True)


def _header(body: bytes) -> bytes:
    digest = hashlib.blake2b(body, digest_size=16).hexdigest()
    return b"%s %d %s" % (MAGIC, VERSION, digest.encode("ascii"))


def write_json(path: Path, document: Any) -> None:
    """Write a JSON cache file atomically (see write_bytes)."""
    # dumps, not dump: only dumps uses the C encoder.
    write_bytes(path, json.dumps(document, separators=(",", ":")).encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Write a cache file atomically; give up quietly when the folder cannot be written
    (a cache only saves time)."""
    with contextlib.suppress(OSError):
        write_atomic(path, data)

