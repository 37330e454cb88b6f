"""The files an ingest writes: a record file per incident it opened, one update file per
incident or maintenance window it changed (a record file that exists is never rewritten);
each also as the record it makes, folded as every command will fold it, for the check
before anything is written (events/trial.py)."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from itsm_as_code.authoring.updates import update_path, update_text
from itsm_as_code.authoring.writer import render
from itsm_as_code.events.correlate import OpenIncident
from itsm_as_code.events.silence import Window
from itsm_as_code.events.snapshot import Snapshot
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Record
from itsm_as_code.store.updates import Update

SCHEMA = f"schemas/{KINDS['Incident'].schema}"


@dataclass
class Written:
    """The text of every new file by path, the changed records as these files make them,
    and the maintenance windows changed, in order."""

    files: dict[str, str] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    windows: list[str] = field(default_factory=list)


def written(snapshot: Snapshot, incidents: Iterable[OpenIncident],
            windows: Iterable[Window]) -> Written:
    """The files of the changed incidents, then of the changed maintenance windows."""
    out = Written()
    for incident in incidents:
        if not incident.changed:
            continue
        step = incident.written_step()
        if step is None:
            path, text = incident.path, render(incident.data, posixpath.relpath(
                SCHEMA, posixpath.dirname(incident.path)))
            out.records.append(Record("Incident", incident.id, path, incident.data,
                                      partial(str, text)))
        else:
            path = update_path(incident.path, step)
            text = update_text(incident.id, step)
            out.records.append(_trial(snapshot, incident.path, path, text, step))
        out.files[path] = text
    for window in windows:
        step = window.written_step()
        assert step is not None
        path, text = update_path(window.path, step), update_text(window.id, step)
        out.records.append(_trial(snapshot, window.path, path, text, step))
        out.files[path] = text
        out.windows.append(window.id)
    return out


def _trial(snapshot: Snapshot, record_path: str, path: str, text: str,
           step: dict[str, Any]) -> Record:
    """The record as it reads once the update file at `path` is written: folded as every
    command will fold it, so a finding names the file and line it is about."""
    return snapshot.with_update(record_path, Update(path, "", step, partial(str, text)))
