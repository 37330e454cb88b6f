"""The content key of each record file by its status (size, times, inode), as git's index
keeps it: an unchanged file's key without reading its bytes.

A run that reads the record cache (cache.py) or the result of the last validation
(validation/results.py) needs the content key of every file; reading and hashing 100,000
files costs more than the rest of a warm run. The index holds, per file, the status it had
and the key of the bytes read after that status was taken: the same status now means the
same bytes. The status change time (ctime) is set by the kernel on every write and cannot
be set back by a user, so a changed file never keeps its status; a file changed less than
MARGIN before the run (within one tick of the file system's clock of a write that could
still follow) is not kept, and is read again next time (git's "racily clean" entries).

Kept beside the record cache, signed with its key like it (a forged or damaged index is
ignored), one file per repository, holding the files of the last walk only; off with the
record cache (`ITSM_NO_CACHE=1`).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from itsm_as_code import __version__
from itsm_as_code.signing import load_key
from itsm_as_code.store.cache import (
    content_key,
    is_signed,
    prune,
    read_signed,
    repository_file,
    write_signed,
)
from itsm_as_code.store.loader import Limits, read_file

PREFIX = "stats-"
SCHEMA = 1
MARGIN_NS = 2_000_000_000
Status = tuple[int, int, int, int, int]


class StatIndex:
    """Content keys by file status, read from and saved to one signed file.

    `look` takes the status of every file and answers the keys it knows; `learn` is told
    the key of a file read since; `keys` holds every key this run knows, by shown path."""

    def __init__(self, path: Path | None, now_ns: int | None = None) -> None:
        self.path = path
        self._header = json.dumps({"format": "itsm-stats", "schema": SCHEMA,
                                   "itsm": __version__})
        self._key = load_key(path.parent) if path is not None else None
        self._entries: dict[str, list[int | str]] = self._read()
        self._status: dict[str, Status] = {}
        self._changed = False
        # Files whose status is at least this recent may still change within the tick.
        self._recent = (time.time_ns() if now_ns is None else now_ns) - MARGIN_NS
        self.keys: dict[str, str] = {}

    @classmethod
    def for_root(cls, root: Path, environ: Mapping[str, str] | None = None) -> StatIndex:
        """The index of the repository at `root`; one that knows nothing when turned off."""
        return cls(repository_file(root, PREFIX, environ))

    @property
    def enabled(self) -> bool:
        return self._key is not None

    def look(self, files: Sequence[tuple[str, str]]) -> dict[str, str]:
        """The keys of `files` whose status is the one the index holds (by shown path)."""
        if not self.enabled:
            return {}
        entries, known = self._entries, {}
        for path, shown in files:
            try:
                status = os.lstat(path)
            except OSError:
                continue
            now = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino,
                   status.st_dev)
            self._status[shown] = now
            entry = entries.get(shown)
            if entry is not None and tuple(entry[:5]) == now:
                known[shown] = str(entry[5])
        self.keys.update(known)
        return known

    def learn(self, shown: str, key: str) -> None:
        """`key` is that of the bytes of `shown` read after `look` took its status."""
        if not key:
            return
        self.keys[shown] = key
        status = self._status.get(shown)
        if status is None or max(status[1], status[2]) >= self._recent:
            return
        entry = self._entries.get(shown)
        if entry is None or tuple(entry[:5]) != status or entry[5] != key:
            self._entries[shown] = [*status, key]
            self._changed = True

    def save(self) -> None:
        """Write the entries of the files looked at this run, if they changed; an index
        that cannot be written is left as it was (it is only a speed-up)."""
        if self.path is None or self._key is None:
            return
        kept = {shown: entry for shown, entry in self._entries.items() if shown in self._status}
        if not self._changed and len(kept) == len(self._entries):
            return  # nothing learned, nothing gone
        body = json.dumps(kept, separators=(",", ":")).encode("ascii")
        if write_signed(self.path, self._header, body, self._key):
            key = self._key
            prune(self.path.parent, PREFIX, lambda path: is_signed(path, key))

    def _read(self) -> dict[str, list[int | str]]:
        if self.path is None or self._key is None:
            return {}
        body = read_signed(self.path, self._header, self._key)
        if body is None:
            return {}
        try:
            entries = json.loads(body)
        except (ValueError, RecursionError):
            return {}
        return entries if isinstance(entries, dict) else {}


# Files with no known status hashed before a run key is made: beyond this many (a fresh
# clone, a checkout of another branch) loading reads them anyway.
HASH_AT_MOST = 200


def hash_unknown(files: Sequence[tuple[str, str]], stats: StatIndex, limits: Limits) -> None:
    """Read and hash the files whose status the index does not know, when they are few
    (files just written or checked out): a run key needs every content key, and loading
    reads the rest anyway."""
    unknown = [(path, shown) for path, shown in files if shown not in stats.keys]
    if len(unknown) > max(HASH_AT_MOST, len(files) // 20):
        return
    for path, shown in unknown:
        raw = read_file(path, shown, limits)
        if isinstance(raw, bytes):
            stats.learn(shown, content_key(raw))
