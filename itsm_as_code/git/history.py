"""The history of the records folder: which commits changed which record files.

Commits are walked newest first (topological, then by time). What each commit changed
comes from `git log --raw` where the git program is there (see `rawlog.py`); otherwise,
and for merges, from comparing its tree with its first parent's, descending only into
folders whose oids differ, and only under the records folder: libgit2's own tree diff
expands every folder and is many times slower. Results go into the history index (see
`index.py`), so a second run reads them instead. Who made a commit, when and with what
message is read from the commit only when asked (see `CommitInfo`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pygit2

from itsm_as_code.git.index import (
    CommitInfo,
    Details,
    FileChange,
    index_path,
    load_index,
    save_index,
)
from itsm_as_code.git.rawlog import RawLog
from itsm_as_code.git.repo import inside, open_git, resolve_commit
from itsm_as_code.git.treewalk import blob_id, compare, subtree
from itsm_as_code.store.loader import SUFFIXES

Progress = Callable[[int, int], None]


@dataclass
class History:
    """The commits reachable from a revision, newest first, each with the record files it
    changed; `read_blob` gives the bytes of a file version."""

    commits: list[CommitInfo]
    shallow: bool
    repository: pygit2.Repository
    # The ITSM root's path from the top of the git work tree ("" when they are the same).
    root_prefix: str

    def read_blob(self, oid: str) -> bytes:
        blob = self.repository[oid]
        assert isinstance(blob, pygit2.Blob)
        return blob.data

    def blob_size(self, oid: str) -> int:
        """The size of a blob, from its header where pygit2 can read one (1.19 and later):
        a huge blob is never read whole. Python 3.10 gets an older pygit2, which reads the
        blob for its size."""
        header = getattr(self.repository.odb, "read_header", None)
        if header is not None:
            return int(header(oid)[1])
        blob = self.repository[oid]
        assert isinstance(blob, pygit2.Blob)
        return int(blob.size)

    @property
    def cache_dir(self) -> Path:
        """Where what is computed from this history is kept: `.git/itsm/`."""
        return Path(self.repository.path) / "itsm"

    def shown(self, path: str) -> str:
        """A path from the git work tree's top as seen from the ITSM root."""
        return path.removeprefix(self.root_prefix)

    def blob_at(self, commit: str, path: str) -> str | None:
        """The blob id of the regular file at `path` (from the git work tree's top) in
        `commit`; None when there is none."""
        try:
            entry = self._tree(commit)[path]
        except KeyError:
            return None
        return blob_id(entry)

    def listing(self, commit: str, folder: str) -> list[tuple[str, str]]:
        """The regular YAML files directly in `folder` at `commit` (hidden ones left
        out), each as its path and blob id, by name; empty when there is no such folder."""
        found = subtree(self._tree(commit), folder)
        if found is None:
            return []
        return sorted((f"{folder}/{entry.name}", oid) for entry in found
                      if not (entry.name or ".").startswith(".")
                      and (entry.name or "").endswith(SUFFIXES)
                      and (oid := blob_id(entry)) is not None)

    def _tree(self, commit: str) -> pygit2.Tree:
        found = self.repository[commit]
        assert isinstance(found, pygit2.Commit)
        return found.tree


def load_history(root: Path, records_dir: Path, ref: str = "HEAD", needs: str = "itsm log",
                 progress: Progress | None = None) -> History:
    """The history of the records under `records_dir` as reachable from `ref`."""
    repository = open_git(root, needs)
    tip = resolve_commit(repository, ref, needs)
    indexer = Indexer(repository, root, records_dir)
    commits = indexer.walk(tip, progress)
    indexer.save()
    return History(commits, repository.is_shallow, repository, indexer.root_prefix)


class Indexer:
    """What commits changed under the records folder, from the index where it has them."""

    def __init__(self, repository: pygit2.Repository, root: Path, records_dir: Path) -> None:
        self.repository = repository
        top = Path(repository.workdir or root).resolve()
        place = inside(repository, root)
        self.root_prefix = f"{place}/" if place else ""
        self.prefix = inside(repository, records_dir)
        self.path = index_path(Path(repository.path))
        self.index = load_index(self.path, self.prefix, self.details)
        self.changed = False
        self.workdir = top
        # Changed paths of the commits being walked, when git gave them (see rawlog.py).
        self.known_changes: dict[str, tuple[FileChange, ...]] | None = None

    def walk(self, tip: pygit2.Commit, progress: Progress | None = None) -> list[CommitInfo]:
        """The commits reachable from `tip`, newest first (topological, then by time).

        When the last walk's tip is an ancestor of `tip`, only the commits since are
        walked: they come before all of the last walk's in a valid order."""
        index, oid = self.index, str(tip.id)
        if index.tip != oid:
            earlier = index.tip is not None and self._is_ancestor(index.tip, tip.id)
            hide = index.tip if earlier else None
            # git lists the changed paths while pygit2 walks the commits.
            raw = RawLog(Path(self.repository.path), self.workdir, oid, hide, self.prefix)
            walker = self.repository.walk(tip.id, pygit2.enums.SortMode.TOPOLOGICAL
                                          | pygit2.enums.SortMode.TIME)
            if hide is not None:
                walker.hide(pygit2.Oid(hex=hide))
            commits = list(walker)
            if any(str(c.id) not in index.commits for c in commits):
                self.known_changes = raw.changes()
            else:
                raw.cancel()
            new = self.describe_all(commits, progress)
            self.known_changes = None
            index.order = new + (index.order if earlier else [])
            index.tip = oid
            self.changed = True
        return [index.commits[oid] for oid in index.order]

    def _is_ancestor(self, earlier: str, tip: pygit2.Oid) -> bool:
        try:
            return bool(self.repository.descendant_of(tip, pygit2.Oid(hex=earlier)))
        except (pygit2.GitError, ValueError, TypeError, KeyError):
            return False

    def describe_all(self, commits: list[pygit2.Commit], progress: Progress | None = None,
                     ) -> list[str]:
        """Index the commits not indexed yet; the oids of all of `commits`, in order."""
        known, found, lookup = self.index.commits, self.known_changes, self.details
        oids = [str(commit.id) for commit in commits]
        pending = [(oid, commit) for oid, commit in zip(oids, commits, strict=True)
                   if oid not in known]
        for done, (oid, commit) in enumerate(pending, start=1):
            parents = commit.parent_ids
            if found is not None and len(parents) < 2:
                known[oid] = CommitInfo(oid, tuple(map(str, parents)), found.get(oid, ()),
                                        lookup)
            else:
                known[oid] = describe(self.repository, commit, self.prefix, lookup)
            if progress is not None and (done % 1000 == 0 or done == len(pending)):
                progress(done, len(pending))
        self.changed = self.changed or bool(pending)
        return oids

    def details(self, oid: str) -> Details:
        """Who made the commit `oid`, when, and its message."""
        commit = self.repository[oid]
        assert isinstance(commit, pygit2.Commit)
        return details(commit)

    def save(self) -> None:
        if self.changed:
            save_index(self.path, self.prefix, self.index)
            self.changed = False


def describe(repository: pygit2.Repository, commit: pygit2.Commit, prefix: str,
             lookup: Callable[[str], Details]) -> CommitInfo:
    """What `commit` changed under `prefix`, with its author, times and message."""
    # A shallow clone's oldest commits name parents it does not have.
    parents: list[pygit2.Commit] = []
    for pid in commit.parent_ids:
        parent = repository.get(pid)
        if isinstance(parent, pygit2.Commit):
            parents.append(parent)
    first = subtree(parents[0].tree, prefix) if parents else None
    changes: list[FileChange] = []
    compare(first, subtree(commit.tree, prefix), f"{prefix}/" if prefix else "", changes)
    if len(parents) > 1:
        changes = [_own(change, parents[1:]) for change in changes]
    return CommitInfo(str(commit.id), tuple(str(p) for p in commit.parent_ids),
                      tuple(changes), lookup)


def details(commit: pygit2.Commit) -> Details:
    """A commit's author, times and the first line of its message."""
    author = commit.author
    # Raw bytes, decoded leniently: a commit's text is as hostile as a record's.
    message = commit.raw_message.decode("utf-8", errors="replace").strip().split("\n", 1)[0]
    name = author.raw_name.decode("utf-8", errors="replace")
    email = author.raw_email.decode("utf-8", errors="replace")
    return Details(f"{name} <{email}>", author.time, author.offset, commit.commit_time,
                   message)


def _own(change: FileChange, others: list[pygit2.Commit]) -> FileChange:
    """Mark a merge's change as its own when no other parent already had that version."""
    for parent in others:
        try:
            entry = parent.tree[change.path]
        except KeyError:
            entry = None
        if blob_id(entry) == change.new:
            return FileChange(change.path, change.old, change.new, own=False)
    return change
