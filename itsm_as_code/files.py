"""Writing files so that a reader, or a process killed half-way, never sees a part.

Every file itsm writes goes through `write_atomic`: the bytes go to a new file beside the
target, which is then renamed over it (or linked to it, when the target must not exist).
"""

from __future__ import annotations

import os
import tempfile
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
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        Path(temporary).chmod(0o666 & ~_umask())
        if exclusive:
            os.link(temporary, path)
        else:
            Path(temporary).replace(path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
