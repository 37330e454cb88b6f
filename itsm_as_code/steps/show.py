"""`itsm show ID`: one record as every command reads it, its update files folded in, with
where each timeline entry came from (the record file, or which update file) and which
fields the updates set (status, resolved_at, assignee, ...): the one story a responder
reads, which otherwise is spread over a file and a folder of updates.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from itsm_as_code.authoring.writer import RecordDumper
from itsm_as_code.config import find_root, load_config
from itsm_as_code.errors import UsageError
from itsm_as_code.findings import Summary
from itsm_as_code.reporters import Report, Reporter
from itsm_as_code.steps.entry import people_time
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Progress, load_repository
from itsm_as_code.timefmt import timestamp_or_none
from itsm_as_code.yamlerrors import shown


@dataclass(frozen=True)
class Shown:
    """A record as read (`record`, folded), and the zone its times are shown in."""

    record: Record
    zone: ZoneInfo

    def sources(self) -> list[str]:
        """The file each timeline entry came from, in timeline order."""
        timeline = self.record.get("timeline")
        entries = len(timeline) if isinstance(timeline, list) else 0
        found = [self.record.path] * entries
        for part in self.record.parts:
            if part.index < entries:
                found[part.index] = part.path
        return found

    def set_by(self) -> dict[str, tuple[str, int]]:
        """Each field an update file set: the last such file, and its entry's index."""
        found: dict[str, tuple[str, int]] = {}
        for part in self.record.parts:
            found.update((name, (part.path, part.index)) for name in sorted(part.sets)
                         if name in self.record.data)
        return found

    def report(self) -> Report:
        record = self.record
        updates = len(record.parts)
        text = (f"{record.id}: {record.path}"
                + (f" and {updates} update file{'s' * (updates != 1)}" if updates else ""))
        document = {
            "id": record.id, "kind": record.kind, "path": record.path,
            "updates": [part.path for part in record.parts],
            "record": record.data,
            "timeline": [{"index": index, "from": path}
                         for index, path in enumerate(self.sources())],
            "set_by": {name: {"from": path, "timeline": index}
                       for name, (path, index) in self.set_by().items()},
        }
        return Report(Summary("itsm show", text, {"record": record.id, "updates": updates}),
                      document=document)


class ShownText(Reporter):
    """The record as YAML, each field an update set and each timeline entry preceded by a
    comment naming the file it came from (and the entry's time as people read it)."""

    name = "text"

    def __init__(self, shown_record: Shown) -> None:
        self.shown = shown_record

    def render(self, report: Report) -> str:
        record, zone = self.shown.record, self.shown.zone
        lines = [f"# {shown(report.summary.text)}", f"# {_reading(record)}"]
        set_by = self.shown.set_by()
        for name, value in record.data.items():
            if name in set_by:
                path, index = set_by[name]
                lines.append(f"# set by {_file(path)} (timeline[{index}])")
            if name == "timeline" and isinstance(value, list) and value:
                lines.append("timeline:")
                for index, (entry, path) in enumerate(zip(value, self.shown.sources(),
                                                          strict=True)):
                    lines.append(f"# [{index}] {_when(entry, zone)}{_origin(record, path)}")
                    lines.append(_dump([entry]))
            else:
                lines.append(_dump({name: value}))
        return "\n".join(lines) + "\n"


def show_record(start: Path, record_id: str, progress: Progress | None = None) -> Shown:
    """The record `record_id` of the repository at or above `start`, as read."""
    config = load_config(find_root(start))
    repo = load_repository(config, progress)
    record = repo.get(record_id)
    if record is None:
        close = difflib.get_close_matches(record_id, list(repo.by_id), n=1, cutoff=0.6)
        hint = (f": did you mean {close[0]}?" if close
                else ": give a record's id, its file name without .yaml")
        raise UsageError(f"no record with id '{shown(record_id)}'{hint}")
    return Shown(record, ZoneInfo(config.timezone))


def _reading(record: Record) -> str:
    noun = KINDS[record.kind].noun if record.kind in KINDS else "record"
    if not record.parts:
        return f"the {noun} as its file writes it"
    return f"the {noun} as every command reads it: its file, then its update files"


def _origin(record: Record, path: str) -> str:
    return "in the record file" if path == record.path else f"from {_file(path)}"


def _file(path: str) -> str:
    """An update file by its folder and name."""
    return shown("/".join(path.rsplit("/", 2)[-2:]))


def _when(entry: Any, zone: ZoneInfo) -> str:
    moment = timestamp_or_none(entry.get("at")) if isinstance(entry, dict) else None
    return f"{people_time(moment, zone)}, " if moment is not None else ""


def _dump(value: Any) -> str:
    """YAML as `itsm new` writes it (timestamps unquoted, text on several lines as a
    block)."""
    return str(yaml.dump(value, Dumper=RecordDumper, default_flow_style=False)).rstrip("\n")
