"""Versions of records through history: which record a changed file is, and its data then.

A record is known by its id, the file name's stem, wherever its file lives under the
records folder; a file deleted in one folder and added in another by the same commit is
the record moving. The history itself (commits, blobs) comes from the git package.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Protocol

from itsm_as_code.findings import Finding
from itsm_as_code.git.index import CommitInfo, FileChange
from itsm_as_code.model.steps import UPDATES
from itsm_as_code.store.loader import Limits, parse_bytes
from itsm_as_code.store.updates import split


class Source(Protocol):
    """The history of a repository as the core reads it (see itsm_as_code.git.history)."""

    commits: list[CommitInfo]
    shallow: bool

    def read_blob(self, oid: str) -> bytes: ...

    def blob_size(self, oid: str) -> int: ...

    def shown(self, path: str) -> str: ...

    def blob_at(self, commit: str, path: str) -> str | None: ...

    def listing(self, commit: str, folder: str) -> list[tuple[str, str]]: ...


@dataclass(frozen=True)
class Step:
    """What one commit did to one record: the file before and after (None: absent)."""

    record: str
    old_path: str | None
    new_path: str | None
    old: str | None
    new: str | None


def record_id(path: str) -> str:
    """The stem of the file name, as PurePosixPath(path).stem gives it (a walk of the
    whole history asks this of every change, and pathlib objects cost); for an update
    file, the id of the record it updates."""
    if UPDATES in path:
        where = split(path)
        if where is not None:
            return record_id(where[0])
    name = path.rstrip("/").rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def is_update(path: str) -> bool:
    """Whether `path` is a file of an updates folder (store/updates.py)."""
    return UPDATES in path and split(path) is not None


def steps(changes: tuple[FileChange, ...] | list[FileChange]) -> list[Step]:
    """A commit's changes to record files grouped by record (update files are not
    among them: see `update_steps`); a delete and an add of the same id become one
    move."""
    by_id: defaultdict[str, list[FileChange]] = defaultdict(list)
    for change in changes:
        if not is_update(change.path):
            by_id[record_id(change.path)].append(change)
    found = []
    for rid, group in by_id.items():
        gone = [c for c in group if c.new is None]
        added = [c for c in group if c.old is None]
        for change in group:
            if change.old is not None and change.new is not None:
                found.append(Step(rid, change.path, change.path, change.old, change.new))
        for was, now in zip(gone, added, strict=False):
            found.append(Step(rid, was.path, now.path, was.old, now.new))
        for was in gone[len(added):]:
            found.append(Step(rid, was.path, None, was.old, None))
        for now in added[len(gone):]:
            found.append(Step(rid, None, now.path, None, now.new))
    return found


def update_steps(changes: tuple[FileChange, ...] | list[FileChange]) -> list[Step]:
    """A commit's changes to update files, each a step of the record it updates."""
    return [Step(record_id(change.path), change.path if change.old else None,
                 change.path if change.new else None, change.old, change.new)
            for change in changes if is_update(change.path)]


class Reader:
    """Parses file versions from their blobs, each blob once."""

    def __init__(self, source: Source, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self._cache: dict[str, dict[str, Any] | Finding] = {}

    def data(self, oid: str | None, path: str, keep: bool = True,
             ) -> dict[str, Any] | Finding | None:
        """The plain data of a version, a Finding when it cannot be parsed, None when the
        file did not exist. `keep=False` forgets the version after this read: a walk from
        old to new reads each version once more, as the next commit's old version."""
        if oid is None:
            return None
        found = self._cache.pop(oid, None) if not keep else self._cache.get(oid)
        if found is None:
            # A version over the size limit is not read: bytes of its size-limit plus one
            # get parse_bytes' own finding for it.
            limit = self.limits.max_file_bytes
            raw = (self.source.read_blob(oid) if self.source.blob_size(oid) <= limit
                   else bytes(limit + 1))
            found = parse_bytes(raw, path, self.limits)
            if keep:
                self._cache[oid] = found
        return found

    def text(self, oid: str) -> str:
        return self.source.read_blob(oid).decode("utf-8", errors="replace")
