"""The status agrees with the timeline and with the lifecycle timestamps."""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.findings import Finding
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository

# The status of a record whose timeline has no status yet.
INITIAL = {"Incident": "new", "ServiceRequest": "submitted", "Maintenance": "scheduled"}

# For each kind: timestamp field -> the statuses in which it is set (and only those).
STAMPED: dict[str, dict[str, frozenset[str]]] = {
    "Incident": {
        "resolved_at": frozenset({"resolved", "closed"}),
        "closed_at": frozenset({"closed"}),
    },
    "ServiceRequest": {"resolved_at": frozenset({"fulfilled", "rejected", "canceled"})},
    "Problem": {
        "resolved_at": frozenset({"resolved", "closed"}),
        "closed_at": frozenset({"closed"}),
    },
}
# Timestamps that may be set only in some statuses (but need not be).
ALLOWED_IN = {
    ("KnownError", "fixed_at"): frozenset({"fixed"}),
    ("Person", "left_at"): frozenset({"left"}),
}


def matches_timeline(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    for record in records:
        initial = INITIAL.get(record.kind)
        if initial is None:
            continue
        expected, source = initial, None
        for index, entry in enumerate(record.get("timeline") or []):
            if "status" in entry:
                expected, source = entry["status"], index
        if record.get("status") != expected:
            said = (
                f"the last timeline entry with a status (timeline[{source}]) says '{expected}'"
                if source is not None
                else f"no timeline entry has a status, which means '{expected}'"
            )
            yield record.finding(
                "status-timeline",
                f"status is '{record.get('status')}' but {said}: add a timeline entry with "
                f"status: {record.get('status')}, or set status: {expected}",
                ("status",),
            )


def matches_timestamps(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    for record in records:
        status = record.get("status")
        for name, statuses in STAMPED.get(record.kind, {}).items():
            present = record.get(name) is not None
            if present and status not in statuses:
                yield record.finding(
                    "status-timestamps",
                    f"{name} is set but the status is '{status}': remove {name}, or move the "
                    f"status to {' or '.join(sorted(statuses))}",
                    (name,),
                )
            elif not present and status in statuses:
                yield record.finding(
                    "status-timestamps",
                    f"status is '{status}' but {name} is missing: add {name} with the time "
                    "it happened",
                    ("status",),
                )
        for (kind, name), statuses in ALLOWED_IN.items():
            if record.kind == kind and record.get(name) is not None and status not in statuses:
                yield record.finding(
                    "status-timestamps",
                    f"{name} is set but the status is '{status or 'not set'}': remove {name} "
                    f"or set status: {' or '.join(sorted(statuses))}",
                    (name,),
                )
