"""Comparing the records a change touches with the same records at the base revision.

Records are matched by id, not by path: a file may move between folders. Only the base
files that differ in the change are read and compared, so the cost follows the size of
the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from itsm_as_code.findings import Finding
from itsm_as_code.store.loader import Limits, record_from_bytes
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.lifecycle import rules
from itsm_as_code.validation.lifecycle.transitions import TRANSITIONS

Compare = Callable[[Record, Record, str], Iterable[Finding]]


@dataclass(frozen=True)
class HistoryRule:
    name: str
    summary: str
    check: Compare | None  # None: the rule is applied by `check_change` itself


HISTORY_RULES: dict[str, HistoryRule] = {
    rule.name: rule
    for rule in (
        HistoryRule("history-delete", "a record is never deleted or given another id", None),
        HistoryRule("history-immutable", "kind and opened_at never change", rules.immutable),
        HistoryRule("history-timeline", "timeline entries are never changed or removed",
                    rules.timeline),
        HistoryRule("lifecycle-transition", "the status moves along its kind's table",
                    rules.transition),
        HistoryRule("history-closed", "a closed or canceled incident is frozen",
                    rules.closed),
        HistoryRule("history-reopen", "reopen_count counts the reopenings", rules.reopen_count),
    )
}


def check_change(change: Repository, base_files: Iterable[tuple[str, bytes]], ref: str,
                 ) -> list[Finding]:
    """Findings for what the change does to records of the lifecycle kinds at `ref`.

    `base_files` are the base revision's files (path from the repository root, bytes)
    that differ in the change or are gone from it.
    """
    limits = Limits(change.config.max_file_bytes, change.config.max_aliases)
    findings: list[Finding] = []
    by_path: dict[str, Record] = {}
    for path, raw in base_files:
        before = _base_record(path, raw, limits)
        if before is None or before.id in change.unreadable:
            continue  # not a record at base, or its file now fails with its own finding
        after = _counterpart(change, before)
        if after is None:
            by_path = by_path or {record.path: record for record in change.records}
            findings.append(_deleted(by_path.get(before.path), before, ref))
        elif after.kind != before.kind:
            findings.extend(rules.immutable(before, after, ref))
        else:
            for rule in HISTORY_RULES.values():
                if rule.check is not None:
                    findings.extend(rule.check(before, after, ref))
    return findings


def _base_record(path: str, raw: bytes, limits: Limits) -> Record | None:
    record = record_from_bytes(raw, path, limits)
    if isinstance(record, Finding) or record.kind not in TRANSITIONS or not record.id:
        return None
    return record


def _counterpart(change: Repository, before: Record) -> Record | None:
    found = change.by_id.get(before.id, [])
    for record in found:
        if record.path == before.path:
            return record
    return found[0] if found else None


def _deleted(successor: Record | None, before: Record, ref: str) -> Finding:
    """A record gone from the change: deleted, or its file now holds another id."""
    if successor is not None:
        return successor.finding(
            "history-delete",
            f"this file held {before.id} at {ref} and now holds {successor.id or 'no id'}: ids "
            f"never change; put back id: {before.id}, and cancel or close the record instead "
            "of reusing it",
            ("id",))
    return Finding(
        before.path, 1, 1, "history-delete",
        f"{before.kind} {before.id} exists at {ref} but was deleted: records are never "
        "deleted; restore the file, and cancel or close it instead",
        before.id)
