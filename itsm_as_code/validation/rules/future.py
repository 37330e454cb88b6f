"""Times that say something happened are not later than the run's now.

An incident cannot have been acknowledged next year: a time in the future is a typo
(often in the year), and left in place it stops an SLA clock or hides a record from the
status site until then. Only times of what happened are judged: when a record was
opened, acknowledged, resolved, closed, fixed, when a person left, when a timeline entry,
an approval or an alert happened. Times of what is planned (a maintenance window, a
grant's expiry) may lie ahead.

The run's now is read once at the command line (`--now`, default the wall clock); a time
up to `TOLERANCE` ahead of it passes, for the clocks of the machines that wrote the
record and that check it, which never agree to the second. A run given no now (a library
caller that checks a draft) does not judge this.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from itsm_as_code.explain import field_name
from itsm_as_code.model.types.itil import Incident, KnownError, Maintenance, Problem, ServiceRequest
from itsm_as_code.model.types.organisation import AccessPolicy, Person
from itsm_as_code.rule import Hit, Place
from itsm_as_code.store.record import Record
from itsm_as_code.timefmt import format_timestamp, timestamp_or_none
from itsm_as_code.validation.ahead import ALLOWED, TOLERANCE
from itsm_as_code.validation.rules.base import Judged

# Times of what happened, by kind: fields of the record, and fields of each item of a
# list of it.
FIELDS: dict[str, tuple[str, ...]] = {
    "Incident": ("opened_at", "acknowledged_at", "resolved_at", "closed_at"),
    "ServiceRequest": ("opened_at", "acknowledged_at", "resolved_at"),
    "Problem": ("opened_at", "resolved_at", "closed_at"),
    "KnownError": ("opened_at", "fixed_at"),
    "Person": ("left_at",),
}
IN_LISTS: dict[str, tuple[tuple[str, str], ...]] = {
    "Incident": (("timeline", "at"), ("alerts", "started_at"), ("alerts", "resolved_at")),
    "ServiceRequest": (("approvals", "at"), ("timeline", "at")),
    "Maintenance": (("timeline", "at"),),
    "AccessPolicy": (("grants", "approved_at"),),
}
TYPES: dict[str, type[Any]] = {
    "Incident": Incident, "ServiceRequest": ServiceRequest, "Problem": Problem,
    "KnownError": KnownError, "Person": Person, "Maintenance": Maintenance,
    "AccessPolicy": AccessPolicy,
}


def check(judged: Judged) -> Iterator[Hit]:
    if judged.now is None:
        return
    latest = judged.now + TOLERANCE
    for record, when, place in times(judged):
        if when > latest:
            yield Hit(record, message(place, record.written(*place), judged.now), place)


def times(judged: Judged) -> Iterator[tuple[Record, datetime, Place]]:
    """Every time of what happened that the judged records hold, with its place."""
    for kind, cls in TYPES.items():
        for record, value in judged.values(kind, cls):
            for name in FIELDS.get(kind, ()):
                when = getattr(value, name)
                if when is not None:
                    yield record, when, (name,)
            for items, name in IN_LISTS.get(kind, ()):
                for index, item in enumerate(getattr(value, items)):
                    when = getattr(item, name)
                    if when is not None:
                        yield record, when, (items, index, name)


def message(place: Place, written: object, now: datetime) -> str:
    """What the finding says of the time `written` at `place`, later than `now`."""
    # The run's now in the offset the time is written in, so the two read side by side.
    parsed = timestamp_or_none(written)
    local_now = now.astimezone(parsed.tzinfo) if parsed is not None else now
    hint = "; check the year" if parsed is not None and parsed.year != local_now.year else ""
    return (f"{field_name(place)} ({written}) is later than now ({format_timestamp(local_now)}) "
            f"by more than {ALLOWED}: it says when something happened, so write the time it "
            f"happened{hint}")
