"""The two sides of a change as records: the base revision's changed files, and the head
commit's records folder when the change is a commit rather than the work tree."""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.config import Config
from itsm_as_code.findings import Finding
from itsm_as_code.git.trees import Revisions
from itsm_as_code.store.loader import SYMLINK_MESSAGE, Limits, record_from_bytes
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Progress, Repository


def base_files(revisions: Revisions) -> Iterator[tuple[str, bytes]]:
    """The base revision's record files that the change modifies, moves or deletes."""
    for path in revisions.changed():
        yield path, revisions.read_base(path)


def load_head(config: Config, revisions: Revisions, progress: Progress | None = None,
              ) -> Repository:
    """Every record of the head commit's records folder, read from its blobs."""
    limits = Limits(config.max_file_bytes, config.max_aliases)
    records: list[Record] = []
    findings: list[Finding] = []
    entries = list(revisions.head_files())
    for done, (path, raw) in enumerate(entries, start=1):
        if progress is not None and (done % 500 == 0 or done == len(entries)):
            progress(done, len(entries))
        if raw is None:
            findings.append(Finding(path, 1, 1, "file-symlink", SYMLINK_MESSAGE))
            continue
        result = record_from_bytes(raw, path, limits)
        if isinstance(result, Finding):
            findings.append(result)
        else:
            records.append(result)
    return Repository(config, records, findings)

