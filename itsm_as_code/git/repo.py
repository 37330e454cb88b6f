"""Git repositories: finding one, making one."""

from __future__ import annotations

from pathlib import Path

import pygit2


def enclosing(path: Path) -> Path | None:
    """The work tree of the git repository that holds `path`, or None."""
    found = pygit2.discover_repository(str(path))
    if found is None:
        return None
    repository = pygit2.Repository(found)
    return Path(repository.workdir) if repository.workdir else None


def init(path: Path) -> None:
    """Make `path` a new git repository whose first branch is `main`."""
    pygit2.init_repository(str(path), initial_head="main")
