"""The records an ingest needs, read from the work tree or from a commit's tree.

Ingest reads far less than a whole repository: the kinds an incident refers to (to place
alerts and to check what it writes), the file names of all incidents (for fresh ids) and
the incidents that may still be open, each folded with its update files (store/updates.py)
as every command reads it. An incident whose top-level `status:` lines say it has ended
(resolved, closed or canceled: `INCIDENT.ended`) is skipped without parsing: with
duplicate keys refused, that line is the record's status, or an update's. The status of
an incident with update files is that of its last update (`model.steps.order`, read from
their top-level `at:` lines) that names one, else its record file's; when a line cannot
tell, the files are parsed. Of the rest, the model (`Snapshot.context`) says which are
open. Maintenance windows are read too, each with its update files: an alert on a service
inside one is recorded there (events/silence.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Protocol

from itsm_as_code.config import Config
from itsm_as_code.findings import Finding
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.lifecycle import INCIDENT
from itsm_as_code.model.steps import order
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.loader import Limits, find_files, parse_bytes, record_from_bytes
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.store.updates import Update, fold, folder_of, read_as_update, split

# The kinds an incident refers to: what placing an alert and checking an incident need.
REFERENCED = sorted({kind for ref in KINDS["Incident"].references for kind in ref.targets})
_ENDED = b"|".join(re.escape(status.encode()) for status in sorted(INCIDENT.ended))
_DONE_LINE = re.compile(
    rb"^status:[ \t]*([\"']?)(?:" + _ENDED + rb")\1[ \t]*(?:#.*)?\r?$", re.MULTILINE)
# An update file's status and time, as plain scalars on top-level lines.
_STATUS_LINE = re.compile(rb"^status:[ \t]*([\"']?)([a-z_]+)\1[ \t]*(?:#.*)?\r?$", re.MULTILINE)
_AT_LINE = re.compile(rb"^at:[ \t]*([\"']?)([0-9][0-9TtZz:.+ -]*?)\1[ \t]*(?:#.*)?\r?$",
                      re.MULTILINE)


class Files(Protocol):
    """Record files of one ITSM repository; paths are relative to its root, with `/`."""

    def paths(self, folder: str) -> list[str]:
        """Every YAML file under `folder`, update files (store/updates.py) included."""
        ...

    def read(self, path: str) -> bytes: ...


@dataclass(frozen=True)
class WorkTree:
    """The files as they are on disk."""

    root: Path

    def paths(self, folder: str) -> list[str]:
        start = self.root / folder
        if not start.is_dir():
            return []
        # Symbolic links are left out, as `itsm validate` refuses them.
        found = find_files(start, self.root)
        return sorted(shown for _, shown in [*found.files, *found.updates])

    def read(self, path: str) -> bytes:
        with (self.root / path).open("rb") as handle:
            return handle.read(1024 * 1024 * 64)


@dataclass
class Snapshot:
    """What an ingest starts from."""

    config: Config
    references: list[Record]
    open_incidents: list[Record]  # every incident not skipped as ended, folded
    incident_ids: set[str]
    findings: list[Finding] = field(default_factory=list)
    # Every maintenance window, folded: an alert inside one is recorded there instead.
    windows: list[Record] = field(default_factory=list)
    # For each incident of `open_incidents`, by path: its record file's own record and its
    # update files, which a new update is folded with to check what it makes.
    unfolded: dict[str, tuple[Record, list[Update]]] = field(default_factory=dict)

    def with_update(self, path: str, update: Update) -> Record:
        """The incident whose record file is at `path` as it reads with `update` added."""
        record, updates = self.unfolded[path]
        return fold(record, sorted([*updates, update], key=lambda u: u.path))[0]

    def context(self, now: datetime) -> RunContext:
        """A run over the references and the incidents that may be open: its model
        decides which of them are."""
        return RunContext(Repository(self.config, [*self.references, *self.open_incidents,
                                                   *self.windows]), now)


def load_snapshot(config: Config, files: Files) -> Snapshot:
    """Read the referenced kinds, every incident id and the open incidents from `files`."""
    limits = Limits(config.max_file_bytes, config.max_aliases)
    records = f"{config.records}/"
    snapshot = Snapshot(config, [], [], set())
    for kind in REFERENCED:
        for path in files.paths(records + KINDS[kind].folder):
            record = _load(files, path, limits, snapshot)
            if record is not None and record.kind == kind:
                snapshot.references.append(record)
    _load_windows(files, records, limits, snapshot)
    paths = files.paths(records + KINDS["Incident"].folder)
    updates = _updates_of(paths)
    for path in paths:
        if split(path) is not None:
            continue
        snapshot.incident_ids.add(PurePosixPath(path).stem)
        raw = files.read(path)
        own = [(each, files.read(each)) for each in sorted(updates.get(folder_of(path), []))]
        if ended(raw, own):
            continue
        record = _load(files, path, limits, snapshot, raw)
        if record is not None and record.kind == "Incident":
            _add(snapshot, record, [_update(each, data, limits) for each, data in own])
    return snapshot


def _updates_of(paths: list[str]) -> dict[str, list[str]]:
    """The update files among `paths`, by the updates folder they are in."""
    updates: dict[str, list[str]] = {}
    for path in paths:
        inside = split(path)
        # A file in a folder inside an updates folder is no update (validate says so).
        if inside is not None and "/" not in inside[1]:
            updates.setdefault(inside[0], []).append(path)
    return updates


def _load_windows(files: Files, records: str, limits: Limits, snapshot: Snapshot) -> None:
    """Every maintenance window with its update files (a handful of records: no
    skipping by status, a window ended long ago may still have recurred since)."""
    paths = files.paths(records + KINDS["Maintenance"].folder)
    updates = _updates_of(paths)
    for path in paths:
        if split(path) is not None:
            continue
        record = _load(files, path, limits, snapshot)
        if record is not None and record.kind == "Maintenance":
            own = sorted(updates.get(folder_of(path), []))
            _add(snapshot, record, [_update(each, files.read(each), limits) for each in own],
                 snapshot.windows)


def ended(raw: bytes, updates: list[tuple[str, bytes]]) -> bool:
    """Whether the incident of record file bytes `raw` and update files `updates` (path,
    bytes) has ended, by their top-level lines alone; False when a line cannot tell."""
    moves: list[tuple[tuple[datetime, str], bytes]] = []
    for path, data in updates:
        at = _AT_LINE.search(data)
        if at is None:
            return False
        status = _STATUS_LINE.search(data)
        if status is not None:
            moves.append((order(at.group(2).decode(), path.rpartition("/")[2]),
                          status.group(2)))
    if not moves:
        return _DONE_LINE.search(raw) is not None
    return max(moves)[1].decode() in INCIDENT.ended


def _update(path: str, raw: bytes, limits: Limits) -> Update:
    return read_as_update(path, "", parse_bytes(raw, path, limits),
                          partial(bytes.decode, raw, "utf-8", "replace"))


def _add(snapshot: Snapshot, record: Record, updates: list[Update],
         into: list[Record] | None = None) -> None:
    """The incident folded with its updates; an update file that does not load is said
    (as a warning, like a record file that does not load) and left out, as validate
    leaves it out."""
    good = []
    for update in updates:
        if isinstance(update.data, Finding):
            snapshot.findings.append(update.data)
        else:
            good.append(update)
    folded, findings = fold(record, good) if good else (record, [])
    snapshot.findings += findings
    (snapshot.open_incidents if into is None else into).append(folded)
    snapshot.unfolded[record.path] = (record, good)


def _load(files: Files, path: str, limits: Limits, snapshot: Snapshot,
          raw: bytes | None = None) -> Record | None:
    result = record_from_bytes(raw if raw is not None else files.read(path), path, limits)
    if isinstance(result, Finding):
        snapshot.findings.append(result)
        return None
    return result
