"""One writer at a time in a work tree: an advisory lock held from reading the records to
writing them, by every command that writes records there (`itsm event ingest`, `itsm new`).

Two ingests that read the same incident and each write it back lose one's alerts (the
last writer wins), although both say they wrote; two `itsm new incident` that read the
same records give out the same id. The lock (`fcntl.flock` on a file in
`.git/itsm/`, or in the repository root when it is not a git work tree) makes the second
wait until the first has written, so it reads what the first wrote. The kernel drops the
lock when its holder exits, killed or not, so a crashed run never blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from itsm_as_code.errors import RecordError

WAIT_SECONDS = 60.0
_POLL_SECONDS = 0.02


def lock_path(root: Path) -> Path:
    """Where the lock of the work tree at `root` is: beside the history index in
    `.git/itsm/` (never committed), else `.itsm.lock` in the root."""
    git = root / ".git"
    return git / "itsm" / "work-tree.lock" if git.is_dir() else root / ".itsm.lock"


@contextmanager
def work_tree_lock(root: Path, wait: float = WAIT_SECONDS,
                   clock: Callable[[], float] = time.monotonic) -> Iterator[None]:
    """Hold the work tree's lock for the `with` block, waiting at most `wait` seconds for
    another holder; a RecordError says who to wait for when the time runs out."""
    path = lock_path(root)
    shown = path.relative_to(root).as_posix()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_NOFOLLOW: a symbolic link planted at the lock's path is not followed.
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise RecordError(f"{shown}: cannot open the lock file that keeps two itsm commands "
                          f"from writing at once: {error.strerror}; nothing was written"
                          ) from None
    try:
        deadline = clock() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if clock() >= deadline:
                    raise RecordError(
                        f"{shown}: another itsm command has been writing to this work tree "
                        f"for more than {wait:g} s (it holds this lock); nothing was "
                        "written: run this one again when it has finished") from None
                time.sleep(_POLL_SECONDS)
        yield
    finally:
        os.close(handle)  # closing the file releases the lock
