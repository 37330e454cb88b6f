"""The status agrees with the timeline and with the lifecycle timestamps.

Which statuses each timestamp belongs to is derived from the lifecycle tables
(model/lifecycle.py), the one vocabulary of statuses, by the one definition of a
lifecycle step (model/steps.py: `STAMPED`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from itsm_as_code.model.lifecycle import LIFECYCLES, TIMELINE_KINDS
from itsm_as_code.model.steps import MAY_STAMP, STAMPED
from itsm_as_code.model.types.itil import Incident, KnownError, Maintenance, Problem, ServiceRequest
from itsm_as_code.model.types.organisation import Person
from itsm_as_code.model.types.timeline import Entry
from itsm_as_code.rule import Hit
from itsm_as_code.store.record import Record
from itsm_as_code.validation.rules.base import Judged

# Timestamps that may be set only in some statuses (but need not be).
FIXED_IN = MAY_STAMP["KnownError"]["fixed_at"]
LEFT_IN = frozenset({"left"})  # a person's status: not a lifecycle of the tables
Timelined = Incident | ServiceRequest | Maintenance
Stamped = Incident | ServiceRequest | Problem
TIMELINED: dict[str, type[Timelined]] = {
    "Incident": Incident, "ServiceRequest": ServiceRequest, "Maintenance": Maintenance}
STAMPED_TYPES: dict[str, type[Stamped]] = {
    "Incident": Incident, "ServiceRequest": ServiceRequest, "Problem": Problem}


def matches_timeline(judged: Judged) -> Iterator[Hit]:
    for kind in sorted(TIMELINE_KINDS):
        initial = LIFECYCLES[kind].initial
        for record, value in judged.values(kind, TIMELINED[kind]):
            yield from _agrees(record, value.status, value.timeline, initial)
            if record.own is not None and any("status" in part.sets for part in record.parts):
                # An update file that moves the status sets the status the record is read
                # with, which would hide a record file that disagrees with its own timeline:
                # the file is judged as written, against the entries it holds.
                own = Record(record.kind, record.id, record.path, record.own,
                             record.read_source)
                yield from _agrees(own, record.own.get("status"),
                                   value.timeline[:record.parts[0].index], initial)


def _agrees(record: Record, status: object, timeline: Sequence[Entry], initial: str,
            ) -> Iterator[Hit]:
    expected, source = initial, None
    for index, entry in enumerate(timeline):
        if entry.status is not None:
            expected, source = entry.status, index
    if status != expected:
        said = (
            f"the last timeline entry with a status (timeline[{source}]) says "
            f"'{expected}'" if source is not None
            else f"no timeline entry has a status, which means '{expected}'"
        )
        yield Hit(
            record,
            f"status is '{status}' but {said}: add a timeline entry with "
            f"status: {status}, or set status: {expected}",
            ("status",),
        )


def matches_timestamps(judged: Judged) -> Iterator[Hit]:
    for kind, stamps in STAMPED.items():
        for record, value in judged.values(kind, STAMPED_TYPES[kind]):
            for name, statuses in stamps.items():
                yield from _stamp(record, value.status, name, getattr(value, name), statuses)
    for record, known in judged.values("KnownError", KnownError):
        yield from _allowed_in(record, known.status, "fixed_at", known.fixed_at, FIXED_IN)
    for record, person in judged.values("Person", Person):
        yield from _allowed_in(record, person.status, "left_at", person.left_at, LEFT_IN)


def _stamp(record: Record, status: str, name: str, when: datetime | None,
           statuses: frozenset[str]) -> Iterator[Hit]:
    if when is not None and status not in statuses:
        yield Hit(
            record,
            f"{name} is set but the status is '{status}': remove {name}, or move the "
            f"status to {' or '.join(sorted(statuses))}",
            (name,),
        )
    elif when is None and status in statuses:
        yield Hit(
            record,
            f"status is '{status}' but {name} is missing: add {name} with the time it happened",
            ("status",),
        )


def _allowed_in(record: Record, status: str, name: str, when: datetime | None,
                statuses: frozenset[str]) -> Iterator[Hit]:
    if when is not None and status not in statuses:
        yield Hit(
            record,
            f"{name} is set but the status is '{status}': remove {name} "
            f"or set status: {' or '.join(sorted(statuses))}",
            (name,),
        )
