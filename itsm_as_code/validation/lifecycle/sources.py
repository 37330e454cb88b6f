"""The two sides of a change as records: the base revision's changed records, and the
head commit's records folder when the change is a commit rather than the work tree. Both
are folded with their update files, as the work tree is."""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.config import Config
from itsm_as_code.git.trees import Revisions
from itsm_as_code.store.blobs import records_from_blobs
from itsm_as_code.store.loader import Limits
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Progress, Repository


def base_records(config: Config, revisions: Revisions) -> Iterator[Record]:
    """The base revision's records that the change modifies, moves, deletes or adds an
    update to, each with its update files at base folded in; a file that cannot be read
    there is left out (it was no record to compare with)."""
    limits = Limits(config.max_file_bytes, config.max_aliases)
    for path in revisions.changed():
        records, _ = records_from_blobs(
            [(path, revisions.read_base(path)), *revisions.base_updates(path)], limits)
        yield from records


def load_head(config: Config, revisions: Revisions, progress: Progress | None = None,
              ) -> Repository:
    """Every record of the head commit's records folder, read from its blobs."""
    limits = Limits(config.max_file_bytes, config.max_aliases)
    records, findings = records_from_blobs(list(revisions.head_files()), limits, progress)
    return Repository(config, records, findings)
