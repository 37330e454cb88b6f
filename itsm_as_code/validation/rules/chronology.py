"""Time runs forward: lifecycle timestamps in order, timelines sorted and inside the span."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from itsm_as_code.findings import Finding
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.timefmt import timestamp_or_none

# Lifecycle timestamps of each kind, in the order they must happen.
CHAINS: dict[str, tuple[str, ...]] = {
    "Incident": ("opened_at", "acknowledged_at", "resolved_at", "closed_at"),
    "ServiceRequest": ("opened_at", "acknowledged_at", "resolved_at"),
    "Problem": ("opened_at", "resolved_at", "closed_at"),
    "KnownError": ("opened_at", "fixed_at"),
}
# Lists of dated entries that must be in time order, within [first, last] of the chain.
SEQUENCES: dict[str, tuple[str, ...]] = {
    "Incident": ("timeline",),
    "ServiceRequest": ("approvals", "timeline"),
    "Maintenance": ("timeline",),
}


def check(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    for record in records:
        yield from _chain(record)
        yield from _sequences(record)
        if record.kind == "Maintenance":
            yield from _window(record)
        elif record.kind == "AccessPolicy":
            yield from _grants(record)


def _when(record: Record, *at: str | int) -> datetime | None:
    value: object = record.data
    for step in at:
        if isinstance(value, dict) and isinstance(step, str):
            value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int) and step < len(value):
            value = value[step]
        else:
            return None
    return timestamp_or_none(value)


def _chain(record: Record) -> Iterator[Finding]:
    earlier: tuple[str, datetime] | None = None
    for name in CHAINS.get(record.kind, ()):
        when = _when(record, name)
        if when is None:
            continue
        if earlier is not None and when < earlier[1]:
            yield record.finding(
                "time-order",
                f"{name} ({record.get(name)}) is before {earlier[0]} ({record.get(earlier[0])}): "
                f"{name} must not be earlier",
                (name,),
            )
        earlier = (name, when)


def _sequences(record: Record) -> Iterator[Finding]:
    chain = CHAINS.get(record.kind, ())
    start = _when(record, chain[0]) if chain else None
    end = _when(record, "closed_at")
    for field in SEQUENCES.get(record.kind, ()):
        entries = record.get(field) or []
        previous: datetime | None = None
        for index in range(len(entries)):
            when = _when(record, field, index, "at")
            if when is None:
                continue
            at = (field, index, "at")
            if previous is not None and when < previous:
                yield record.finding(
                    "time-order",
                    f"{field}[{index}] is earlier than {field}[{index - 1}]: keep the "
                    f"{field} in time order, oldest first",
                    at,
                )
            elif start is not None and when < start:
                yield record.finding(
                    "time-order",
                    f"{field}[{index}] ({entries[index]['at']}) is before {chain[0]} "
                    f"({record.get(chain[0])}): fix the entry's time, or move {chain[0]} "
                    "earlier",
                    at,
                )
            elif end is not None and when > end:
                yield record.finding(
                    "time-order",
                    f"{field}[{index}] ({entries[index]['at']}) is after closed_at "
                    f"({record.get('closed_at')}): a closed record takes no more entries",
                    at,
                )
            previous = when


def _window(record: Record) -> Iterator[Finding]:
    start, end = _when(record, "scheduled_start"), _when(record, "scheduled_end")
    if start is not None and end is not None and end <= start:
        yield record.finding(
            "time-order",
            f"scheduled_end ({record.get('scheduled_end')}) is not after scheduled_start "
            f"({record.get('scheduled_start')}): a maintenance window ends after it starts",
            ("scheduled_end",),
        )


def _grants(record: Record) -> Iterator[Finding]:
    for index in range(len(record.get("grants") or [])):
        approved = _when(record, "grants", index, "approved_at")
        expires = _when(record, "grants", index, "expires")
        if approved is not None and expires is not None and expires <= approved:
            yield record.finding(
                "time-order",
                f"grants[{index}] expires before it was approved",
                ("grants", index, "expires"),
            )
