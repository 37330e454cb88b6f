"""Writing one update of a record: a file of its own in the record's updates folder.

Each step of a record's lifecycle is a new file, never an edit of the record's file, so
two people (or a person and alert ingestion) who update one record on two branches
change different files, and both branches merge without a conflict, on GitHub too.
"""

from __future__ import annotations

import secrets
from pathlib import Path, PurePosixPath
from typing import Any

from itsm_as_code.authoring.writer import render, write_new
from itsm_as_code.model.steps import UPDATES, update_name
from itsm_as_code.timefmt import parse_timestamp


def updates_folder(record_path: str) -> str:
    """The updates folder of the record file at `record_path` (repository-relative)."""
    path = PurePosixPath(record_path)
    return str(path.with_name(path.stem + UPDATES))


def update_path(record_path: str, entry: dict[str, Any], token: str | None = None) -> str:
    """Where `entry` (a timeline entry with an RFC 3339 `at`) is written for that record."""
    at = parse_timestamp(str(entry["at"]))
    author = entry.get("author")
    name = update_name(at, author if isinstance(author, str) else None,
                       token or secrets.token_hex(3))
    return f"{updates_folder(record_path)}/{name}"


def update_text(record_id: str, entry: dict[str, Any]) -> str:
    """The text of an update file: the entry, under a line saying whose update it is."""
    return f"# An update to {record_id}: one timeline entry, read after the record's own.\n" \
        + render(entry)


def write_update(root: Path, record_path: str, record_id: str, entry: dict[str, Any],
                 token: str | None = None) -> str:
    """Write `entry` as a new update file of the record; returns its repository path.
    Never overwrites: the file is created atomically or not at all."""
    relative = update_path(record_path, entry, token)
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    write_new(target, update_text(record_id, entry))
    return relative
