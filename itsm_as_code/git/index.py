"""The history index: for each commit, the record files it changed, cached under the git dir.

A history walk that compares trees costs seconds on a large repository; what a commit
changed never changes, so it is computed once per commit and kept in
`.git/itsm/history-v1.json`, keyed by commit oid and extended only with commits not
indexed yet. A file that cannot be read as this version's index is ignored and rebuilt;
it is written to a temporary file and renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERSION = 1
FILE_NAME = f"history-v{VERSION}.json"


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
class CommitInfo:
    """A commit as the history needs it: who, when, what message, which records."""

    oid: str
    parents: tuple[str, ...]
    author: str
    time: int
    offset: int
    committed: int
    message: str
    changes: tuple[FileChange, ...]


def index_path(git_dir: Path) -> Path:
    return git_dir / "itsm" / FILE_NAME


@dataclass
class Index:
    """The commits indexed so far, and the last walk: its tip and the oids reachable
    from it, newest first (so that an unchanged branch is not walked again)."""

    commits: dict[str, CommitInfo] = field(default_factory=dict)
    tip: str | None = None
    order: list[str] = field(default_factory=list)


def load_index(path: Path, prefix: str) -> Index:
    """The index for the records folder `prefix`; empty when there is no usable one
    (missing, corrupted, another version, another records folder)."""
    try:
        document = json.loads(path.read_bytes())
        if document.get("version") != VERSION or document.get("prefix") != prefix:
            return Index()
        commits = {oid: _commit(oid, row) for oid, row in document["commits"].items()}
        tip, order = document.get("tip"), document.get("order")
        if (isinstance(tip, str) and isinstance(order, list)
                and all(isinstance(oid, str) and oid in commits for oid in order)):
            return Index(commits, tip, order)
        return Index(commits)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return Index()


def save_index(path: Path, prefix: str, index: Index) -> None:
    """Write the index; a git dir that cannot be written only costs speed."""
    rows = {oid: _row(info) for oid, info in index.commits.items()}
    write_json(path, {"version": VERSION, "prefix": prefix, "commits": rows,
                      "tip": index.tip, "order": index.order})


def write_json(path: Path, document: Any) -> None:
    """Write a cache file atomically (a temporary file, then a rename); give up quietly
    when the folder cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                # dumps, not dump: only dumps uses the C encoder.
                out.write(json.dumps(document, separators=(",", ":")))
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink()
            raise
    except OSError:
        return


def _row(info: CommitInfo) -> list[Any]:
    changes = [[c.path, c.old, c.new, c.own] for c in info.changes]
    return [list(info.parents), info.author, info.time, info.offset, info.committed,
            info.message, changes]


def _commit(oid: str, row: list[Any]) -> CommitInfo:
    parents, author, time, offset, committed, message, changes = row
    if not all(isinstance(value, int) for value in (time, offset, committed)):
        raise TypeError("times are integers")
    return CommitInfo(
        oid, tuple(str(parent) for parent in parents), str(author), time, offset, committed,
        str(message),
        tuple(FileChange(str(path), _oid(old), _oid(new), bool(own))
              for path, old, new, own in changes),
    )


def _oid(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 40:
        raise ValueError("an oid is 40 hex digits")
    return value
