"""The findings of the last `itsm validate`, kept for a run in which nothing changed.

A validation depends on the program, itsm.yaml, what the walk of the records folder
found and the bytes of every record and update file, and on the run's now through one
rule (`time-future`). The run key is a hash of all of them but the now, the files by
their content keys (store/stats.py gives those of unchanged files without reading them):
the same key means the same findings, up to the now. Those hold for every now at which
no time of what happened crosses the line `now + TOLERANCE` (the window kept with them);
only the messages of `time-future` name the now, and are written again for it. Outside
the window, or with any other change, the run validates as usual and keeps its result.

The program is the package's and the schemas' files (by size and change time), the
Python version and the distributions installed beside it (their folder names carry their
versions): a changed rule, schema or dependency is another program. One file per
repository beside the record cache, signed with its key; off with it (`ITSM_NO_CACHE=1`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from itsm_as_code import __version__
from itsm_as_code.config import Config
from itsm_as_code.findings import Finding
from itsm_as_code.resources import schema_dir
from itsm_as_code.rule import Place
from itsm_as_code.signing import load_key
from itsm_as_code.store.cache import (
    is_signed,
    prune,
    read_signed,
    repository_file,
    write_signed,
)
from itsm_as_code.store.loader import Found
from itsm_as_code.store.record import Record
from itsm_as_code.validation.ahead import TOLERANCE

PREFIX = "results-"
SCHEMA = 1
FUTURE = "time-future"
Kept = tuple[list[Finding], int, int]  # the findings, records and files of a validation


class ResultCache:
    """The result of the last validation of one repository, read from and saved to one
    signed file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._key = load_key(path.parent) if path is not None else None

    @classmethod
    def for_root(cls, root: Path, environ: Mapping[str, str] | None = None) -> ResultCache:
        """The cache of the repository at `root`; one that keeps nothing when turned off."""
        return cls(repository_file(root, PREFIX, environ))

    @property
    def enabled(self) -> bool:
        return self._key is not None

    def get(self, run: str, now: datetime) -> Kept | None:
        """The findings, records and files of the run keyed `run` at `now`, if kept."""
        if self.path is None or self._key is None:
            return None
        body = read_signed(self.path, _header(), self._key)
        try:
            kept = json.loads(body) if body is not None else None
            if not isinstance(kept, dict) or kept.get("run") != run:
                return None
            return _at(kept, now)
        except (ValueError, TypeError, KeyError, OverflowError, RecursionError):
            return None  # only our own signed writes get here; a miss is always safe

    def put(self, run: str, kept: Kept, times: Iterable[tuple[Record, datetime, Place]],
            now: datetime) -> None:
        """Keep the result of the run keyed `run` at `now`; `times` are the times of what
        happened (future.times), each with its record and its place there."""
        if self.path is None or self._key is None:
            return
        findings, records, files = kept
        latest, earliest, until = now + TOLERANCE, None, None
        future = []
        for record, when, place in times:
            if when > latest:
                until = when if until is None else min(until, when)
                where = record.finding(FUTURE, "", place)
                future.append([where.path, where.line, where.column, list(place),
                               record.written(*place)])
            else:
                earliest = when if earliest is None else max(earliest, when)
        try:
            # The nows the findings hold for: from the one at which the latest time not
            # in the future would still not be, to the one at which the earliest would not.
            since = (earliest - TOLERANCE).isoformat() if earliest else None
            before = (until - TOLERANCE).isoformat() if until else None
        except OverflowError:
            return
        body = {"run": run, "records": records, "files": files, "since": since,
                "before": before,
                "findings": [[f.path, f.line, f.column, f.rule, f.message, f.record, f.level]
                             for f in findings],
                "future": future}
        try:
            text = json.dumps(body, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError):
            return  # a written time that is not plain data: not kept
        key = self._key
        if write_signed(self.path, _header(), text.encode("utf-8"), key):
            prune(self.path.parent, PREFIX, lambda path: is_signed(path, key))


def _at(kept: dict[str, Any], now: datetime) -> Kept | None:
    """The kept result as it reads at `now`, or None when a time crosses the line."""
    if kept["since"] is not None and now < datetime.fromisoformat(kept["since"]):
        return None
    if kept["before"] is not None and now >= datetime.fromisoformat(kept["before"]):
        return None
    future = {(path, line, column): (tuple(place), written)
              for path, line, column, place, written in kept["future"]}
    findings = []
    for path, line, column, rule, text, record, level in kept["findings"]:
        if rule == FUTURE:
            # Its message names the now: written again for this one.
            from itsm_as_code.validation.rules.future import message

            place, written = future[(path, line, column)]
            text = message(place, written, now)
        findings.append(Finding(path, line, column, rule, text, record, level))
    return findings, int(kept["records"]), int(kept["files"])


def run_key(config: Config, found: Found, keys: Mapping[str, str]) -> str | None:
    """The key of a validation of these files (None when the content key of one is not
    known: it could not be read)."""
    digest = hashlib.blake2b(repr(config).encode(), digest_size=20)
    for _, shown in (*found.files, *found.updates):
        key = keys.get(shown)
        if key is None:
            return None
        digest.update(f"\0{shown}\0{key}".encode("utf-8", "surrogatepass"))
    for finding in found.findings:
        digest.update(f"\1{finding!r}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _header() -> str:
    return json.dumps({"format": "itsm-results", "schema": SCHEMA, "program": program()})


@cache
def program() -> str:
    """A digest of what the findings depend on besides the records: this program's files,
    its schemas, Python and the distributions installed beside it, the time zone data."""
    digest = hashlib.blake2b(f"{__version__}\0{sys.version}".encode(), digest_size=20)
    for folder in (Path(__file__).resolve().parent.parent, schema_dir()):
        for base, folders, names in os.walk(folder):
            folders[:] = sorted(name for name in folders if name != "__pycache__")
            for name in sorted(names):
                try:
                    status = os.stat(os.path.join(base, name))  # noqa: PTH116, PTH118 - os.walk's strings
                except OSError:
                    continue
                digest.update(f"{base}/{name}\0{status.st_size}\0{status.st_mtime_ns}\n"
                              .encode("utf-8", "surrogatepass"))
    for site in sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}):
        try:
            names = sorted(os.listdir(site))  # noqa: PTH208 - names only
            digest.update("\0".join(names).encode("utf-8", "surrogatepass"))
        except OSError:
            continue
    for zones in ("/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo"):
        try:
            digest.update(str(os.stat(zones).st_mtime_ns).encode())  # noqa: PTH116 - a string
        except OSError:
            continue
    return digest.hexdigest()
