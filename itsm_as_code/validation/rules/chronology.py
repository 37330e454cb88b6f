"""Time runs forward: lifecycle timestamps in order, timelines sorted and inside the span.

Instants are compared as the model holds them; a message quotes each timestamp as its
file writes it (offset and all), which only the record's text still knows (`Record.written`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from itsm_as_code.model.types.itil import Incident, KnownError, Maintenance, Problem, ServiceRequest
from itsm_as_code.model.types.organisation import AccessPolicy
from itsm_as_code.rule import Hit
from itsm_as_code.store.record import Record
from itsm_as_code.validation.rules.base import Judged

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
TYPES: dict[str, type[Any]] = {
    "Incident": Incident, "ServiceRequest": ServiceRequest, "Problem": Problem,
    "KnownError": KnownError, "Maintenance": Maintenance,
}


def check(judged: Judged) -> Iterator[Hit]:
    for kind, cls in TYPES.items():
        for record, value in judged.values(kind, cls):
            yield from _chain(record, value)
            yield from _sequences(record, value)
    for record, window in judged.values("Maintenance", Maintenance):
        yield from _window(record, window)
    for record, policy in judged.values("AccessPolicy", AccessPolicy):
        yield from _grants(record, policy)


def _chain(record: Record, value: Any) -> Iterator[Hit]:
    earlier: tuple[str, datetime] | None = None
    for name in CHAINS.get(record.kind, ()):
        when: datetime | None = getattr(value, name)
        if when is None:
            continue
        if earlier is not None and when < earlier[1]:
            yield Hit(
                record,
                f"{name} ({record.written(name)}) is before {earlier[0]} "
                f"({record.written(earlier[0])}): {name} must not be earlier",
                (name,),
            )
        earlier = (name, when)


def _sequences(record: Record, value: Any) -> Iterator[Hit]:
    chain = CHAINS.get(record.kind, ())
    start: datetime | None = getattr(value, chain[0]) if chain else None
    end: datetime | None = getattr(value, "closed_at", None)
    for field in SEQUENCES.get(record.kind, ()):
        previous: datetime | None = None
        for index, entry in enumerate(getattr(value, field)):
            when: datetime = entry.at
            place = (field, index, "at")
            if previous is not None and when < previous:
                yield Hit(
                    record,
                    f"{field}[{index}] ({record.written(*place)}) is earlier than "
                    f"{field}[{index - 1}] ({record.written(field, index - 1, 'at')}): keep "
                    f"the {field} in time order, oldest first",
                    place,
                )
            elif start is not None and when < start:
                yield Hit(
                    record,
                    f"{field}[{index}] ({record.written(*place)}) is before {chain[0]} "
                    f"({record.written(chain[0])}): fix the entry's time, or move "
                    f"{chain[0]} earlier",
                    place,
                )
            elif end is not None and when > end:
                yield Hit(
                    record,
                    f"{field}[{index}] ({record.written(*place)}) is after closed_at "
                    f"({record.written('closed_at')}): a closed record takes no more entries",
                    place,
                )
            previous = when


def _window(record: Record, window: Maintenance) -> Iterator[Hit]:
    if window.scheduled_end <= window.scheduled_start:
        yield Hit(
            record,
            f"scheduled_end ({record.written('scheduled_end')}) is not after scheduled_start "
            f"({record.written('scheduled_start')}): a maintenance window ends after it "
            "starts",
            ("scheduled_end",),
        )


def _grants(record: Record, policy: AccessPolicy) -> Iterator[Hit]:
    for index, grant in enumerate(policy.grants):
        approved, expires = grant.approved_at, grant.expires
        if approved is not None and expires is not None and expires <= approved:
            yield Hit(record, f"grants[{index}] expires before it was approved",
                      ("grants", index, "expires"))
