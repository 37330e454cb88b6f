"""Files only this user's itsm wrote: what a cache keeps is signed with a keyed hash
(BLAKE2b) made with a random key of this user's, and read back only when it carries it.

A cache is read back by later runs, and anyone who can put a file where it lives (a copied
repository or `.git` folder, a restored CI cache, another user of a shared checkout) could
otherwise make itsm trust what it never computed: a history that hides commits, an audit
without its findings. A plain digest only catches damage (anyone can compute it); the
key, kept in the user's cache folder (`key`, mode 0600, made on first use) and never in a
repository, is what a forger lacks.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
import tempfile
from pathlib import Path

KEY_FILE = "key"
KEY_BYTES = 32
# Sealed files are told apart from the record cache's (same key, its own layout).
_PERSON = b"itsm-sealed-file"


def load_key(folder: Path) -> bytes | None:
    """The key that signs the caches in `folder`, made on first use; None when it cannot
    be made or read, or is not this user's private file (what it would sign is then not
    kept)."""
    path = folder / KEY_FILE
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists() and not path.is_symlink():
            _make_key(path)
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(stream.fileno())
        private = stat.S_ISREG(status.st_mode) and not status.st_mode & 0o077
        if not private or getattr(os, "geteuid", lambda: status.st_uid)() != status.st_uid:
            return None
        key = stream.read(KEY_BYTES + 1)
    return key if len(key) == KEY_BYTES else None


def _make_key(path: Path) -> None:
    """A new random key at `path`, whole or not at all (a second process that makes its
    own at the same time finds this one there, and uses it)."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=".itsm-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(secrets.token_bytes(KEY_BYTES))
        with contextlib.suppress(FileExistsError):
            os.link(name, path)
    finally:
        Path(name).unlink(missing_ok=True)


def seal(key: bytes, header: bytes, body: bytes) -> bytes:
    """A file's bytes: `header` (one line: what wrote the file, which version, for what),
    a space and the keyed hash of header and body, a newline, then `body`."""
    return header + b" " + _tag(key, header, body) + b"\n" + body


def unseal(key: bytes, header: bytes, data: bytes) -> bytes | None:
    """The body of `data` when it was sealed with `key` under this very `header`; None
    for anything else (another version or purpose, damaged, forged, truncated)."""
    first, newline, body = data.partition(b"\n")
    expected = header + b" " + _tag(key, header, body)
    if not newline or not secrets.compare_digest(first, expected):
        return None
    return body


def _tag(key: bytes, header: bytes, body: bytes) -> bytes:
    digest = hashlib.blake2b(key=key, digest_size=32, person=_PERSON)
    # The header's length first: no header and body can be cut another way to match.
    digest.update(len(header).to_bytes(8, "big") + header)
    digest.update(body)
    return digest.hexdigest().encode("ascii")
