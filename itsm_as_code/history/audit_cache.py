"""What the audit found per commit, kept under the git dir so that a second audit of a
long history reads findings instead of parsing every version of every record again.

A commit's findings depend only on the commit, its parents, the tolerance and the read
limits, so they are keyed by commit oid in a file keyed by those settings. Findings of
`changed-after-closure` also depend on whether the commit is on the audited branch's
first-parent line; they are kept apart, for the commits they were computed for.

A cache that says "no findings" is as good as an audit that passed, so it is read as the
history index is (see `git/index.py`): only a regular file, bounded, and only when signed
with this user's key for these settings; anything else is judged again from git.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from itsm_as_code.findings import Finding
from itsm_as_code.git.index import read_sealed, write_sealed
from itsm_as_code.store.loader import Limits

VERSION = 3
FILE_NAME = f"audit-v{VERSION}.json"
# Earlier versions: version 1 was not signed, version 2 did not judge update files;
# removed when this one is written.
OLD_NAMES = ("audit-v1.json", "audit-v2.json")
MAGIC = b"itsm-audit"


@dataclass
class AuditCache:
    path: Path | None
    settings: str
    # commit oid -> findings of the rules judged where a version was written
    judged: dict[str, list[Finding]] = field(default_factory=dict)
    # commit oid -> changed-after-closure findings, for commits on a first-parent line
    closure: dict[str, list[Finding]] = field(default_factory=dict)
    changed: bool = False

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        document = {
            "judged": {oid: [f.as_dict() for f in found] for oid, found in self.judged.items()},
            "closure": {oid: [f.as_dict() for f in found]
                        for oid, found in self.closure.items()},
        }
        # dumps, not dump: only dumps uses the C encoder.
        body = json.dumps(document, separators=(",", ":")).encode("utf-8")
        write_sealed(self.path, _header(self.path, self.settings), body)
        for name in OLD_NAMES:
            with contextlib.suppress(OSError):
                (self.path.parent / name).unlink(missing_ok=True)


def open_cache(folder: Path | None, tolerance: timedelta, limits: Limits, records: str,
               ) -> AuditCache:
    """The cache for these settings and records folder in `folder`; empty when missing or
    unusable (or `folder` is None: no cache)."""
    settings = (f"{records}:{tolerance.total_seconds()}:{limits.max_file_bytes}:"
                f"{limits.max_aliases}")
    if folder is None:
        return AuditCache(None, settings)
    path = folder / FILE_NAME
    body = read_sealed(path, _header(path, settings))
    if body is None:
        return AuditCache(path, settings)
    try:
        document = json.loads(body)
        return AuditCache(path, settings, _findings(document["judged"]),
                          _findings(document["closure"]))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return AuditCache(path, settings)


def _header(path: Path, settings: str) -> bytes:
    """What the cache is for: this version, these settings, this git dir."""
    return b"%s %d %s" % (MAGIC, VERSION, json.dumps([settings, str(path.parent.absolute())],
                                                     ensure_ascii=True).encode("ascii"))


def _findings(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[Finding]]:
    found: dict[str, list[Finding]] = {}
    for oid, items in rows.items():
        found[oid] = [_finding(item) for item in items]
    return found


def _finding(item: dict[str, Any]) -> Finding:
    values = (item["path"], item["line"], item["column"], item["rule"], item["message"])
    if not all(isinstance(v, t) for v, t in zip(values, (str, int, int, str, str),
                                                strict=True)):
        raise TypeError("a finding's fields have their types")
    record = item.get("record")
    return Finding(*values, record=record if isinstance(record, str) else None)
