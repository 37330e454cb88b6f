"""Reading record files: bytes -> checked text -> plain data -> Record, or a Finding.

Parsing is the cost of every run. A file the screen proves ordinary is read by a
compiled parser (fast.py); any other, and every file with a finding, by the careful
loader (yamlsafe), so every finding is the careful loader's. Large repositories are
parsed in one process per core; each worker returns plain data, and the records are
assembled here. A file whose bytes are in the record cache (cache.py) is not parsed.
"""

from __future__ import annotations

import codecs
import difflib
import json
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from itsm_as_code.files import NotRegular, read_regular
from itsm_as_code.findings import Finding
from itsm_as_code.parallel import can_fork, map_chunks
from itsm_as_code.store.cache import RecordCache, as_json, content_key
from itsm_as_code.store.fast import fast_load
from itsm_as_code.store.keys import shared_keys
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Record
from itsm_as_code.store.updates import UPDATE_RULES, is_updates_folder, nested
from itsm_as_code.yamlerrors import YamlProblem
from itsm_as_code.yamlsafe import load

# What can stop a file from becoming a record, by rule name (documented in the README).
FILE_RULES = {
    "file-read": "the file cannot be read",
    "file-size": "the file is larger than limits.max_file_bytes (default 1 MiB)",
    "file-encoding": "the file is not UTF-8, or holds control characters",
    "file-symlink": "a symbolic link among the records",
    "file-special": "a FIFO, socket or device among the records (never opened)",
    "file-temporary": "a notice: a temporary file that an interrupted itsm left behind",
    "file-empty": "the file holds no YAML document (or only comments)",
    "file-documents": "the file holds more than one YAML document",
    "yaml-syntax": "YAML syntax errors",
    "yaml-key": "merge keys (<<) and mapping keys that are not text",
    "yaml-number": "numbers of more than 18 digits, or not finite",
    "yaml-duplicate-key": "a key appears twice in one mapping",
    "yaml-alias": "too many aliases, recursive aliases, or aliases that expand too far",
    "yaml-depth": "values nested more than 64 levels deep",
    "yaml-tag": "a tag such as !!python/object or !!binary: records are plain data",
    "record-shape": "the document is a list or a single value, not a mapping",
    "record-kind": "the record has no kind, or one itsm does not know",
    **UPDATE_RULES,
}
SYMLINK_MESSAGE = ("symbolic links are not allowed among records: replace the link with what "
                   "it points to")
SPECIAL_MESSAGE = ("not a regular file (a FIFO, socket or device), so it was not opened: "
                   "records are plain files, remove it")
# The temporary files of files.write_atomic: a killed itsm leaves one behind. Hidden, so
# never read as a record; one older than a minute is no write in progress, and is named.
TEMPORARY = re.compile(r"\.itsm-[^/]*\.tmp")
STALE_AFTER = 60.0
BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
PARALLEL_FROM = 2000
# Files per task: small enough that the caller takes in one task's results while the
# workers parse the next ones, large enough that sending tasks costs next to nothing.
CHUNK = 500
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 1024 * 1024
    max_aliases: int = 100


class Found(NamedTuple):
    """What a walk of the records folder found: record files and update files (the
    files of the `ID.updates/` folders, store/updates.py), each as its path for the
    operating system and its path from the root, and findings about what can be neither."""

    files: list[tuple[str, str]]
    findings: list[Finding]
    updates: list[tuple[str, str]]


def find_files(folder: Path, root: Path, now: float | None = None) -> Found:
    """Every YAML file under `folder` (hidden entries skipped), with its path from `root`;
    findings for what cannot be a record file (links, FIFOs, folders that cannot be read,
    folders inside an updates folder) and notices for write_atomic's temporary files
    older than a minute before `now`.

    Paths stay strings: a Path object per file cost a fifth of a warm run."""
    found = Found([], [], [])
    shown = _shown_from(root)
    pending = [(str(folder), False)]
    while pending:
        current, of_updates = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError as error:
            found.findings.append(Finding(shown(current), 1, 1, "file-read",
                                          f"cannot read the folder: {error.strerror}"))
            continue
        files = found.updates if of_updates else found.files
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                if TEMPORARY.fullmatch(name) and _stale(entry, now):
                    found.findings.append(Finding(
                        shown(entry.path), 1, 1, "file-temporary", "a temporary file left by "
                        "an interrupted itsm command: delete it", level="notice"))
                continue
            # The entry's type as the folder listing gives it: no system call per file.
            if entry.is_file(follow_symlinks=False):
                if name.endswith(SUFFIXES):
                    files.append((entry.path, shown(entry.path)))
            elif entry.is_dir(follow_symlinks=False):
                if of_updates:
                    found.findings.append(nested(shown(entry.path)))
                else:
                    pending.append((entry.path, is_updates_folder(name)))
            elif entry.is_symlink():
                found.findings.append(Finding(shown(entry.path), 1, 1, "file-symlink",
                                              SYMLINK_MESSAGE))
            else:
                found.findings.append(_special(entry, shown(entry.path)))
    found.files.sort(key=lambda pair: pair[1])
    found.updates.sort(key=lambda pair: pair[1])
    return found


def _shown_from(root: Path) -> Callable[[str], str]:
    """The path from `root`, with `/` separators, of a path below it."""
    prefix = os.path.join(str(root), "")  # noqa: PTH118 - plain strings, not a Path per file

    def shown(path: str) -> str:
        if not path.startswith(prefix):
            return Path(path).relative_to(root).as_posix()
        below = path[len(prefix):]
        return below if os.sep == "/" else below.replace(os.sep, "/")
    return shown


def _special(entry: os.DirEntry[str], shown_path: str) -> Finding:
    """A FIFO, socket or device, or an entry gone or unreadable since the listing."""
    try:
        entry.stat(follow_symlinks=False)
    except OSError as error:
        return Finding(shown_path, 1, 1, "file-read", f"cannot read the file: {error.strerror}")
    return Finding(shown_path, 1, 1, "file-special", SPECIAL_MESSAGE)


def _stale(entry: os.DirEntry[str], now: float | None) -> bool:
    try:
        written = entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return False
    return written < (time.time() if now is None else now) - STALE_AFTER


def read_text(path: str | Path) -> str:
    with open(path, "rb") as handle:  # noqa: PTH123 - the walk gives plain strings
        return handle.read().decode("utf-8", errors="replace")


def read_file(path: str | Path, display_path: str, limits: Limits) -> bytes | Finding:
    """The bytes of a record file (one more than the limit at most, to tell it is over).

    Opened without following a link and without waiting, then checked to be a regular
    file before a byte is read: a file swapped for a link or a FIFO since the folder was
    listed is refused, not followed or waited on for ever."""
    try:
        return read_regular(path, limits.max_file_bytes + 1)
    except NotRegular:
        return Finding(display_path, 1, 1, "file-special", SPECIAL_MESSAGE)
    except OSError as error:
        if error.errno == getattr(os, "ELOOP", None) or os.path.islink(path):  # noqa: PTH114 - a string
            return Finding(display_path, 1, 1, "file-symlink", SYMLINK_MESSAGE)
        return Finding(display_path, 1, 1, "file-read", f"cannot read the file: {error.strerror}")


def parse_bytes(raw: bytes, display_path: str, limits: Limits) -> dict[str, Any] | Finding:
    """The plain data of one record's bytes (from a file or a git blob), its mapping keys
    interned (store/keys.py), or the reason they cannot be a record."""
    if len(raw) > limits.max_file_bytes:
        return Finding(display_path, 1, 1, "file-size",
                       f"file is larger than {limits.max_file_bytes:,} bytes: split it, or raise "
                       "limits.max_file_bytes in itsm.yaml")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return _not_utf8(raw, error.start, display_path)
    fast = fast_load(text)
    if fast is not None:
        return fast
    try:
        data = load(text, limits.max_aliases)
    except YamlProblem as problem:
        return Finding(display_path, problem.line, problem.column, problem.rule, problem.message)
    if data is None:
        return Finding(display_path, 1, 1, "file-empty",
                       "file holds no record: write one, or delete the file")
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else "a single value"
        return Finding(display_path, 1, 1, "record-shape",
                       f"a record is a mapping of fields (kind: ..., id: ...), but this file "
                       f"holds {found}")
    shared: dict[str, Any] = shared_keys(data)  # as the fast path's keys are
    return shared


def _not_utf8(raw: bytes, at: int, display_path: str) -> Finding:
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return Finding(display_path, 1, 1, "file-encoding",
                           f"the file is {encoding} (it starts with a {encoding} byte order "
                           "mark): save it as UTF-8")
    line_start = raw.rfind(b"\n", 0, at) + 1
    column = len(raw[line_start:at].decode("utf-8", "replace")) + 1  # in characters
    return Finding(display_path, raw.count(b"\n", 0, at) + 1, column, "file-encoding",
                   f"byte 0x{raw[at]:02x} is not UTF-8: save the file as UTF-8")


Parsed = dict[str, Any] | Finding


def _parse_keyed(path: str, display_path: str, limits: Limits, as_text: bool,
                 ) -> tuple[str | None, int, Parsed | str]:
    """A file's content key, size and what its bytes parse into, from one read;
    with `as_text`, data comes as the JSON text the cache keeps (a worker that makes it
    spares the main process the work, and sending text costs no more than the data)."""
    raw = read_file(path, display_path, limits)
    if isinstance(raw, Finding):
        return None, 0, raw
    parsed = parse_bytes(raw, display_path, limits)
    if as_text and isinstance(parsed, dict):
        return content_key(raw), len(raw), as_json(parsed) or parsed
    return content_key(raw), len(raw), parsed


def _parse_chunk(chunk: Sequence[tuple[str, str]], limits: Limits, as_text: bool,
                 ) -> list[tuple[str | None, int, Parsed | str]]:
    return [_parse_keyed(path, display_path, limits, as_text) for path, display_path in chunk]


def parse_files(files: list[tuple[str, str]], limits: Limits,
                cache: RecordCache | None = None, *, parallel_from: int = PARALLEL_FROM,
                chunk: int = CHUNK, known: Mapping[str, str] | None = None,
                ) -> Iterator[tuple[str, str, str, Parsed]]:
    """Parse every file, in processes when there are `parallel_from` or more to parse;
    results in the order given, each with the content key of the bytes it came from (""
    when they were unreadable).

    With a cache, a file whose bytes it holds is not parsed, and what is parsed is put
    in it (under the key of the bytes that were parsed, even if the file changes
    meanwhile); the caller saves it. `known` holds content keys by path from the root
    (store/stats.py): a file with one that the cache holds is not read at all."""
    cache = cache or RecordCache(None, (limits.max_file_bytes, limits.max_aliases))
    found: list[Parsed | None] = [None] * len(files)
    keys = [""] * len(files)
    if cache.has_entries():
        known = known or {}
        for index, (path, display_path) in enumerate(files):
            key = known.get(display_path)
            if key is not None and (hit := cache.get(key)) is not None:
                keys[index], found[index] = key, hit
                continue
            raw = read_file(path, display_path, limits)
            if isinstance(raw, Finding):
                found[index] = raw
            else:
                keys[index] = content_key(raw)
                found[index] = cache.get(keys[index])
    missing = [index for index, known in enumerate(found) if known is None]
    # Workers send the cache's JSON text; in this process, that would be work for nothing.
    as_text = cache.enabled and len(missing) >= parallel_from and can_fork()
    job = partial(_parse_chunk, limits=limits, as_text=as_text)
    # Yielded as the workers send them, so the caller's work on what is read overlaps
    # the parsing of what is not yet read.
    parsed = chain.from_iterable(map_chunks(job, [files[index] for index in missing],
                                            chunk=chunk, parallel_from=parallel_from))
    for (path, display_path), done, cached_key in zip(files, found, keys, strict=True):
        if done is not None:
            yield path, display_path, cached_key, done
            continue
        key, size, result = next(parsed)
        if isinstance(result, str):
            data: Parsed = json.loads(result)
            cache.put_json(key or "", result, size)
        else:
            data = result
            if key is not None and isinstance(result, dict):
                cache.put(key, result, size)
        yield path, display_path, key or "", data


def to_record(path: str, display_path: str, data: dict[str, Any]) -> Record | Finding:
    """A Record for the data of a file of a known kind; a Finding when the kind is missing
    or unknown."""
    return make_record(display_path, data, partial(read_text, path))


def record_from_bytes(raw: bytes, display_path: str, limits: Limits) -> Record | Finding:
    """A Record from bytes that are not a file of the work tree (a git blob, say), its
    source text kept with it for line numbers; a Finding when they cannot be one."""
    parsed = parse_bytes(raw, display_path, limits)
    if isinstance(parsed, Finding):
        return parsed
    return make_record(display_path, parsed, partial(bytes.decode, raw, "utf-8", "replace"))


def make_record(display_path: str, data: dict[str, Any], read_source: Callable[[], str],
                ) -> Record | Finding:
    """A Record for data of a known kind whose source text `read_source` gives back (for
    line numbers); a Finding when the kind is missing or unknown."""
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        known = ", ".join(sorted(KINDS))
        what = "has no 'kind'" if kind is None else f"has an unknown kind {kind!r}"
        close = []
        if isinstance(kind, str):
            close = difflib.get_close_matches(kind, list(KINDS), 1, 0.6)
        hint = f"did you mean {close[0]}? Kinds are {known}" if close else f"use one of {known}"
        located = Record("", "", display_path, data, read_source)
        line, column = located.locate(("kind",) if kind is not None else ())
        return Finding(display_path, line, column, "record-kind", f"the record {what}: {hint}")
    record_id = data.get("id")
    return Record(kind, record_id if isinstance(record_id, str) else "", display_path, data,
                  read_source)
