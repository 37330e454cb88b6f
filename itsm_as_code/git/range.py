"""A range of commits as its steps: each commit of the first-parent line from one
revision to another, with the record files (and update files) it changed on both sides.

The first-parent line is main's own history: a pull request merged with a merge commit is
one step (the merge, compared with main before it), whatever commits the branch held, so
every change reaches the line once and is told once, whichever range a run is given.
Only what a commit changed is read, so the cost follows the size of the change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath

import pygit2
from pygit2.enums import SortMode

from itsm_as_code.git.index import FileChange
from itsm_as_code.git.repo import inside, open_git, resolve_commit
from itsm_as_code.git.treewalk import compare, record_files, subtree
from itsm_as_code.store.loader import SUFFIXES
from itsm_as_code.store.updates import folder_of, split

# A file as a tree holds it: its path from the ITSM repository's folder, and its bytes
# (None for a symbolic link).
Blob = tuple[str, bytes | None]


@dataclass(frozen=True)
class Step:
    """One commit of the line: its oid, when it was committed (when it reached the line),
    and the record files it changed as they were before it (at its first parent) and
    after it, each with its update files."""

    commit: str
    at: datetime
    before: list[Blob]
    after: list[Blob]


class CommitRange:
    """The first-parent commits after `since` up to `until`, oldest first."""

    def __init__(self, root: Path, records_dir: Path, since: str, until: str,
                 needs: str = "itsm notify") -> None:
        self._git = open_git(root, needs)
        self.since = resolve_commit(self._git, since, needs)
        self.until = resolve_commit(self._git, until, needs)
        self._root = inside(self._git, root, needs)
        self._folder = inside(self._git, records_dir, needs)

    def commits(self) -> list[str]:
        walker = self._git.walk(self.until.id, SortMode.TOPOLOGICAL | SortMode.REVERSE)
        walker.simplify_first_parent()
        walker.hide(self.since.id)
        return [str(commit.id) for commit in walker]

    def steps(self) -> Iterator[Step]:
        for oid in self.commits():
            commit = self._git[oid].peel(pygit2.Commit)
            parent = commit.parents[0] if commit.parents else None
            old = subtree(parent.tree, self._folder) if parent is not None else None
            new = subtree(commit.tree, self._folder)
            changes: list[FileChange] = []
            compare(old, new, f"{self._folder}/" if self._folder else "", changes)
            records = self._records(changes, old, new)
            if records:
                zone = timezone(timedelta(minutes=commit.commit_time_offset))
                yield Step(oid, datetime.fromtimestamp(commit.commit_time, zone),
                           self._blobs(old, records), self._blobs(new, records))

    def files_at_until(self) -> list[Blob]:
        """Every YAML file of the records folder at `until` (update files too)."""
        tree = subtree(self.until.tree, self._folder)
        if tree is None:
            return []
        return [(self._shown(path), self._data(entry)) for path, entry in record_files(tree, "")]

    def _records(self, changes: list[FileChange], old: pygit2.Tree | None,
                 new: pygit2.Tree | None) -> list[str]:
        """The record files (paths inside the records folder) the changes touch: an update
        file counts as a change of the record beside its folder."""
        found: set[str] = set()
        cut = len(self._folder) + 1 if self._folder else 0
        for change in changes:
            path = change.path[cut:]
            where = split(path)
            if where is None:
                found.add(path)
                continue
            stem = where[0][:-len(".updates")]
            found.update(stem + suffix for suffix in SUFFIXES
                         for tree in (old, new) if tree is not None and _has(tree, stem + suffix))
        return sorted(found)

    def _blobs(self, tree: pygit2.Tree | None, records: list[str]) -> list[Blob]:
        if tree is None:
            return []
        blobs: list[Blob] = []
        for path in records:
            if not _has(tree, path):
                continue
            blobs.append((self._shown(path), self._data(tree[path])))
            folder = subtree(tree, folder_of(path))
            for entry in folder or ():
                name = entry.name or ""
                if not name.startswith(".") and name.endswith(SUFFIXES) \
                        and not isinstance(entry, pygit2.Tree):
                    blobs.append((self._shown(f"{folder_of(path)}/{name}"), self._data(entry)))
        return blobs

    def _data(self, entry: pygit2.Object) -> bytes | None:
        if entry.filemode == pygit2.GIT_FILEMODE_LINK:
            return None
        blob = self._git[entry.id]
        return blob.data if isinstance(blob, pygit2.Blob) else None

    def _shown(self, path: str) -> str:
        full = f"{self._folder}/{path}" if self._folder else path
        return PurePosixPath(full).relative_to(self._root).as_posix() if self._root else full


def _has(tree: pygit2.Tree, path: str) -> bool:
    try:
        tree[path]
    except KeyError:
        return False
    return True
