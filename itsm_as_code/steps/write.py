"""Writing a checked step: a new update file (authoring/updates.py) or edited record files,
each atomically; with `--commit`, a commit of exactly those files on the checked-out
branch (git/head.py). When the commit cannot be made, what the step wrote is taken back:
a step is written and committed, or not at all.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from itsm_as_code.authoring.updates import updates_folder, write_update
from itsm_as_code.errors import RecordError, UsageError
from itsm_as_code.files import write_all
from itsm_as_code.git.head import commit_files, uncommitted


@dataclass(frozen=True)
class NewUpdate:
    """An update file to write: the entry, for the record at `record_path`, at `path`
    (`token` makes the name `update_path` gave)."""

    record_path: str
    record_id: str
    entry: dict[str, Any]
    token: str
    path: str


@dataclass(frozen=True)
class Written:
    paths: list[str]
    commit: str | None = None


def write_step(root: Path, edited: dict[str, str], update: NewUpdate | None,
               message: str | None, now: datetime) -> Written:
    """Write the step; with a commit `message`, commit it too (dated `now`)."""
    if message is not None:
        dirty = uncommitted(root, sorted(edited))
        if dirty:
            raise UsageError(f"{', '.join(dirty)} has changes that are not committed; --commit "
                             "commits only what this step changes: commit or stash them "
                             "first, or leave out --commit")
    old = {path: (root / path).read_bytes() for path in edited}
    paths = sorted(edited)
    if edited:
        write_all({root / path: text.encode("utf-8") for path, text in edited.items()},
                  durable=True)
    if update is not None:
        folder = root / updates_folder(update.record_path)
        if folder.is_symlink():
            _restore(root, old)
            raise RecordError(f"{updates_folder(update.record_path)} is a symbolic link: "
                              "updates are written only inside the repository; replace the "
                              "link with a folder")
        paths.append(write_update(root, update.record_path, update.record_id, update.entry,
                                  update.token))
    if message is None:
        return Written(paths)
    try:
        return Written(paths, commit_files(root, paths, message, now))
    except BaseException:
        if update is not None:
            (root / paths[-1]).unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # made by this step, or holding others
                (root / updates_folder(update.record_path)).rmdir()
        _restore(root, old)
        raise


def _restore(root: Path, old: dict[str, bytes]) -> None:
    if old:
        write_all({root / path: data for path, data in old.items()}, durable=True)
