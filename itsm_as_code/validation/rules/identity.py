"""Ids: equal to the file name, unique, and each kind in its own folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from itsm_as_code.rule import Hit
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.validation.rules.base import Judged
from itsm_as_code.yamlerrors import shown


def id_matches_file(judged: Judged) -> Iterator[Hit]:
    for record in judged.records:
        # The common case, a file named after its id, without a path object per record.
        if record.path.rpartition("/")[2].rpartition(".")[0] == record.id and record.id:
            continue
        name = PurePosixPath(record.path)
        if name.stem != record.id:
            yield Hit(
                record,
                f"id '{shown(record.id)}' does not match the file name '{shown(name.name)}': "
                f"rename the file to '{shown(record.id)}{shown(name.suffix)}' or set id: "
                f"{shown(name.stem)}",
                ("id",),
            )


def ids_unique(judged: Judged) -> Iterator[Hit]:
    by_id = judged.repo.by_id
    for record in judged.records:
        others = [other.path for other in by_id.get(record.id, ()) if other is not record]
        if others:
            yield Hit(
                record,
                f"id '{shown(record.id)}' is also used by {shown(', '.join(others))}: ids are "
                "unique across the repository, so give one of them a new id (`itsm new` picks "
                "a free one)",
                ("id",),
            )


def kind_in_folder(judged: Judged) -> Iterator[Hit]:
    base = judged.repo.config.records.strip("/")
    for record in judged.records:
        folder = f"{base}/{KINDS[record.kind].folder}/"
        if not record.path.startswith(folder):
            yield Hit(record, f"{record.kind} records belong under {folder}: move the file there",
                      ("kind",))
