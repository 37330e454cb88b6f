"""Ids: equal to the file name, unique, and each kind in its own folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from itsm_as_code.findings import Finding
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository


def id_matches_file(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    for record in records:
        name = PurePosixPath(record.path)
        if name.stem != record.id:
            yield record.finding(
                "id-file",
                f"id '{record.id}' does not match the file name '{name.name}': rename the file "
                f"to '{record.id}{name.suffix}' or set id: {name.stem}",
                ("id",),
            )


def ids_unique(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    for record in records:
        others = [other.path for other in repo.by_id.get(record.id, ()) if other is not record]
        if others:
            yield record.finding(
                "id-unique",
                f"id '{record.id}' is also used by {', '.join(others)}: ids are unique across "
                "the repository, so give one of them a new id (`itsm new` picks a free one)",
                ("id",),
            )


def kind_in_folder(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    base = repo.config.records.strip("/")
    for record in records:
        folder = f"{base}/{KINDS[record.kind].folder}/"
        if not record.path.startswith(folder):
            yield record.finding(
                "kind-folder",
                f"{record.kind} records belong under {folder}: move the file there",
                ("kind",),
            )
