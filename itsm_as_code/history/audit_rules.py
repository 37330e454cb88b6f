"""The audit's rules: what a record's history should never show.

Each rule reads the versions one commit wrote (a `Version`) and yields findings that
name the record, the file and line as that commit wrote them, and the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from itsm_as_code.findings import Finding
from itsm_as_code.git.index import CommitInfo
from itsm_as_code.history.changes import compare, timeline_changes
from itsm_as_code.history.record_log import commit_time
from itsm_as_code.history.versions import Step
from itsm_as_code.store.record import Key, Record
from itsm_as_code.timefmt import format_duration, timestamp_or_none

# Rule name -> what it finds (documented in the README's audit table).
AUDIT_RULES = {
    "backdated": "a commit wrote a timestamp (opened_at, acknowledged_at, resolved_at, "
                 "closed_at, a timeline entry's at) earlier than the commit's own time by "
                 "more than audit.backdate_tolerance (the first commit that wrote records, "
                 "an import, is not judged)",
    "changed-after-closure": "a commit on the audited branch (its first-parent line) changed "
                             "or deleted a record that was closed, without reopening it",
    "timeline-rewritten": "a commit changed or removed timeline entries that an earlier "
                          "commit had written (the timeline is append-only)",
    "history-rewritten": "a commit that a remote-tracking branch once held (per its reflog) "
                         "is no longer on it: the published history was force-pushed",
}
TIMESTAMPS = ("opened_at", "acknowledged_at", "resolved_at", "closed_at")


@dataclass(frozen=True)
class Version:
    """What one commit wrote for one record: the data before and after (None: absent)."""

    commit: CommitInfo
    step: Step
    path: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    read_source: Callable[[], str]

    def finding(self, rule: str, message: str, at: tuple[Key, ...] = ()) -> Finding:
        """A finding at `at` in this version's file, naming the commit."""
        kind = str((self.new or {}).get("kind", ""))
        record = Record(kind, self.step.record, self.path, self.new or {}, self.read_source)
        line, column = record.locate(at) if self.new is not None else (1, 1)
        return Finding(self.path, line, column, rule, f"{message} {_commit(self.commit)}",
                       self.step.record)


def _commit(info: CommitInfo) -> str:
    return f"[commit {info.oid[:7]} by {info.author} at {commit_time(info)}: {info.message}]"


def backdated(version: Version, tolerance: timedelta) -> Iterator[Finding]:
    new, old = version.new or {}, version.old or {}
    committed = datetime.fromtimestamp(version.commit.committed, timezone.utc)
    written: list[tuple[tuple[Key, ...], Any]] = [
        ((name,), new.get(name)) for name in TIMESTAMPS if new.get(name) != old.get(name)]
    for change in timeline_changes(old.get("timeline"), new.get("timeline")):
        # Entries changed later are timeline-rewritten findings; only new ones count here.
        if change.what == "timeline-added" and isinstance(change.new, dict):
            index = int(str(change.field).lstrip("#")) - 1
            written.append((("timeline", index, "at"), change.new.get("at")))
    for at, value in written:
        moment = timestamp_or_none(value)
        if moment is not None and committed - moment > tolerance:
            late = format_duration(int((committed - moment).total_seconds()))
            name = ".".join(str(part) for part in at)
            allowed = format_duration(int(tolerance.total_seconds()))
            yield version.finding("backdated", f"{name} {value} was written {late} after that "
                                  f"time (tolerance {allowed})", at)


def changed_after_closure(version: Version) -> Iterator[Finding]:
    old = version.old
    if old is None or old.get("status") != "closed" or version.step.old == version.step.new:
        return
    if version.new is None:
        yield Finding(version.path, 1, 1, "changed-after-closure",
                      f"closed record {version.step.record} was deleted; closed records are "
                      f"kept {_commit(version.commit)}", version.step.record)
        return
    if version.new.get("status") != "closed":
        return  # reopened: the lifecycle rules of `itsm validate --base` judge that
    changes = compare(old, version.new)
    if not changes:
        return
    first = changes[0]
    at: tuple[Key, ...] = ("timeline",) if first.what.startswith("timeline") else (
        (first.field,) if first.field else ())
    touched = sorted({"timeline" if c.what.startswith("timeline") else str(c.field)
                      for c in changes})
    yield version.finding("changed-after-closure", f"changed {', '.join(touched)} of a "
                          "closed record without reopening it", at)


def timeline_rewritten(version: Version) -> Iterator[Finding]:
    if version.old is None or version.new is None:
        return
    for change in timeline_changes(version.old.get("timeline"), version.new.get("timeline")):
        if change.what == "timeline-added":
            continue
        index = int(str(change.field).lstrip("#")) - 1
        verb = "changed" if change.what == "timeline-changed" else "removed"
        at: tuple[Key, ...] = ("timeline", index) if verb == "changed" else ("timeline",)
        yield version.finding("timeline-rewritten",
                              f"timeline entry {change.field} (at {_at(change)}) was {verb}; "
                              "timelines are append-only, add an entry instead", at)


def _at(change: Any) -> str:
    entry = change.old if isinstance(change.old, dict) else {}
    return str(entry.get("at", "?"))
