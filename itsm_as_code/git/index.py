"""The history index: for each commit, the record files it changed, cached under the git dir.

A history walk that compares trees costs seconds on a large repository; what a commit
changed never changes, so it is computed once per commit and kept in
`.git/itsm/history-v3.bin`, keyed by commit oid and extended only with commits not
indexed yet. The file is a header line (the format's name and version, the records
folder, and a keyed hash of the header and the rest, see `signing.py`) and Python's
`marshal` of plain tuples: on 54,625 commits it is written and read several times faster
than JSON. It is read as any file under `.git/` may have been put there by someone else:
only a regular file, never through a link or waiting on a FIFO, at most MAX_BYTES, and
trusted only when it carries this user's signature (`marshal` must never see bytes itsm
did not write). Anything else (another version, damaged, forged, no key) is ignored and
rebuilt from git; it is written to a temporary file and renamed, so a reader never sees
half of one.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from itsm_as_code.files import read_regular, write_atomic
from itsm_as_code.signing import load_key, seal, unseal
from itsm_as_code.store.cache import cache_dir

VERSION = 3
FILE_NAME = f"history-v{VERSION}.bin"
# Earlier formats, removed when this one is written (version 2 was not signed).
OLD_NAMES = ("history-v1.json", "history-v2.bin")
MAGIC = b"itsm-history"
# About 250 bytes a commit: a million commits; a larger file is neither read nor written.
MAX_BYTES = 256 * 1024 * 1024
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
    (missing, not a regular file, unsigned, damaged, another version, another records
    folder). `lookup` reads a commit's details."""
    body = read_sealed(path, _header(path, prefix))
    if body is None:
        return Index()
    try:
        tip, order, rows = marshal.loads(body)
        commits = {oid: CommitInfo(oid, parents, tuple(FileChange(*c) for c in changes), lookup)
                   for oid, parents, changes in rows}
    except (ValueError, TypeError, EOFError):
        return Index()
    if isinstance(tip, str) and all(oid in commits for oid in order):
        return Index(commits, tip, list(order))
    return Index(commits)


def save_index(path: Path, prefix: str, index: Index) -> None:
    """Write the index; a git dir that cannot be written, or no key to sign with, only
    costs speed."""
    rows = tuple((info.oid, info.parents, tuple((c.path, c.old, c.new, c.own)
                                                for c in info.changes))
                 for info in index.commits.values())
    body = marshal.dumps((index.tip, tuple(index.order), rows), _MARSHAL)
    write_sealed(path, _header(path, prefix), body)
    for name in OLD_NAMES:
        with contextlib.suppress(OSError):
            (path.parent / name).unlink(missing_ok=True)


def _header(path: Path, prefix: str) -> bytes:
    """What the index is for: this version, this records folder, this git dir (a signed
    index copied into another repository is not read there)."""
    return b"%s %d %s" % (MAGIC, VERSION, json.dumps([prefix, str(path.parent.absolute())],
                                                     ensure_ascii=True).encode("ascii"))


def local_key() -> bytes | None:
    """The key of this user's caches (in the record cache's folder, never in a
    repository: whoever can write `.git/` cannot sign with it)."""
    return load_key(cache_dir(os.environ))


def read_sealed(path: Path, header: bytes) -> bytes | None:
    """The body of the signed file at `path` written with this `header`; None when there
    is none to trust: missing, not a regular file, a link, larger than MAX_BYTES,
    unsigned, damaged or forged, or no key."""
    key = local_key()
    if key is None:
        return None
    try:
        data = read_regular(path, MAX_BYTES + 1)
    except OSError:
        return None
    return unseal(key, header, data) if len(data) <= MAX_BYTES else None


def write_sealed(path: Path, header: bytes, body: bytes) -> None:
    """Sign and write a cache file atomically; nothing when there is no key to sign with
    or the file would be too large to be read back."""
    key = local_key()
    if key is not None:
        data = seal(key, header, body)
        if len(data) <= MAX_BYTES:
            write_bytes(path, data)


def write_bytes(path: Path, data: bytes) -> None:
    """Write a cache file atomically; give up quietly when the folder cannot be written
    (a cache only saves time)."""
    with contextlib.suppress(OSError):
        write_atomic(path, data)

