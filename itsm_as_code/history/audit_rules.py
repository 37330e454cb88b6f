"""The audit's rules: what a record's history should never show.

Each rule reads a version one commit wrote (an `Audited`: the `Version` and the
tolerance) and yields hits in it; the version places each finding at the file and line as
that commit wrote them, naming the record and the commit. history-rewritten reads a
commit a remote-tracking branch dropped (a `Rewrite`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from itsm_as_code.findings import Finding, Level
from itsm_as_code.git.index import CommitInfo
from itsm_as_code.git.rewrites import Dropped
from itsm_as_code.history.changes import compare, timeline_changes
from itsm_as_code.history.record_log import commit_time
from itsm_as_code.history.versions import Step
from itsm_as_code.model.lifecycle import INCIDENT_LINKS
from itsm_as_code.rule import FileStart, Hit, Place, Rule
from itsm_as_code.store.record import Key, Record
from itsm_as_code.timefmt import format_duration, timestamp_or_none

TIMESTAMPS = ("opened_at", "acknowledged_at", "resolved_at", "closed_at")


@dataclass(frozen=True)
class Version:
    """What one commit wrote for one record: the data before and after (None: absent).

    For one of the record's update files (`update`), the data is the timeline entry the
    file holds. `statuses` is the record's status before and after the commit with its
    update files folded in, where that was read (else the data's own `status`)."""

    commit: CommitInfo
    step: Step
    path: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    read_source: Callable[[], str]
    update: bool = False
    statuses: tuple[Any, Any] | None = None

    @property
    def entry(self) -> str:
        """An update file's name, by which people tell its entry apart."""
        return self.path.rpartition("/")[2]

    def finding(self, rule: str, message: str, at: Place = (), *, key: bool = False,
                level: Level = "error") -> Finding:
        """A finding at `at` in this version's file (line 1 for a deleted record), naming
        the commit."""
        kind = str((self.new or {}).get("kind", ""))
        record = Record(kind, self.step.record, self.path, self.new or {}, self.read_source)
        line, column = record.locate(at, key) if self.new is not None else (1, 1)
        return Finding(self.path, line, column, rule, f"{message} {_commit(self.commit)}",
                       self.step.record, level)


@dataclass(frozen=True)
class Audited:
    """A version to judge, and how late a timestamp may be written."""

    version: Version
    tolerance: timedelta


@dataclass(frozen=True)
class Rewrite:
    """A record a dropped commit changed: the commit, the branch, the record's file."""

    dropped: Dropped
    step: Step
    path: str


def _commit(info: CommitInfo) -> str:
    return f"[commit {info.oid[:7]} by {info.author} at {commit_time(info)}: {info.message}]"


def backdated(audited: Audited) -> Iterator[Hit]:
    version, tolerance = audited.version, audited.tolerance
    new, old = version.new or {}, version.old or {}
    committed = datetime.fromtimestamp(version.commit.committed, timezone.utc)
    if version.update:
        # An update file is written once: a new file is a new entry (a changed one is
        # timeline-rewritten's).
        written: list[tuple[tuple[Key, ...], Any]] = [
            (("at",), new.get("at"))] if version.old is None and version.new else []
    else:
        written = [((name,), new.get(name)) for name in TIMESTAMPS
                   if new.get(name) != old.get(name)]
    for change in timeline_changes(old.get("timeline"), new.get("timeline")):
        # Entries changed later are timeline-rewritten findings; only new ones count here.
        if change.what == "timeline-added" and isinstance(change.new, dict):
            index = int(str(change.field).lstrip("#")) - 1
            written.append((("timeline", index, "at"), change.new.get("at")))
    for place, value in written:
        moment = timestamp_or_none(value)
        if moment is not None and committed - moment > tolerance:
            late = format_duration(int((committed - moment).total_seconds()))
            name = ".".join(str(part) for part in place)
            allowed = format_duration(int(tolerance.total_seconds()))
            yield Hit(version, f"{name} {value} was written {late} after that time "
                      f"(tolerance {allowed})", place)


def changed_after_closure(audited: Audited) -> Iterator[Hit]:
    version = audited.version
    old = version.old
    before, after = version.statuses or (
        (old or {}).get("status"), (version.new or {}).get("status"))
    if before != "closed" or version.step.old == version.step.new:
        return
    if version.update:
        if after == "closed" and version.old != version.new:
            verb = "added" if old is None else "removed" if version.new is None else "changed"
            yield Hit(version, f"{verb} timeline entry {version.entry} of a closed record "
                      "without reopening it", ("at",) if version.new else ())
        return
    if old is None:
        return
    if version.new is None:
        yield Hit(version, f"closed record {version.step.record} was deleted; closed records "
                  "are kept")
        return
    if after != "closed":
        return  # reopened: the lifecycle rules of `itsm validate --base` judge that
    changes = compare(old, version.new)
    if old.get("kind") == "Incident":
        changes = [c for c in changes if c.field not in INCIDENT_LINKS]
    if not changes:
        return
    first = changes[0]
    place: Place = ("timeline",) if first.what.startswith("timeline") else (
        (first.field,) if first.field else ())
    touched = sorted({"timeline" if c.what.startswith("timeline") else str(c.field)
                      for c in changes})
    yield Hit(version, f"changed {', '.join(touched)} of a closed record without reopening "
              "it", place)


def timeline_rewritten(audited: Audited) -> Iterator[Hit]:
    version = audited.version
    if version.update:
        yield from _update_rewritten(version)
        return
    if version.old is None or version.new is None:
        return
    for change in timeline_changes(version.old.get("timeline"), version.new.get("timeline")):
        if change.what == "timeline-added":
            continue
        index = int(str(change.field).lstrip("#")) - 1
        verb = "changed" if change.what == "timeline-changed" else "removed"
        place: Place = ("timeline", index) if verb == "changed" else ("timeline",)
        yield Hit(version, f"timeline entry {change.field} (at {_written_at(change)}) was "
                  f"{verb}; timelines are append-only, add an entry instead", place)


def _update_rewritten(version: Version) -> Iterator[Hit]:
    """An update file an earlier commit wrote, changed or removed."""
    old, new = version.old, version.new
    if old is None or old == new:
        return
    verb = "removed" if new is None else "changed"
    place: Place = next(((key,) for key in new if new.get(key) != old.get(key)), ()) \
        if new is not None else ()
    yield Hit(version, f"timeline entry {version.entry} (at {old.get('at', '?')}) was "
              f"{verb}; timelines are append-only, add an entry instead", place)


def rewritten(rewrite: Rewrite) -> Iterator[Hit]:
    info, branch = rewrite.dropped.commit, rewrite.dropped.branch
    yield Hit(FileStart(rewrite.path, rewrite.step.record),
              f"commit {info.oid[:7]} ({info.author} at {commit_time(info)}: {info.message}) "
              f"changed {rewrite.step.record} and was on {branch}, which no longer holds it: "
              f"the published history was rewritten (force-push); see `git reflog {branch}`")


def _written_at(change: Any) -> str:
    """When the entry a change touched said it happened."""
    entry = change.old if isinstance(change.old, dict) else {}
    return str(entry.get("at", "?"))


# The audit's rules, in the order of the README's audit table.
BACKDATED = Rule[Audited](
    "backdated", "a commit wrote a timestamp (opened_at, acknowledged_at, resolved_at, "
    "closed_at, a timeline entry's at, an update file's at) earlier than the commit's own "
    "time by more than audit.backdate_tolerance (the first commit that wrote records, an "
    "import, is not judged)", "audit", backdated)
CHANGED_AFTER_CLOSURE = Rule[Audited](
    "changed-after-closure", "a commit on the audited branch (its first-parent line) "
    "changed or deleted a record that was closed (its update files included), without "
    "reopening it", "audit",
    changed_after_closure)
TIMELINE_REWRITTEN = Rule[Audited](
    "timeline-rewritten", "a commit changed or removed timeline entries (or update files) "
    "that an earlier commit had written (the timeline is append-only)", "audit", timeline_rewritten)
HISTORY_REWRITTEN = Rule[Rewrite](
    "history-rewritten", "a commit that a remote-tracking branch once held (per its reflog) "
    "is no longer on it: the published history was force-pushed", "audit", rewritten)
AUDIT_RULES: dict[str, Rule[Any]] = {
    rule.id: rule
    for rule in (BACKDATED, CHANGED_AFTER_CLOSURE, TIMELINE_REWRITTEN, HISTORY_REWRITTEN)
}
