"""`itsm audit`: what the git history says about the records, for auditors and reviews.

Every commit reachable from the audited revision is read, oldest first, and each record
version it wrote is checked by the rules in `audit_rules`:

A record's update files (`ID.updates/`) are part of its timeline: a file added is an entry
written, a file changed or removed an entry rewritten (see `audit_updates`).

- backdated, timeline-rewritten: on the commit that wrote the version (for a merge, only
  versions that differ from every parent, so a change is judged once, where it was made);
- changed-after-closure: on the audited branch itself, its first-parent line, comparing
  each commit with its first parent (a merge that brings in an edit of a closed record
  is where that edit reached the branch);
- history-rewritten: from the reflogs of the protected remote-tracking branches (itsm.yaml
  `audit.protected_branches`, by default the remote's default branch).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import NamedTuple

from itsm_as_code.config import Config
from itsm_as_code.findings import Finding, Summary
from itsm_as_code.git.errors import ShallowHistory
from itsm_as_code.git.history import Progress, load_history
from itsm_as_code.git.index import CommitInfo
from itsm_as_code.git.rewrites import Dropped, dropped_commits
from itsm_as_code.history.audit_cache import AuditCache, open_cache
from itsm_as_code.history.audit_rules import (
    BACKDATED,
    CHANGED_AFTER_CLOSURE,
    HISTORY_REWRITTEN,
    TIMELINE_REWRITTEN,
    Audited,
    Rewrite,
    Version,
)
from itsm_as_code.history.audit_updates import StatusReader, update_changes
from itsm_as_code.history.versions import (
    Reader,
    Source,
    Step,
    is_update,
    record_id,
    steps,
)
from itsm_as_code.parallel import cores, map_chunks
from itsm_as_code.reporters import Report
from itsm_as_code.store.loader import Limits

# Commits to check from which several processes parse their versions, and the most
# commits one process is given at a time.
PARALLEL_FROM = 2000
CHUNK = 4000


@dataclass(frozen=True)
class AuditSummary:
    """How much history was audited and what it showed, for machines."""

    ref: str
    commits: int
    records: int
    findings: int


@dataclass(frozen=True)
class Audit:
    """What the history of a revision shows: findings, and how much history was read."""

    findings: list[Finding]
    commits: int
    records: int

    def report(self, ref: str) -> Report:
        what = f"{self.commits} commits and {self.records} records audited"
        text = f"{len(self.findings)} finding(s): {what}" if self.findings else f"ok: {what}"
        figures = AuditSummary(ref, self.commits, self.records, len(self.findings))
        return Report(Summary("itsm audit", text, asdict(figures)), self.findings)


def audit_repository(config: Config, ref: str = "HEAD", progress: Progress | None = None,
                     ) -> Audit:
    """Audit the history of `ref` in the git repository holding `config.root`."""
    history = load_history(config.root, config.records_dir, ref, "itsm audit", progress)
    if history.shallow:
        raise ShallowHistory("itsm audit")
    dropped = dropped_commits(history.repository, config.root, config.records_dir,
                              config.protected_branches)
    limits = Limits(config.max_file_bytes, config.max_aliases)
    cache = open_cache(history.cache_dir, config.backdate_tolerance, limits,
                       f"{history.root_prefix}{config.records}")
    return audit(history, dropped, limits, config.backdate_tolerance, cache)


def audit(source: Source, dropped: list[Dropped], limits: Limits, tolerance: timedelta,
          cache: AuditCache | None = None, parallel_from: int = PARALLEL_FROM,
          ) -> Audit:
    """Audit every commit of `source`, oldest first; commits that `cache` holds are not
    read again, and what is found is added to it. From `parallel_from` commits to read,
    they are read by several processes."""
    cache = cache or AuditCache(None, "")
    line = _first_parent_line(source.commits)
    # The first commit that wrote records imports what happened before the repository.
    imported = next((info.oid for info in reversed(source.commits) if info.changes), None)
    oldest_first = source.commits[::-1]
    work = [Work(index, info.oid in line, info.oid == imported)
            for index, info in enumerate(oldest_first)
            if info.oid not in cache.judged
            or (info.oid in line and info.oid not in cache.closure)]
    checked = _check_all(source, oldest_first, limits, tolerance, work, parallel_from)
    for done, (judged, closure) in zip(work, checked, strict=True):
        oid = oldest_first[done.position].oid
        cache.judged[oid] = judged
        if done.on_line:
            cache.closure[oid] = closure
        cache.changed = True
    findings: list[Finding] = []
    records: set[str] = set()
    for info in oldest_first:
        records.update(record_id(change.path) for change in info.changes)
        findings += cache.judged[info.oid]
        findings += cache.closure[info.oid] if info.oid in line else []
    cache.save()
    findings += [finding for d in dropped for step in steps(d.commit.changes)
                 for finding in HISTORY_REWRITTEN.run(Rewrite(
                     d, step, source.shown(step.new_path or step.old_path or "")))]
    return Audit(sorted(findings), len(source.commits), len(records))


class Work(NamedTuple):
    """A commit to check: its place in the list, oldest first, and how it is judged."""

    position: int  # in the list of commits, oldest first
    on_line: bool
    imported: bool


Checked = tuple[list[Finding], list[Finding]]


def _check_all(source: Source, commits: list[CommitInfo], limits: Limits,
               tolerance: timedelta, work: list[Work], parallel_from: int) -> list[Checked]:
    """The findings of each commit in `work`, in order. Parsing every version of a long
    history is the audit's cost, so it is shared among processes (forked: each inherits
    the history, which cannot be sent to another process), each given runs of
    consecutive commits (the old version of a record is then mostly the one it just
    parsed as new)."""
    def check_run(run: Sequence[Work]) -> list[Checked]:
        reader = Reader(source, limits)
        return [_check(source, reader, commits[done.position], tolerance, done.on_line,
                       done.imported) for done in run]

    # In this process, one run: one reader keeps what it parsed for the next commit.
    size = (max(1, min(CHUNK, -(-len(work) // cores()))) if len(work) >= parallel_from
            else max(1, len(work)))
    return [checked for done in map_chunks(check_run, work, chunk=size,
                                           parallel_from=parallel_from)
            for checked in done]


def _check(source: Source, reader: Reader, info: CommitInfo, tolerance: timedelta,
           on_line: bool, imported: bool) -> tuple[list[Finding], list[Finding]]:
    """The findings of one commit: those judged where a version was written, and (on the
    first-parent line) those of changed-after-closure."""
    merge = len(info.parents) > 1
    own = {step.record for step in steps([c for c in info.changes if c.own])}
    own_files = {c.path for c in info.changes if c.own}
    statuses = StatusReader(source, reader, info)
    judged: list[Finding] = []
    closure: list[Finding] = []
    changed = [(step, step.record in own) for step in steps(info.changes)]
    changed += [(step, (step.new_path or step.old_path) in own_files)
                for step in update_changes(info.changes)]
    for step, made_here in changed:
        mine = made_here or not merge
        if not mine and not on_line:
            continue
        version = _version(source, reader, info, step, statuses if on_line else None)
        if version is None:
            continue
        audited = Audited(version, tolerance)
        if mine:
            judged += [] if imported else BACKDATED.run(audited)
            judged += TIMELINE_REWRITTEN.run(audited)
        if on_line:
            closure += CHANGED_AFTER_CLOSURE.run(audited)
    return judged, closure


def _first_parent_line(commits: list[CommitInfo]) -> set[str]:
    by_oid = {info.oid: info for info in commits}
    line: set[str] = set()
    current = commits[0] if commits else None
    while current is not None and current.oid not in line:
        line.add(current.oid)
        current = by_oid.get(current.parents[0]) if current.parents else None
    return line


def _version(source: Source, reader: Reader, info: CommitInfo, step: Step,
             statuses: StatusReader | None) -> Version | None:
    """What `step` wrote; with `statuses`, the record's status before and after as its
    update files make it (changed-after-closure asks it)."""
    path = source.shown(step.new_path or step.old_path or "")
    new = reader.data(step.new, path)
    old_path = source.shown(step.old_path) if step.old_path else path
    old = reader.data(step.old, old_path, keep=False)
    if not isinstance(new, dict | None):
        return None  # an unreadable version: `itsm validate` says why
    was = old if isinstance(old, dict) else None
    update = is_update(step.new_path or step.old_path or "")
    found = None if statuses is None else (
        statuses.of_update(step) if update else statuses.of_record(step, was, new))
    blob = step.new
    return Version(info, step, path, was, new,
                   lambda: reader.text(blob) if blob is not None else "", update, found)
