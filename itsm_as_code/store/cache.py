"""A cache of parsed records, keyed by the bytes of each file: loading an unchanged
repository reads one JSON file instead of parsing every record's YAML (14x the cost).

The cache is only ever a speed-up. Its key is a BLAKE2b hash of the bytes the loader
actually read (not git's SHA-1 blob id: a crafted SHA-1 collision could otherwise pair a
harmless text with another), so a changed file is parsed again, and a record from a pull
request can only ever be found under the hash of its own bytes: it cannot poison the
entry of another text. Only files that parse into a mapping are kept; a file with a
problem is parsed every time, so its finding is always the parser's own. The value kept
is exactly what `parse_bytes` returned, as JSON (records are plain data: text keys,
strings, finite numbers, booleans, null, lists and mappings).

One file per repository, under `$ITSM_CACHE_DIR`, else `$XDG_CACHE_HOME/itsm-as-code`,
else `~/.cache/itsm-as-code`. Its first line says which itsm, parsing code, cache format
and limits wrote it, its second holds a hash of the rest; a file of another version, damaged, or
one that cannot be read is ignored and rewritten. It is replaced atomically (two
processes at once: the last one wins, neither leaves half a file), holds only the
records of the last load, and only the MAX_REPOSITORIES most recently written
repositories are kept. `ITSM_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from itsm_as_code import __version__, yamlsafe
from itsm_as_code.files import write_atomic

SCHEMA = 1
MAX_REPOSITORIES = 20
MAX_BYTES = 512 * 1024 * 1024  # a larger cache is not written: its load would not pay
PREFIX = "records-"


def content_key(raw: bytes) -> str:
    """The cache key of a file's bytes."""
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def cache_dir(environ: Mapping[str, str]) -> Path:
    if environ.get("ITSM_CACHE_DIR"):
        return Path(environ["ITSM_CACHE_DIR"])
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "itsm-as-code"


def disabled(environ: Mapping[str, str]) -> bool:
    return environ.get("ITSM_NO_CACHE", "") not in ("", "0")


class RecordCache:
    """Parsed records by content key, read from and saved to one file.

    The file is a header line, a line with the BLAKE2b hash of the rest, then a line per
    record: its key, a space, and its data as JSON (decoded only when it is asked for,
    so a record that was not asked for costs nothing but its share of the hash).
    """

    def __init__(self, path: Path | None, limits: tuple[int, int]) -> None:
        self.path = path
        self._header = json.dumps({"format": "itsm-records-cache", "schema": SCHEMA,
                                   "itsm": __version__, "parser": _parser_digest(),
                                   "limits": list(limits)})
        self._entries: dict[str, str] = self._read() if path is not None else {}
        self._used: set[str] = set()
        self._added = 0

    @classmethod
    def for_root(cls, root: Path, limits: tuple[int, int],
                 environ: Mapping[str, str] | None = None) -> RecordCache:
        """The cache of the repository at `root`; one that keeps nothing when turned off."""
        environ = os.environ if environ is None else environ
        if disabled(environ):
            return cls(None, limits)
        name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
        return cls(cache_dir(environ) / f"{PREFIX}{name}.json", limits)

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def has_entries(self) -> bool:
        return bool(self._entries)

    def get(self, key: str) -> dict[str, Any] | None:
        """A new copy of the data parsed from the bytes with this key, or None."""
        text = self._entries.get(key)
        if text is None:
            return None
        try:
            found = json.loads(text)
        except ValueError:
            return None
        if not isinstance(found, dict):
            return None
        self._used.add(key)
        return found

    def put(self, key: str, data: dict[str, Any]) -> None:
        """Keep `data`, parsed from bytes with this key (not kept unless plain data)."""
        if self.path is None:
            return
        text = as_json(data)
        if text is not None:
            self.put_json(key, text)

    def put_json(self, key: str, text: str) -> None:
        """Keep the data whose `as_json` text this is."""
        if self.path is None:
            return
        self._entries[key] = text
        self._used.add(key)
        self._added += 1

    def save(self) -> None:
        """Write the entries this load used, if they differ from what was read; a cache
        that cannot be written is left as it was (it is only a speed-up)."""
        if self.path is None or (not self._added and self._used == self._entries.keys()):
            return
        # Bytes from the start: encoding 26 MB of text a second time, to write it, cost
        # as much as building it.
        body = "".join(f"{key} {self._entries[key]}\n" for key in sorted(self._used)).encode(
            "ascii")
        if len(body) > MAX_BYTES:
            return
        check = hashlib.blake2b(body, digest_size=20).hexdigest()
        if replace_file(self.path, f"{self._header}\n{check}\n".encode("ascii") + body):
            prune(self.path.parent, PREFIX)

    def _read(self) -> dict[str, str]:
        assert self.path is not None
        try:
            raw = self.path.read_bytes()
        except OSError:
            return {}
        header, _, rest = raw.partition(b"\n")
        check, _, body = rest.partition(b"\n")
        if header != self._header.encode() or check != hashlib.blake2b(
                body, digest_size=20).hexdigest().encode():
            return {}  # another version, or damaged: read nothing of it
        try:
            lines = body.decode("ascii").splitlines()
        except UnicodeDecodeError:
            return {}
        pairs = (line.partition(" ") for line in lines)
        return {key: text for key, _, text in pairs if text}


def _parser_digest() -> str:
    """A hash of the code that turns bytes into records, and of the YAML library's version:
    a cache written by other parsing code (an upgrade, a change to the loader between
    releases) is never read."""
    digest = hashlib.blake2b(yaml.__version__.encode(), digest_size=12)
    for source in (Path(__file__).parent / "loader.py", Path(yamlsafe.__file__)):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def replace_file(path: Path, text: str | bytes) -> bool:
    """Write `text` (ASCII, or bytes) to `path` atomically; False when it cannot be
    written (a cache is only a speed-up: its write may fail quietly)."""
    try:
        write_atomic(path, text.encode("ascii") if isinstance(text, str) else text,
                     prefix=".tmp-")
    except OSError:
        return False
    return True


def as_json(data: dict[str, Any]) -> str | None:
    """The text a cache keeps for `data`; None for data that is not plain (never kept)."""
    try:
        return json.dumps(data, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None


def prune(folder: Path, prefix: str) -> None:
    """Keep the MAX_REPOSITORIES most recently written cache files named `prefix*.json`."""
    caches = []
    for path in folder.glob(f"{prefix}*.json"):
        try:
            caches.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    for _, path in sorted(caches, reverse=True)[MAX_REPOSITORIES:]:
        path.unlink(missing_ok=True)
