"""Comparing the records a change touches with the same records at the base revision.

Records are matched by id, not by path: a file may move between folders. Only the base
files that differ in the change are read and compared, so the cost follows the size of
the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from itsm_as_code.findings import Finding
from itsm_as_code.model.lifecycle import LIFECYCLES
from itsm_as_code.rule import Rule, registry
from itsm_as_code.store.loader import Limits, record_from_bytes
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.lifecycle import rules
from itsm_as_code.validation.lifecycle.rules import Compared, Deleted

DELETE = Rule[Deleted]("history-delete", "a record is never deleted or given another id",
                       "history", rules.deleted)
IMMUTABLE = Rule[Compared]("history-immutable", "kind and opened_at never change", "history",
                           rules.immutable)
COMPARISONS: dict[str, Rule[Compared]] = registry(
    IMMUTABLE,
    Rule("history-timeline", "timeline entries are never changed or removed", "history",
         rules.timeline),
    Rule("lifecycle-transition", "the status moves along its kind's table", "history",
         rules.transition),
    Rule("history-closed", "a closed or canceled incident is frozen", "history",
         rules.closed),
    Rule("history-reopen", "reopen_count counts the reopenings", "history", rules.reopen_count),
)
HISTORY_RULES: dict[str, Rule[Any]] = {DELETE.id: DELETE, **COMPARISONS}


def check_change(change: Repository, base_files: Iterable[tuple[str, bytes] | Record],
                 ref: str) -> list[Finding]:
    """Findings for what the change does to records of the lifecycle kinds at `ref`.

    `base_files` are the base revision's records (read already, with their update files
    folded in) or files (path from the repository root, bytes) that differ in the change
    or are gone from it.
    """
    limits = Limits(change.config.max_file_bytes, change.config.max_aliases)
    findings: list[Finding] = []
    by_path: dict[str, Record] = {}
    for item in base_files:
        before = _base_record(item, limits)
        if before is None or before.id in change.unreadable:
            continue  # not a record at base, or its file now fails with its own finding
        after = _counterpart(change, before)
        if after is None:
            by_path = by_path or {record.path: record for record in change.records}
            findings.extend(DELETE.run(Deleted(before, by_path.get(before.path), ref)))
        elif after.kind != before.kind:
            findings.extend(IMMUTABLE.run(Compared(before, after, ref)))
        else:
            compared = Compared(before, after, ref)
            for rule in COMPARISONS.values():
                findings.extend(rule.run(compared))
    return findings


def _base_record(item: tuple[str, bytes] | Record, limits: Limits) -> Record | None:
    record = item if isinstance(item, Record) else record_from_bytes(item[1], item[0], limits)
    if isinstance(record, Finding) or record.kind not in LIFECYCLES or not record.id:
        return None
    return record


def _counterpart(change: Repository, before: Record) -> Record | None:
    found = change.by_id.get(before.id, [])
    for record in found:
        if record.path == before.path:
            return record
    return found[0] if found else None
