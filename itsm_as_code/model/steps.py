"""One lifecycle step: what a timeline entry does to its record.

An entry is appended to the record's timeline and the fields that follow from it are set:
the status it names; the first acknowledgement (`acknowledged_at`); when the work ended
(`resolved_at`) and was closed (`closed_at`), both cleared again by a reopening, which
`reopen_count` counts; assignment; a maintenance window's new end; a request's approval
decisions; the alerts an incident (or a maintenance window) carries. The commands that
write a step, the store that folds a record's update files into it, and the rule that
checks a record's fields against its timeline all use this one definition.

It works on raw record data, before any schema check: an entry or a field of the wrong
type is appended or left as it is, for the schema check to report where it was written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from itsm_as_code.model.lifecycle import INCIDENT, LIFECYCLES, SERVICE_REQUEST
from itsm_as_code.timefmt import parse_timestamp

# The folder beside a record file that holds its updates, one entry per file:
# records/incidents/INC-0042.yaml and records/incidents/INC-0042.updates/*.yaml.
UPDATES = ".updates"

# For each kind: lifecycle timestamp -> the statuses in which it is set (and only those).
# A move into them from outside stamps the entry's time; a move out clears it.
STAMPED: dict[str, dict[str, frozenset[str]]] = {
    "Incident": {"resolved_at": INCIDENT.done, "closed_at": frozenset({"closed"})},
    "ServiceRequest": {"resolved_at": SERVICE_REQUEST.ended},
    "Problem": {"resolved_at": LIFECYCLES["Problem"].done,
                "closed_at": frozenset({"closed"})},
}

# Timestamps a move stamps in the same way but that may also stay unset there (a known
# error fixed before anyone noted when).
MAY_STAMP: dict[str, dict[str, frozenset[str]]] = {
    "KnownError": {"fixed_at": LIFECYCLES["KnownError"].done},
}

# Entry fields that set a record field of the same name from the entry's time on.
ASSIGNS: dict[str, tuple[str, ...]] = {
    "Incident": ("assignee", "team"),
    "ServiceRequest": ("assignee", "team"),
    "Maintenance": ("scheduled_end",),
}
# Kinds whose entries may attach alerts: an incident's, and a maintenance window's that
# fired while it ran.
ALERTED = frozenset({"Incident", "Maintenance"})
# Kinds whose entries may acknowledge the record (the end of the response clock).
ACKNOWLEDGED = frozenset({"Incident", "ServiceRequest"})


def apply(kind: str, data: Mapping[str, Any], entries: Iterable[Any]) -> dict[str, Any]:
    """`data` after appending `entries` in order, with the fields each one sets.

    `data` is not changed. A record whose `timeline` is not a list is returned as it is
    (with its entries left off): its own shape is the error to report.
    """
    record = dict(data)
    timeline = record.get("timeline")
    if timeline is None:
        timeline = []
    if not isinstance(timeline, list):
        return record
    record["timeline"] = timeline = list(timeline)
    for entry in entries:
        timeline.append(entry)
        if isinstance(entry, dict):
            _step(kind, record, entry)
    return record


def replay(kind: str, entries: Iterable[Any]) -> dict[str, Any]:
    """The fields a timeline alone determines: a record of `kind` in its initial status
    after `entries`. `acknowledged_at` is there only when an entry acknowledges."""
    start = {"status": LIFECYCLES[kind].initial, "timeline": []}
    derived = apply(kind, start, entries)
    del derived["timeline"]
    return derived


def order(at: object, name: str) -> tuple[datetime, str]:
    """How a record's update files are ordered: by the instant of their `at`, then by file
    name; a file whose time cannot be read goes last (its time is reported there)."""
    try:
        when = parse_timestamp(at) if isinstance(at, str) else None
    except (ValueError, IndexError):
        when = None
    return (when or datetime.max.replace(tzinfo=timezone.utc), name)


def update_name(at: datetime, author: str | None, token: str) -> str:
    """The file name of an update: its time in UTC, its author, and a random token that
    keeps two updates written in the same second on two branches apart."""
    stamp = at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{author or 'update'}-{token}.yaml"


def _step(kind: str, record: dict[str, Any], entry: dict[str, Any]) -> None:
    at = entry.get("at")
    lifecycle = LIFECYCLES.get(kind)
    status, before = entry.get("status"), record.get("status")
    if (lifecycle is not None and isinstance(status, str) and status in lifecycle.moves
            and status != before):
        record["status"] = status
        for name, statuses in (*STAMPED.get(kind, {}).items(),
                               *MAY_STAMP.get(kind, {}).items()):
            if status in statuses and before not in statuses:
                record[name] = at
            elif status not in statuses and before in statuses:
                record.pop(name, None)
        if kind == "Incident" and isinstance(before, str) and INCIDENT.is_reopening(
                before, status):
            count = record.get("reopen_count", 0)
            record["reopen_count"] = count + 1 if isinstance(count, int) else count
    if (kind in ACKNOWLEDGED and entry.get("acknowledged") is True
            and record.get("acknowledged_at") is None):
        record["acknowledged_at"] = at
    for name in ASSIGNS.get(kind, ()):
        # A recurring window's extension ends one occurrence (model/recurrence.py): the
        # record keeps the first occurrence, which sets how long each one lasts.
        if name in entry and not (kind == "Maintenance" and "recurrence" in record):
            record[name] = entry[name]
    if kind == "ServiceRequest" and isinstance(entry.get("approval"), dict):
        record["approvals"] = [*_list(record.get("approvals")), _decision(entry)]
    if kind in ALERTED and isinstance(entry.get("alerts"), list):
        record["alerts"] = _merged_alerts(_list(record.get("alerts")), entry["alerts"])


def _decision(entry: dict[str, Any]) -> dict[str, Any]:
    approval = entry["approval"]
    decision = {key: approval[key] for key in ("by", "decision") if key in approval}
    decision["at"] = entry.get("at")
    decision.update((key, value) for key, value in approval.items() if key not in decision)
    return decision


def _merged_alerts(alerts: list[Any], added: list[Any]) -> list[Any]:
    """Alerts by fingerprint: an entry's alert updates the one with its fingerprint."""
    merged = list(alerts)
    where = {alert.get("fingerprint"): index for index, alert in enumerate(merged)
             if isinstance(alert, dict)}
    for alert in added:
        key = alert.get("fingerprint") if isinstance(alert, dict) else None
        if isinstance(key, str) and key in where:
            merged[where[key]] = {**merged[where[key]], **alert}
        else:
            if isinstance(key, str):
                where[key] = len(merged)
            merged.append(alert)
    return merged


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []
