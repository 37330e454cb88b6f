"""`itsm log ID`: the story of one record, newest first, from the commits that changed it.

A commit that adds, changes or removes one of the record's update files (`ID.updates/`)
changed its timeline, and is told so.

Merge commits: changes that a merge brings in from a merged branch are told at the
commits that made them (which are part of the history too); a merge is shown only where
its version of the record differs from every parent's, such as a conflict resolution,
and then relative to its first parent.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from itsm_as_code.errors import UsageError
from itsm_as_code.findings import Finding, Summary
from itsm_as_code.git.index import CommitInfo
from itsm_as_code.history.changes import Change, compare, timeline_changes
from itsm_as_code.history.versions import (
    Reader,
    Source,
    Step,
    record_id,
    steps,
    update_steps,
)
from itsm_as_code.model.steps import UPDATES
from itsm_as_code.reporters import Report, Reporter
from itsm_as_code.store.loader import SUFFIXES, Limits
from itsm_as_code.timefmt import format_timestamp


@dataclass(frozen=True)
class LogEntry:
    commit: str
    author: str
    time: str
    message: str
    merge: bool
    changes: list[Change] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"commit": self.commit, "short": self.commit[:7], "author": self.author,
                "time": self.time, "message": self.message, "merge": self.merge,
                "changes": [change.as_dict() for change in self.changes]}


@dataclass(frozen=True)
class RecordLog:
    """The commits that changed one record, newest first."""

    record: str
    entries: list[LogEntry]

    def report(self) -> Report:
        """The entries as JSON for machines, the count as the summary; people read the
        entries through `LogText`."""
        count = len(self.entries)
        text = f"{self.record}: {count} commit{'s' * (count != 1)}"
        return Report(Summary("itsm log", text, {"record": self.record, "commits": count}),
                      document=[entry.as_dict() for entry in self.entries])


class LogText(Reporter):
    """`itsm log`'s text: git log's layout, each commit with what it changed field by
    field, then the summary line."""

    name = "text"

    def __init__(self, log: RecordLog) -> None:
        self.log = log

    def render(self, report: Report) -> str:
        lines: list[str] = []
        for entry in self.log.entries:
            merge = " (merge)" if entry.merge else ""
            lines += [f"commit {entry.commit[:7]} ({entry.commit}){merge}",
                      f"Author: {entry.author}", f"Date:   {entry.time}", "",
                      f"    {entry.message}", ""]
            lines += [f"    {change.text()}" for change in entry.changes]
            lines.append("")
        lines.append(report.summary.text)
        return "\n".join(lines) + "\n"


def commit_time(info: CommitInfo) -> str:
    """The author time in RFC 3339, with the author's own offset."""
    zone = timezone(timedelta(minutes=info.offset))
    return format_timestamp(datetime.fromtimestamp(info.time, zone))


def record_log(source: Source, wanted: str, limits: Limits, ref: str = "HEAD",
               ) -> RecordLog:
    """The commits reachable in `source` that changed record `wanted`, newest first."""
    reader = Reader(source, limits)
    entries: list[LogEntry] = []
    names = tuple(f"/{wanted}{suffix}" for suffix in SUFFIXES)
    folder = f"/{wanted}{UPDATES}/"
    for info in source.commits:
        merge = len(info.parents) > 1
        mine = [c for c in info.changes if (c.path.endswith(names) or folder in c.path)
                and (c.own or not merge)]
        if not mine:
            continue
        told = [describe(source, reader, step) for step in steps(mine)
                if step.record == wanted]
        updates = [change for step in update_steps(mine) if step.record == wanted
                   for change in describe_update(source, reader, step)]
        if updates:
            # A commit that adds updates (and perhaps edits the record's file) is one
            # step of the story.
            told = [*told[:-1], [*(told[-1] if told else ()), *updates]]
        entries += [LogEntry(info.oid, info.author, commit_time(info), info.message, merge,
                             changes) for changes in told]
    if not entries:
        seen = {record_id(c.path) for info in source.commits for c in info.changes}
        raise UsageError(_unknown(wanted, ref, seen))
    return RecordLog(wanted, entries)


def describe(source: Source, reader: Reader, step: Step) -> list[Change]:
    """What `step` did to its record, field by field."""
    old_path = source.shown(step.old_path) if step.old_path else None
    new_path = source.shown(step.new_path) if step.new_path else None
    if step.new is None or new_path is None:
        return [Change("deleted", old=old_path)]
    new = reader.data(step.new, new_path)
    old = reader.data(step.old, old_path or new_path)
    found: list[Change] = []
    if step.old is None:
        found.append(Change("created", new=new_path))
    elif old_path != new_path:
        found.append(Change("moved", old=old_path, new=new_path))
    if isinstance(new, Finding):
        return [*found, Change("unreadable", new=f"line {new.line}: {new.message}")]
    if old is None:
        return found + _first(new or {})
    return found + compare(old if isinstance(old, dict) else {}, new or {})


def describe_update(source: Source, reader: Reader, step: Step) -> list[Change]:
    """What `step` did to an update file of its record, as a change of its timeline: the
    entry the file holds (the update files' names tell the entries apart)."""
    path = source.shown(step.new_path or step.old_path or "")
    name = path.rpartition("/")[2]
    new = reader.data(step.new, path)
    old = reader.data(step.old, path, keep=False)
    if isinstance(new, Finding):
        return [Change("unreadable", new=f"{name} line {new.line}: {new.message}")]
    if new is None:
        return [Change("timeline-removed", name, old if isinstance(old, dict) else None)]
    if old is None:
        return [Change("timeline-added", name, None, new)]
    return [Change("timeline-changed", name, old if isinstance(old, dict) else None, new)]


def _first(data: dict[str, Any]) -> list[Change]:
    found = [Change("status", "status", None, data["status"])] if data.get("status") else []
    return found + timeline_changes(None, data.get("timeline"))


def _unknown(wanted: str, ref: str, seen: set[str]) -> str:
    message = f"no record {wanted!r} in the history of {ref}"
    close = difflib.get_close_matches(wanted, sorted(seen), 1, 0.7)
    if close:
        return f"{message}: did you mean {close[0]}?"
    return (f"{message}: give the id of a committed record (its file name without .yaml); "
            "a record that is not committed yet has no history")
