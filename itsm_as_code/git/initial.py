"""The first commit of a repository that `itsm init` made: every file of the work tree
that `.gitignore` does not exclude, on the unborn branch HEAD names.

The author is whoever git is configured for on this machine (global, XDG or system
configuration: a repository made a moment ago has no configuration of its own), so the
caller can ask before it writes anything and say what to set when nobody is configured.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pygit2

from itsm_as_code.git.commit import Identity
from itsm_as_code.git.errors import NoAuthor


def configured_identity() -> Identity | None:
    """`user.name` and `user.email` from git's configuration outside any repository."""
    for opener in (pygit2.Config.get_global_config, pygit2.Config.get_xdg_config,
                   pygit2.Config.get_system_config):
        try:
            config = opener()
            return Identity(str(config["user.name"]), str(config["user.email"]))
        except (OSError, KeyError, pygit2.GitError):
            continue
    return None


def commit_work_tree(root: Path, message: str, author: Identity | None, now: datetime,
                     needs: str = "itsm init") -> str:
    """Commit every file under `root` (a repository without commits) and return the id."""
    if author is None:
        raise NoAuthor(needs)
    repository = pygit2.Repository(str(root))
    index = repository.index
    index.add_all()
    index.write()
    offset = now.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    signature = pygit2.Signature(author.name, author.email, int(now.timestamp()), minutes)
    tree = index.write_tree()
    return str(repository.create_commit("HEAD", signature, signature, message, tree, []))
