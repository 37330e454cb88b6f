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
and limits wrote it, its second holds a keyed hash (BLAKE2b) of the first and the rest,
made with a random key kept beside the caches (`key`, mode 0600, made on first use): a
file of another version, damaged, forged by someone without the key, or one that cannot
be read is ignored and rewritten, and pruning deletes only files that carry that hash.
An entry is never more than MAX_GROWTH times the bytes it was parsed from (aliases can
expand a small file; such a file is parsed every time instead). It is replaced atomically (two
processes at once: the last one wins, neither leaves half a file), holds only the
records of the last load, and only the MAX_REPOSITORIES most recently written
repositories are kept. `ITSM_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from itsm_as_code import __version__, yamlerrors, yamllimits, yamlsafe
from itsm_as_code.files import write_atomic
from itsm_as_code.signing import load_key
from itsm_as_code.store import fast

SCHEMA = 1
MAX_REPOSITORIES = 20
MAX_BYTES = 512 * 1024 * 1024  # a larger cache is not written: its load would not pay
PREFIX = "records-"
# JSON of a record is at most about 5 times its YAML (`{a,b}`: each key becomes
# `"a":null`; `é` becomes `\u00e9`); more than this comes from aliases.
MAX_GROWTH = 8


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


def repository_file(root: Path, prefix: str, environ: Mapping[str, str] | None = None
                    ) -> Path | None:
    """The cache file named `prefix` of the repository at `root`; None when caching is
    turned off (ITSM_NO_CACHE)."""
    environ = os.environ if environ is None else environ
    if disabled(environ):
        return None
    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir(environ) / f"{prefix}{name}.json"


class RecordCache:
    """Parsed records by content key, read from and saved to one file.

    The file is a header line, a line with its keyed hashes (`sign`), then a line per
    record: its key, a space, and its data as JSON (decoded only when it is asked for,
    so a record that was not asked for costs nothing but its share of the hash).
    """

    def __init__(self, path: Path | None, limits: tuple[int, int]) -> None:
        self.path = path
        self._header = json.dumps({"format": "itsm-records-cache", "schema": SCHEMA,
                                   "itsm": __version__, "parser": _parser_digest(),
                                   "limits": list(limits)})
        # Without its key the cache can neither trust what it reads nor sign what it writes.
        self._key = load_key(path.parent) if path is not None else None
        if self._key is None:
            self.path = None
        self._entries: dict[str, str] = self._read() if self.path is not None else {}
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
        except (ValueError, RecursionError):
            return None
        if not isinstance(found, dict):
            return None
        self._used.add(key)
        return found

    def put(self, key: str, data: dict[str, Any], size: int) -> None:
        """Keep `data`, parsed from `size` bytes with this key (not kept unless plain data,
        nor when its text would be more than MAX_GROWTH times those bytes)."""
        if self.path is None:
            return
        text = as_json(data, MAX_GROWTH * size)
        if text is not None:
            self.put_json(key, text, size)

    def put_json(self, key: str, text: str, size: int) -> None:
        """Keep the data whose `as_json` text this is, parsed from `size` bytes."""
        if self.path is None or len(text) > MAX_GROWTH * size:
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
        assert self._key is not None
        if write_signed(self.path, self._header, body, self._key):
            prune(self.path.parent, PREFIX, self._signed)

    def _read(self) -> dict[str, str]:
        assert self.path is not None and self._key is not None
        body = read_signed(self.path, self._header, self._key)
        if body is None:
            return {}
        try:
            lines = body.decode("ascii").splitlines()
        except UnicodeDecodeError:
            return {}
        pairs = (line.partition(" ") for line in lines)
        return {key: text for key, _, text in pairs if text}

    def _signed(self, path: Path) -> bool:
        assert self._key is not None
        return is_signed(path, self._key)


def sign(header: bytes, body: bytes | None, key: bytes) -> bytes:
    """The second line of a cache file: a keyed hash of the header (what pruning checks,
    without reading the rest), then one of the header and the body."""
    digest = hashlib.blake2b(header, key=key, digest_size=20)
    tag = digest.hexdigest().encode("ascii")
    if body is None:
        return tag
    digest.update(b"\n" + body)
    return tag + b" " + digest.hexdigest().encode("ascii")


def is_signed(path: Path, key: bytes) -> bool:
    """Whether `path` is a cache file written with this key (of any version)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64 * 1024)
    except OSError:
        return False
    header, _, rest = head.partition(b"\n")
    tag = rest.partition(b" ")[0]
    return secrets.compare_digest(tag, sign(header, None, key))


def read_signed(path: Path, header: str, key: bytes) -> bytes | None:
    """The body of a cache file that `write_signed` wrote with this header and key; None
    when it is missing, unreadable, of another header (version), damaged or forged."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    first, _, rest = raw.partition(b"\n")
    check, _, body = rest.partition(b"\n")
    if first != header.encode() or not secrets.compare_digest(check, sign(first, body, key)):
        return None
    return body


def write_signed(path: Path, header: str, body: bytes, key: bytes) -> bool:
    """Replace the cache file at `path` with `header`, its keyed hashes and `body`; False
    when it cannot be written."""
    first = header.encode("ascii")
    return replace_file(path, first + b"\n" + sign(first, body, key) + b"\n" + body)


def _parser_digest() -> str:
    """A hash of the code that turns bytes into records, and of the YAML library's version:
    a cache written by other parsing code (an upgrade, a change to the loader between
    releases) is never read."""
    digest = hashlib.blake2b(f"{yaml.__version__} {fast.VERSION}".encode(), digest_size=12)
    for source in (*(Path(__file__).parent / name for name in ("loader.py", "fast.py",
                                                              "screen.py")),
                   *(Path(module.__file__ or "") for module in (yamlsafe, yamlerrors, yamllimits))):
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


def as_json(data: dict[str, Any], limit: int | None = None) -> str | None:
    """The text a cache keeps for `data`; None for data that is not plain, or whose text
    is longer than `limit` (never kept)."""
    try:
        text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None
    return None if limit is not None and len(text) > limit else text


def prune(folder: Path, prefix: str, ours: Callable[[Path], bool] | None = None) -> None:
    """Keep the MAX_REPOSITORIES most recently written cache files named `prefix*.json`;
    only regular files that `ours` says a cache wrote (by default: named as caches name
    their files, a hash of 16 hex digits) are counted or deleted, never a user's own."""
    caches = []
    for path in folder.glob(f"{prefix}*.json"):
        try:
            status = path.lstat()
        except OSError:
            continue
        if stat.S_ISREG(status.st_mode) and (ours or _named_by_cache(prefix))(path):
            caches.append((status.st_mtime_ns, path))
    for _, path in sorted(caches, reverse=True)[MAX_REPOSITORIES:]:
        path.unlink(missing_ok=True)


def _named_by_cache(prefix: str) -> Callable[[Path], bool]:
    def named(path: Path) -> bool:
        digest = path.name.removeprefix(prefix).removesuffix(".json")
        return len(digest) == 16 and all(c in "0123456789abcdef" for c in digest)
    return named
