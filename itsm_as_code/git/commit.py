"""Commits to a branch without a checkout: the work tree, the index and HEAD stay as they are.

A `Branch` is read at its tip (or, for a branch not made yet, at HEAD's commit); the
change is written as blobs and trees on top of that commit's tree, and the branch moves
to the new commit only if it still points where it was read (compare-and-swap). When it
moved, `RefMoved` is raised and nothing is overwritten: the caller reads again and redoes
its change on the new tip.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pygit2
from pygit2.enums import FileMode

from itsm_as_code.git.errors import (
    CheckedOutBranch,
    InvalidBranchName,
    NoAuthor,
    NoCommits,
    RefMoved,
)
from itsm_as_code.git.repo import inside, open_git
from itsm_as_code.git.treewalk import record_files, subtree

__all__ = ["Branch", "Identity", "RefMoved", "bot_identity"]


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


class Branch:
    """A branch as read once: its files (paths relative to `root`) and how to commit on it.

    With `own_tree`, the branch keeps state of its own (the SLA ledger) rather than a
    version of the records: paths are from the top of its tree, and when it does not
    exist its first commit has no parent. `action` names what commits, in the reflog.
    """

    def __init__(self, root: Path, name: str, needs: str = "--commit", *,
                 own_tree: bool = False, action: str = "itsm event ingest") -> None:
        self._git, self._needs, self._action = open_git(root, needs), needs, action
        self.name, self.ref = name, f"refs/heads/{name}"
        if not pygit2.reference_is_valid_name(self.ref) or name.startswith("-"):
            raise InvalidBranchName(needs, name)
        if not self._git.head_is_detached and not self._git.head_is_unborn \
                and self._git.head.name == self.ref:
            raise CheckedOutBranch(needs, name)
        found = self._git.references.get(self.ref)
        self.parent: pygit2.Commit | None
        if found is not None:
            self.tip: pygit2.Oid | None = found.peel(pygit2.Commit).id
            self.parent = found.peel(pygit2.Commit)
        elif own_tree:
            self.tip, self.parent = None, None
        elif self._git.head_is_unborn:
            raise NoCommits(needs)
        else:
            self.tip, self.parent = None, self._git.head.peel(pygit2.Commit)
        place = "" if own_tree else inside(self._git, root, needs)
        self._prefix = f"{place}/" if place else ""

    def paths(self, folder: str) -> list[str]:
        """YAML files under `folder` at the branch's commit (hidden entries and links left
        out), relative to the ITSM repository's root."""
        tree = subtree(self.parent.tree, self._prefix + folder) if self.parent else None
        if tree is None:
            return []
        return [path for path, entry in record_files(tree, folder)
                if entry.filemode != FileMode.LINK]

    def read(self, path: str) -> bytes:
        found = self.find(path)
        if found is None:
            raise KeyError(path)
        return found

    def find(self, path: str) -> bytes | None:
        """The bytes of the file at `path` on the branch, or None when it holds none."""
        if self.parent is None:
            return None
        try:
            blob = self._git[self.parent.tree[self._prefix + path].id]
        except KeyError:
            return None
        return blob.data if isinstance(blob, pygit2.Blob) else None

    def commit(self, files: dict[str, str], message: str, author: Identity | None,
               now: datetime) -> str:
        """Commit `files` (path -> text) on top of the branch's commit; the new commit's id.

        Raises RefMoved when the branch no longer points where it was read.
        """
        signature = self._signature(author, now)
        changes = {tuple((self._prefix + path).split("/")): self._git.create_blob(text.encode())
                   for path, text in files.items()}
        parent = self.parent
        tree = _with_files(self._git, parent.tree if parent else None, changes)
        oid = self._git.create_commit(None, signature, signature, message, tree,
                                      [parent.id] if parent else [])
        try:
            if self.tip is None:
                self._git.create_reference_direct(self.ref, oid, False, message=self._action)
            else:
                reference = self._git.references[self.ref]
                if reference.target != self.tip:
                    raise RefMoved(self._needs, self.name)
                # libgit2 writes only if the branch still holds the target just looked up.
                reference.set_target(oid, self._action)
        except (pygit2.GitError, ValueError, KeyError, OSError):
            # OSError: another process holds the branch's lock file, moving it right now.
            raise RefMoved(self._needs, self.name) from None
        return str(oid)

    def check_author(self, author: Identity | None, now: datetime) -> None:
        """Raises NoAuthor now, before work that a commit failing later would leave
        unrecorded (a message sent, say)."""
        self._signature(author, now)

    def _signature(self, author: Identity | None, now: datetime) -> pygit2.Signature:
        offset = now.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        if author is None:
            try:
                configured = self._git.default_signature
            except (KeyError, pygit2.GitError):
                raise NoAuthor(self._needs) from None
            author = Identity(configured.name, configured.email)
        return pygit2.Signature(author.name, author.email, int(now.timestamp()), minutes)


def _with_files(git: pygit2.Repository, tree: pygit2.Tree | None,
                files: dict[tuple[str, ...], pygit2.Oid]) -> pygit2.Oid:
    """The id of `tree` with `files` (path parts -> blob id) written into it."""
    builder = git.TreeBuilder(tree) if tree is not None else git.TreeBuilder()
    deeper: defaultdict[str, dict[tuple[str, ...], pygit2.Oid]] = defaultdict(dict)
    for parts, blob in files.items():
        if len(parts) == 1:
            builder.insert(parts[0], blob, FileMode.BLOB)
        else:
            deeper[parts[0]][parts[1:]] = blob
    for name, below in deeper.items():
        existing = git[tree[name].id] if tree is not None and name in tree else None
        subtree = existing if isinstance(existing, pygit2.Tree) else None
        builder.insert(name, _with_files(git, subtree, below), FileMode.TREE)
    return builder.write()


def bot_identity(environment: os._Environ[str] | dict[str, str]) -> Identity | None:
    """The author named by ITSM_BOT_NAME and ITSM_BOT_EMAIL, when both are set."""
    name, email = environment.get("ITSM_BOT_NAME"), environment.get("ITSM_BOT_EMAIL")
    return Identity(name, email) if name and email else None
