"""The records an ingest needs, read from the work tree or from a commit's tree.

Ingest reads far less than a whole repository: the kinds an incident refers to (to place
alerts and to check what it writes), the file names of all incidents (for fresh ids) and
the incidents that may still be open. A file whose top-level `status:` line says the
incident has ended (resolved, closed or canceled: `INCIDENT.ended`) is skipped without
parsing: with duplicate keys refused, that line is the record's status. Of the rest, the
model (`Snapshot.context`) says which are open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Protocol

from itsm_as_code.config import Config
from itsm_as_code.findings import Finding
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.lifecycle import INCIDENT
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.loader import Limits, find_files, record_from_bytes
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository

# The kinds an incident refers to: what placing an alert and checking an incident need.
REFERENCED = sorted({kind for ref in KINDS["Incident"].references for kind in ref.targets})
_ENDED = b"|".join(re.escape(status.encode()) for status in sorted(INCIDENT.ended))
_DONE_LINE = re.compile(
    rb"^status:[ \t]*([\"']?)(?:" + _ENDED + rb")\1[ \t]*(?:#.*)?\r?$", re.MULTILINE)


class Files(Protocol):
    """Record files of one ITSM repository; paths are relative to its root, with `/`."""

    def paths(self, folder: str) -> list[str]: ...

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
        return [shown for _, shown in find_files(start, self.root)[0]]

    def read(self, path: str) -> bytes:
        with (self.root / path).open("rb") as handle:
            return handle.read(1024 * 1024 * 64)


@dataclass
class Snapshot:
    """What an ingest starts from."""

    config: Config
    references: list[Record]
    open_incidents: list[Record]  # every incident not skipped as ended by its status line
    incident_ids: set[str]
    findings: list[Finding] = field(default_factory=list)

    def context(self, now: datetime) -> RunContext:
        """A run over the references and the incidents that may be open: its model
        decides which of them are."""
        return RunContext(Repository(self.config, [*self.references, *self.open_incidents]),
                          now)


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
    for path in files.paths(records + KINDS["Incident"].folder):
        snapshot.incident_ids.add(PurePosixPath(path).stem)
        raw = files.read(path)
        if _DONE_LINE.search(raw):
            continue
        record = _load(files, path, limits, snapshot, raw)
        if record is not None and record.kind == "Incident":
            snapshot.open_incidents.append(record)
    return snapshot


def _load(files: Files, path: str, limits: Limits, snapshot: Snapshot,
          raw: bytes | None = None) -> Record | None:
    result = record_from_bytes(raw if raw is not None else files.read(path), path, limits)
    if isinstance(result, Finding):
        snapshot.findings.append(result)
        return None
    return result
