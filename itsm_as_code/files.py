"""Reading and writing files safely: a write that a reader, or a process killed half-way,
never sees a part of; a read that never follows a link or waits on a FIFO.

Every file itsm writes goes through `write_all` (or `write_atomic`, for one file): the
bytes go to a new file beside the target, which is then renamed over it (or linked to it,
when the target must not exist).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Collection, Mapping
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False, durable: bool = False,
                 prefix: str = ".itsm-") -> None:
    """Write `data` to `path` through a temporary file in the same folder.

    With `exclusive`, FileExistsError is raised when `path` exists (and nothing is
    written). The new file gets the mode a plain `open` would give it (the umask's), not
    the private mode of a temporary file. OSError propagates; the temporary file is
    always removed. `durable` waits until the bytes are on disk (records, evidence), which
    costs a disk flush per file (not for the thousands of pages of a site).
    """
    write_all({path: data}, exclusive=(path,) if exclusive else (), durable=durable,
              prefix=prefix)


def write_all(files: Mapping[Path, bytes], *, exclusive: Collection[Path] = (),
              durable: bool = False, prefix: str = ".itsm-") -> None:
    """Write several files all or nothing, as `write_atomic` writes one.

    Every file's bytes go to a temporary file beside its target first; only when all of
    them are written are they moved into place, so a failure while writing (a full disk, a
    folder that cannot be made) leaves every target as it was. The targets in `exclusive`
    are linked first: when one exists, FileExistsError (naming it) is raised and the ones
    linked before it are removed again, so nothing is written either. The temporary files
    are always removed.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_stage(path, data, durable, prefix), path))
        linked: list[Path] = []
        for temporary, path in staged:
            if path in exclusive:
                try:
                    os.link(temporary, path)
                except FileExistsError:
                    for done in linked:
                        done.unlink(missing_ok=True)
                    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST),
                                          str(path)) from None
                linked.append(path)
        for temporary, path in staged:
            if path not in exclusive:
                # os.replace itself, not Path.replace: on Python 3.10 pathlib calls it through
                # an accessor bound at import, which a test that kills the process at a
                # rename (tests/acceptance/test_site_interrupted.py) cannot reach.
                os.replace(temporary, path)  # noqa: PTH105 - see above
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def _stage(path: Path, data: bytes, durable: bool, prefix: str) -> Path:
    """`data` in a new temporary file beside `path`, with the mode `path` should get."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        temporary.chmod(0o666 & ~_umask())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


class NotRegular(OSError):
    """The path is a FIFO, a socket, a device or a folder: nothing was read from it."""


def read_regular(path: str | Path, limit: int) -> bytes:
    """At most `limit` bytes of a regular file, opened without following a link and
    without waiting, and checked to be a regular file before a byte is read: a FIFO put
    where a file is expected (an export, an index, a cache) is refused, never waited on.
    Raises NotRegular for what is not a regular file, OSError for the rest (ELOOP for a
    link)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    handle = os.open(path, flags)
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegular(errno.EINVAL, "not a regular file", str(path))
        parts: list[bytes] = []
        left = limit
        # Asked for a byte more than its size: a read that gives the whole size and no
        # more is the end, so a file takes one read, not two (os.read alone: no buffered
        # stream per file).
        ask = min(left, status.st_size + 1)
        while left > 0:
            part = os.read(handle, ask)
            if not part:
                break
            parts.append(part)
            left -= len(part)
            if len(part) < ask and limit - left >= status.st_size:
                break
            ask = left
        return b"".join(parts)
    finally:
        os.close(handle)
