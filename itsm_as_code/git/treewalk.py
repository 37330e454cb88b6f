"""Reading git trees: a folder of a tree, the record files below it, and what differs
between two trees.

Comparisons descend only into folders whose oids differ: libgit2's own tree diff expands
every folder and is many times slower on wide record folders. Hidden entries are left out,
as the loader leaves them out of the work tree.
"""

from __future__ import annotations

from collections.abc import Iterator

import pygit2

from itsm_as_code.git.index import FileChange
from itsm_as_code.store.loader import SUFFIXES

_BLOB, _LINK = pygit2.GIT_OBJECT_BLOB, pygit2.GIT_FILEMODE_LINK


def subtree(tree: pygit2.Tree, path: str) -> pygit2.Tree | None:
    """The folder at `path` ("" for `tree` itself), or None when there is none."""
    try:
        found = tree[path] if path else tree
    except KeyError:
        return None
    return found if isinstance(found, pygit2.Tree) else None


def record_files(tree: pygit2.Tree, prefix: str) -> Iterator[tuple[str, pygit2.Object]]:
    """Every record file below `tree` (links included, for the caller to refuse), with its
    path: `prefix` joined with the path inside the tree."""
    for entry in tree:
        name = entry.name or ""
        if name.startswith("."):
            continue
        path = f"{prefix}/{name}" if prefix else name
        if isinstance(entry, pygit2.Tree):
            yield from record_files(entry, path)
        elif name.endswith(SUFFIXES):
            yield path, entry


def compare(old: pygit2.Tree | None, new: pygit2.Tree | None, folder: str,
            out: list[FileChange]) -> None:
    """Append the record files that differ between two trees, skipping equal subtrees;
    `folder` ("" or ending in "/") is put before each path."""
    before = {e.name or "": e for e in old} if old is not None else {}
    after = {e.name or "": e for e in new} if new is not None else {}
    for name in sorted(before.keys() | after.keys()):
        if name.startswith("."):
            continue
        was, now = before.get(name), after.get(name)
        if was is not None and now is not None and was.id == now.id:
            continue
        was_tree = was if isinstance(was, pygit2.Tree) else None
        now_tree = now if isinstance(now, pygit2.Tree) else None
        if was_tree is not None or now_tree is not None:
            compare(was_tree, now_tree, f"{folder}{name}/", out)
        if name.endswith(SUFFIXES):
            old_blob, new_blob = blob_id(was), blob_id(now)
            if old_blob != new_blob:
                out.append(FileChange(folder + name, old_blob, new_blob))


def blob_id(entry: pygit2.Object | None) -> str | None:
    """The blob id of a regular file's entry; None for anything else or nothing."""
    if entry is None or entry.type != _BLOB or entry.filemode == _LINK:
        return None
    return str(entry.id)
