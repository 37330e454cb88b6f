"""Update files: each step of a record with a timeline is a file of its own, folded into
the record when it is read.

    records/incidents/INC-0042.yaml
    records/incidents/INC-0042.updates/20261206T034000Z-alice-3fa9c2.yaml

Each update file holds one timeline entry. The record every capability sees is the
record file's own timeline, then its update files in `model.steps.order` (time, then file
name), each applied by `model.steps.apply`: two branches that each add an update add two
files, which git merges without a conflict. What came from an update file is placed in
that file (`Record.where`, `Record.locate`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from itsm_as_code.findings import Finding
from itsm_as_code.model.lifecycle import TIMELINE_KINDS
from itsm_as_code.model.steps import UPDATES, apply, order
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Part, Record

# What can stop an update file from being folded into its record (with the loader's
# FILE_RULES, which the files of an updates folder get as record files do).
UPDATE_RULES = {
    "update-orphan": "an updates folder (`ID.updates/`) with no record file `ID.yaml` beside it",
    "update-kind": "an updates folder beside a record of a kind without a timeline",
    "update-nested": "a folder inside an updates folder",
    "update-shape": "an update file that holds a list or a single value, not one timeline "
                    "entry",
}


@dataclass(frozen=True)
class Update:
    """One file of an updates folder as read: its path from the repository root, the
    content key of its bytes ("" when unknown), what they parse into, and its text."""

    path: str
    key: str
    data: dict[str, Any] | Finding
    read_source: Callable[[], str]


def is_updates_folder(name: str) -> bool:
    """Whether a folder of this name holds the updates of the record beside it."""
    return name.endswith(UPDATES) and len(name) > len(UPDATES)


def folder_of(record_path: str) -> str:
    """The updates folder of the record file at `record_path`."""
    stem = record_path.rpartition(".")[0] if "." in record_path.rpartition("/")[2] \
        else record_path
    return stem + UPDATES


def split(path: str) -> tuple[str, str] | None:
    """For a path inside an updates folder: that folder and the path inside it (with a
    `/` when the file is in a nested folder); None for any other path."""
    parts = path.split("/")
    for depth, name in enumerate(parts[:-1]):
        if is_updates_folder(name):
            return "/".join(parts[:depth + 1]), "/".join(parts[depth + 1:])
    return None


def nested(path: str) -> Finding:
    """The finding for a folder (or a file in one) inside an updates folder."""
    return Finding(path, 1, 1, "update-nested",
                   "an updates folder holds update files only, not folders: move the files "
                   "up into the updates folder, or delete the folder")


def read_as_update(path: str, key: str, parsed: dict[str, Any] | Finding,
                   read_source: Callable[[], str]) -> Update:
    """An update file as read, the loader's findings worded for an update."""
    if isinstance(parsed, Finding) and parsed.rule in ("record-shape", "file-empty"):
        parsed = Finding(path, parsed.line, parsed.column, "update-shape" if parsed.rule
                         == "record-shape" else parsed.rule,
                         "an update file holds one timeline entry, a mapping (at: ..., "
                         "message: ...), but this one holds " + ("nothing" if parsed.rule
                         == "file-empty" else parsed.message.rpartition("holds ")[2])
                         + ": write the entry, or delete the file")
    return Update(path, key, parsed, read_source)


def fold_all(records: list[Record], updates: Iterable[Update],
             record_files: Iterable[str]) -> tuple[list[Record], list[Finding]]:
    """`records` with their update files folded in, and the findings about the updates.

    `record_files` are the paths of every record file that was found, readable or not:
    an updates folder beside a record file that failed to load is left to that file's
    own finding."""
    groups: dict[str, list[Update]] = {}
    findings: list[Finding] = []
    for update in updates:
        where = split(update.path)
        if isinstance(update.data, Finding):
            findings.append(update.data)
        elif where is not None:
            groups.setdefault(where[0], []).append(update)
    if not groups:
        return records, findings
    folded: list[Record] = []
    for record in records:
        group = groups.pop(folder_of(record.path), None)
        if group is None:
            folded.append(record)
        else:
            done, found = fold(record, sorted(group, key=lambda update: update.path))
            folded.append(done)
            findings += found
    beside = {folder_of(path) for path in record_files}
    for folder, group in sorted(groups.items()):
        if folder not in beside:
            findings.append(_orphan(folder, min(update.path for update in group)))
    return folded, findings


def fold(record: Record, group: list[Update]) -> tuple[Record, list[Finding]]:
    """The record with the entries of its update files (`group`, in file name order)
    appended in `order`, and a finding when its kind takes no updates. Files that hold
    no mapping are left out (`fold_all` reports them)."""
    if record.kind not in TIMELINE_KINDS:
        noun = KINDS[record.kind].noun
        name = record.path.rpartition("/")[2]
        folder = folder_of(name)
        return record, [Finding(
            group[0].path, 1, 1, "update-kind",
            f"{folder}/ holds updates, but a {noun} has no timeline: its steps are edits of "
            f"its own file, {name}; make the change there and delete {folder}/",
            record.id or None)]
    inline = record.data.get("timeline")
    if not isinstance(inline, list | None):
        return record, []  # a timeline that is not a list: its schema finding says so
    entries = sorted((update for update in group if isinstance(update.data, dict)),
                     key=lambda u: order(_data(u).get("at"), u.path.rpartition("/")[2]))
    if not entries:
        return record, []
    data = {key: value for key, value in record.data.items() if key != "timeline"}
    parts: list[Part] = []
    start = len(inline or ())
    for number, update in enumerate(entries):
        after = apply(record.kind, {**data, "timeline": []}, [_data(update)])
        del after["timeline"]
        sets = frozenset(key for key in after.keys() | data.keys()
                         if key not in data or key not in after or after[key] != data[key])
        parts.append(Part(update.path, start + number, update.read_source, sets))
        data = after
    data["timeline"] = [*(inline or ()), *(_data(update) for update in entries)]
    # The record's own fields come first, as its file writes them.
    ordered = {key: data[key] for key in record.data if key in data}
    ordered.update(data)
    keys = [record.content_key, *(f"{u.path}\0{u.key}" for u in entries)]
    key = "" if not all(u.key for u in entries) or not record.content_key else \
        hashlib.blake2b("\n".join(keys).encode("utf-8", "surrogatepass"),
                        digest_size=20).hexdigest()
    return Record(record.kind, record.id, record.path, ordered, record.read_source,
                  key, tuple(parts), own=record.data), []


def _data(update: Update) -> dict[str, Any]:
    assert isinstance(update.data, dict)
    return update.data


def _orphan(folder: str, first: str) -> Finding:
    name = folder.rpartition("/")[2]
    stem = name[:-len(UPDATES)]
    return Finding(first, 1, 1, "update-orphan",
                   f"{name}/ holds updates but there is no record {stem} beside it: move the "
                   f"folder next to {stem}.yaml, or name it after the record it updates "
                   "(its file name without .yaml, then .updates)")
