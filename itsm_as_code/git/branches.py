"""Record ids on every branch, read from the branches' trees without checking them out.

`itsm new` numbers a record after the highest id in use anywhere it can see: the work
tree, every local branch and every remote-tracking branch. Branches mostly share their
folders, so each folder tree is read once per run, by oid.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pygit2

from itsm_as_code.store.loader import SUFFIXES

BRANCHES = ("refs/heads/", "refs/remotes/")


def ids_on_branches(folder: Path) -> set[str]:
    """The file stems of record files under `folder` on every local and remote-tracking
    branch; empty outside git or before the first commit."""
    found = pygit2.discover_repository(str(folder))
    if found is None:
        return set()
    repository = pygit2.Repository(found)
    if repository.workdir is None or repository.head_is_unborn:
        return set()
    try:
        prefix = folder.resolve().relative_to(Path(repository.workdir).resolve()).as_posix()
    except ValueError:
        return set()
    stems: set[str] = set()
    seen: dict[str, frozenset[str]] = {}
    for name in repository.references:
        if not name.startswith(BRANCHES):
            continue
        reference = repository.references[name]
        if reference.type != pygit2.enums.ReferenceType.DIRECT:
            continue  # origin/HEAD points at a branch that is read anyway
        try:
            tree = repository[reference.target].peel(pygit2.Tree)
            subtree = tree[prefix] if prefix != "." else tree
        except (KeyError, ValueError, pygit2.GitError):
            continue
        if isinstance(subtree, pygit2.Tree):
            stems |= _stems(subtree, seen)
    return stems


def _stems(tree: pygit2.Tree, seen: dict[str, frozenset[str]]) -> frozenset[str]:
    key = str(tree.id)
    if key not in seen:
        names: set[str] = set()
        for entry in tree:
            name = entry.name or ""
            if name.startswith("."):
                continue
            if isinstance(entry, pygit2.Tree):
                names |= _stems(entry, seen)
            elif name.endswith(SUFFIXES):
                names.add(PurePosixPath(name).stem)
        seen[key] = frozenset(names)
    return seen[key]
