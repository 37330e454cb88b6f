"""Records at a revision: the files of the records folder in a commit, read as blobs.

Nothing is checked out. A change (the work tree, or a second commit) is compared with a
base commit by blob ids, so what is read from the base grows with the files that changed,
not with the size of the repository.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pygit2
from pygit2.enums import DiffOption, FileMode

from itsm_as_code.git.errors import BareRepository
from itsm_as_code.git.index import FileChange
from itsm_as_code.git.repo import fork_point, inside, open_git, resolve_commit
from itsm_as_code.git.treewalk import compare, record_files, subtree
from itsm_as_code.model.steps import UPDATES
from itsm_as_code.store.loader import SUFFIXES
from itsm_as_code.store.updates import folder_of, split

# An entry of a tree walk: the path from the repository root, and the blob's bytes (None
# for a symbolic link, which records may not be).
Entry = tuple[str, bytes | None]


class Revisions:
    """A base commit and the change compared with it: `head` or, without it, the work tree.

    The base commit is the merge base of the `base` revision and the head (HEAD for the
    work tree), so a branch behind `base` is judged by what it changed, not by what
    `base` gained since the branch forked.

    Paths given out and taken in are relative to `root` (the ITSM repository's folder,
    where itsm.yaml is), as findings show them.
    """

    def __init__(self, root: Path, records_dir: Path, base: str, head: str | None = None,
                 needs: str = "--base") -> None:
        self._git = open_git(root, needs)
        tip = resolve_commit(self._git, base, needs)
        self.head = resolve_commit(self._git, head, needs) if head is not None else None
        if self.head is None and self._git.workdir is None:
            raise BareRepository(needs, root)
        # The change is what the branch did: compared with where it forked from `base`.
        self.base = fork_point(self._git, tip, self.head or resolve_commit(self._git, "HEAD",
                                                                          needs), base, needs)
        self._root = inside(self._git, root, needs)
        self._folder = inside(self._git, records_dir, needs)

    def changed(self) -> list[str]:
        """Records-folder files that exist at base and differ (or are gone) in the change;
        a record whose update files (store/updates.py) were added, changed or removed
        counts as changed."""
        base = self._subtree(self.base)
        if base is None:
            return []
        # Each changed path, and whether it exists at base (None: not known yet).
        paths: dict[str, bool | None]
        if self.head is not None:
            changes: list[FileChange] = []
            compare(base, self._subtree(self.head), f"{self._folder}/" if self._folder else "",
                    changes)
            paths = {change.path: change.old is not None for change in changes}
        else:
            paths = dict.fromkeys(self._worktree_changes(), None)
        found: set[str] = set()
        for path, at_base in paths.items():
            if not path.endswith(SUFFIXES):
                continue
            where = split(path)
            if where is not None:
                beside = self._record_beside(base, where[0])
                if beside is not None:
                    found.add(beside)
            elif at_base or (at_base is None and _lookup(base, path, self._folder)):
                found.add(path)
        return sorted(self._shown(path) for path in found)

    def read_base(self, shown: str) -> bytes:
        """The bytes of a file at the base commit (`shown` as `changed` gave it)."""
        blob = self._git[self.base.tree[self._in_git(shown)].id]
        assert isinstance(blob, pygit2.Blob)
        return blob.data

    def base_updates(self, shown: str) -> list[Entry]:
        """The update files of the record file `shown` at the base commit, by name."""
        try:
            folder = self.base.tree[self._in_git(folder_of(shown))]
        except KeyError:
            return []
        if not isinstance(folder, pygit2.Tree):
            return []
        return sorted((f"{folder_of(shown)}/{name}", self._data(entry))
                      for entry in folder
                      if not (name := entry.name or "").startswith(".")
                      and name.endswith(SUFFIXES) and not isinstance(entry, pygit2.Tree))

    def head_files(self) -> Iterator[Entry]:
        """Every YAML file of the records folder at head (update files too), hidden entries
        skipped."""
        assert self.head is not None
        tree = self._subtree(self.head)
        if tree is not None:
            for path, entry in record_files(tree, self._folder):
                yield self._shown(path), self._data(entry)

    def _data(self, entry: pygit2.Object) -> bytes | None:
        blob = None if entry.filemode == FileMode.LINK else self._git[entry.id]
        return blob.data if isinstance(blob, pygit2.Blob) else None

    def _record_beside(self, base: pygit2.Tree, folder: str) -> str | None:
        """The record file at base that the updates folder `folder` belongs to."""
        stem = folder[:-len(UPDATES)]
        for suffix in SUFFIXES:
            if _lookup(base, stem + suffix, self._folder):
                return stem + suffix
        return None

    def _worktree_changes(self) -> set[str]:
        # libgit2 keeps a stat cache in the index: only files whose size or time changed
        # since they were staged are hashed again, as `git status` does.
        index = self._git.index
        staged = index.diff_to_tree(self.base.tree)
        # New files too: an update file that is not added yet is a change to its record.
        unstaged = index.diff_to_workdir(DiffOption.INCLUDE_UNTRACKED
                                         | DiffOption.RECURSE_UNTRACKED_DIRS)
        return {path for diff in (staged, unstaged) for delta in diff.deltas
                for path in (delta.old_file.path, delta.new_file.path)
                if _under(path, self._folder)}

    def _subtree(self, commit: pygit2.Commit) -> pygit2.Tree | None:
        return subtree(commit.tree, self._folder)

    def _shown(self, path: str) -> str:
        return PurePosixPath(path).relative_to(self._root).as_posix() if self._root else path

    def _in_git(self, shown: str) -> str:
        return f"{self._root}/{shown}" if self._root else shown


def _lookup(tree: pygit2.Tree, path: str, folder: str) -> bool:
    inside = path[len(folder) + 1:] if folder else path
    try:
        tree[inside]
    except KeyError:
        return False
    return True


def _under(path: str, folder: str) -> bool:
    return not folder or path.startswith(folder + "/")

