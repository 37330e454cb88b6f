"""Records from bytes that are not files of the work tree (the blobs of a git revision):
read with the same protections, and folded with their update files, as the loader and
the repository read the work tree."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from itsm_as_code.findings import Finding
from itsm_as_code.store.cache import content_key
from itsm_as_code.store.loader import SYMLINK_MESSAGE, Limits, parse_bytes, record_from_bytes
from itsm_as_code.store.record import Record
from itsm_as_code.store.updates import Update, fold_all, nested, read_as_update, split

# A file as a tree holds it: its path from the repository root, and its bytes (None for a
# symbolic link, which records and updates may not be).
Blob = tuple[str, bytes | None]


def records_from_blobs(blobs: Sequence[Blob], limits: Limits,
                       progress: Callable[[int, int], None] | None = None,
                       ) -> tuple[list[Record], list[Finding]]:
    """The records among `blobs` with the update files among them folded in, and the
    findings about the files that are neither; `progress(done, total)` is told every few
    hundred files and once at the end."""
    records: list[Record] = []
    findings: list[Finding] = []
    updates: list[Update] = []
    record_files: list[str] = []
    folders: set[str] = set()
    for done, (path, raw) in enumerate(blobs, start=1):
        if progress is not None and (done % 500 == 0 or done == len(blobs)):
            progress(done, len(blobs))
        where = split(path)
        if where is not None and "/" in where[1]:
            folder = f"{where[0]}/{where[1].partition('/')[0]}"
            if folder not in folders:  # one finding per folder, as the work tree's walk
                folders.add(folder)
                findings.append(nested(folder))
            continue
        if where is None:
            record_files.append(path)
        if raw is None:
            findings.append(Finding(path, 1, 1, "file-symlink", SYMLINK_MESSAGE))
        elif where is not None:
            updates.append(read_as_update(path, content_key(raw), parse_bytes(raw, path, limits),
                                          partial(bytes.decode, raw, "utf-8", "replace")))
        else:
            result = record_from_bytes(raw, path, limits)
            if isinstance(result, Finding):
                findings.append(result)
            else:
                result.content_key = content_key(raw)
                records.append(result)
    folded, about_updates = fold_all(records, updates, record_files)
    return folded, findings + about_updates
