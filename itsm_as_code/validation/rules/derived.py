"""The timestamps a timeline determines agree with it.

`resolved_at` and `closed_at` are the times of the entries that moved the record into
their statuses, and `acknowledged_at` that of the first entry marked `acknowledged: true`
(when there is one: a record may say when it was acknowledged without such an entry).
What each entry determines is the one definition of a lifecycle step (model/steps.py):
the rule replays the timeline by it. Instants are compared, not texts: the same moment
written in another offset agrees. Where a field disagrees, the timeline is replayed once
more with each entry's time replaced by a marker that names the entry, so the replay says
which entry set the field.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from itsm_as_code.model.steps import replay
from itsm_as_code.model.types.itil import Incident, ServiceRequest
from itsm_as_code.rule import Hit
from itsm_as_code.store.record import Record
from itsm_as_code.timefmt import timestamp_or_none
from itsm_as_code.validation.rules.base import Judged

ACKNOWLEDGED = "acknowledged_at"
# The fields a timeline determines, by kind (the others have no such timestamps).
DERIVED: dict[str, tuple[str, ...]] = {
    "Incident": (ACKNOWLEDGED, "resolved_at", "closed_at"),
    "ServiceRequest": (ACKNOWLEDGED, "resolved_at"),
}
TYPES: dict[str, type[Incident | ServiceRequest]] = {
    "Incident": Incident, "ServiceRequest": ServiceRequest}

# What a replay reads of an entry: its status (a text), whether it acknowledges, and
# whether it has no time.
Shape = tuple[str | None, bool, bool]


@dataclass(frozen=True)
class _Mark:
    """Stands for the time of timeline[index] in a replay."""

    index: int


def check(judged: Judged) -> Iterator[Hit]:
    for kind, names in DERIVED.items():
        shapes: dict[tuple[Shape, ...], dict[str, Any]] = {}
        for record, value in judged.values(kind, TYPES[kind]):
            entries = record.get("timeline") or []
            derived = _replayed(kind, _steps(entries), shapes)
            for name in names:
                at = derived.get(name)
                held: datetime | None = getattr(value, name)
                if at is None or (held is not None and record.written(name) == at):
                    continue  # the same text: the same instant, without reading it
                expected = timestamp_or_none(at)
                if expected is not None and held != expected:
                    yield from _disagrees(record, kind, name, entries)


def _replayed(kind: str, steps: list[Any], shapes: dict[tuple[Shape, ...], dict[str, Any]],
              ) -> dict[str, Any]:
    """The derived fields `replay(kind, steps)` gives, replayed once per shape of steps.

    A replay reads of an entry only its status, whether it acknowledges and its time,
    and uses the time only as a value to keep (or as missing): thousands of timelines
    share a few dozen shapes, so each shape is replayed once with markers for the times,
    which are then read from this timeline."""
    shape = tuple(_shape(entry) for entry in steps)
    marks = shapes.get(shape)
    if marks is None:
        marked = [{"status": status, "acknowledged": acknowledged,
                   "at": None if untimed else _Mark(index)}
                  for index, (status, acknowledged, untimed) in enumerate(shape)]
        marks = shapes[shape] = replay(kind, marked)
    return {name: steps[mark.index]["at"] if isinstance(mark, _Mark) else mark
            for name, mark in marks.items()}


def _shape(entry: dict[str, Any]) -> Shape:
    status = entry.get("status")
    return (status if isinstance(status, str) else None, entry.get("acknowledged") is True,
            entry.get("at") is None)


def _steps(entries: Sequence[Any]) -> list[Any]:
    """The entries that may set these fields: those that move the status or acknowledge
    (most entries of a long timeline are plain updates)."""
    return [entry for entry in entries
            if isinstance(entry, dict) and ("status" in entry or "acknowledged" in entry)]


def _disagrees(record: Record, kind: str, name: str, entries: Sequence[Any]) -> Iterator[Hit]:
    # Replayed again with each entry's time a marker of its index, to name the entry.
    marked = [{**entry, "at": _Mark(index)} for index, entry in enumerate(entries)
              if isinstance(entry, dict)]
    mark = replay(kind, _steps(marked)).get(name)
    if not isinstance(mark, _Mark):
        return
    index = mark.index
    at = entries[index]["at"]
    did = "acknowledged it" if name == ACKNOWLEDGED else f"{entries[index].get('status')} it"
    if record.get(name) is None:
        # resolved_at and closed_at missing in their statuses are `status-timestamps`'s.
        if name == ACKNOWLEDGED:
            yield Hit(record, f"{name} is missing but timeline[{index}] {did} at {at}: add "
                      f"{name}: {at}", ("timeline", index, "acknowledged"))
        return
    yield Hit(record, f"{name} is {record.written(name)} but timeline[{index}] {did} at {at}: "
              f"set {name}: {at}", (name,))
