"""Update files (store/updates.py) in the audit: each one is a timeline entry of the record
beside its folder.

A commit that adds an update file wrote an entry (`backdated` judges its `at`); one that
changes or removes an update file an earlier commit wrote rewrote the timeline; and the
status a record is in, which `changed-after-closure` asks, is the one its update files
give it, read from the commit's tree and its first parent's.
"""

from __future__ import annotations

from typing import Any

from itsm_as_code.git.index import CommitInfo, FileChange
from itsm_as_code.history.versions import Reader, Source, Step, update_steps
from itsm_as_code.model.steps import UPDATES
from itsm_as_code.store.loader import SUFFIXES
from itsm_as_code.store.record import Record
from itsm_as_code.store.updates import Update, fold, folder_of, split

# A record's status before and after a commit (None: the record did not exist).
Statuses = tuple[Any, Any]


def update_changes(changes: tuple[FileChange, ...] | list[FileChange]) -> list[Step]:
    """A commit's changes to update files, each a step of the record it updates, without
    the files that only moved: the same bytes removed and added for one record, as when a
    record's updates folder moves with its file."""
    found = update_steps(changes)
    removed = {(step.record, step.old) for step in found if step.new is None}
    added = {(step.record, step.new) for step in found if step.old is None}
    moved = removed & added
    return [step for step in found
            if (step.old is not None and step.new is not None)
            or (step.record, step.old if step.new is None else step.new) not in moved]


class StatusReader:
    """The status of records at a commit and at its first parent, with their update files
    folded in."""

    def __init__(self, source: Source, reader: Reader, info: CommitInfo) -> None:
        self.source = source
        self.reader = reader
        self.before = info.parents[0] if info.parents else None
        self.after = info.oid

    def of_record(self, step: Step, old: dict[str, Any] | None, new: dict[str, Any] | None,
                  ) -> Statuses:
        """Before and after a commit that changed the record's own file."""
        return (self._status(self.before, step.old_path, old),
                self._status(self.after, step.new_path, new))

    def of_update(self, step: Step) -> Statuses:
        """Before and after a commit that changed one of the record's update files."""
        where = split(step.new_path or step.old_path or "")
        if where is None:
            return None, None
        return self._beside(self.before, where[0]), self._beside(self.after, where[0])

    def _beside(self, commit: str | None, folder: str) -> Any:
        """The status of the record whose updates folder is `folder`."""
        if commit is None:
            return None
        stem = folder[:-len(UPDATES)]
        for suffix in SUFFIXES:
            blob = self.source.blob_at(commit, stem + suffix)
            if blob is not None:
                data = self.reader.data(blob, self.source.shown(stem + suffix))
                return self._status(commit, stem + suffix,
                                    data if isinstance(data, dict) else None)
        return None

    def _status(self, commit: str | None, path: str | None, data: dict[str, Any] | None,
                ) -> Any:
        if commit is None or path is None or data is None:
            return None
        files = self.source.listing(commit, folder_of(path))
        if not files:
            return data.get("status")
        updates = []
        for name, blob in files:
            shown = self.source.shown(name)
            entry = self.reader.data(blob, shown)
            if isinstance(entry, dict):
                updates.append(Update(shown, "", entry, str))
        record = Record(str(data.get("kind", "")), "", self.source.shown(path), data, str)
        return fold(record, updates)[0].data.get("status")
