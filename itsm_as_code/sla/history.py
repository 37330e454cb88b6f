"""A record's status over time, from its timeline, and the spans in which a clock runs.

Instants are microseconds since 1970-01-01 UTC (see calendar.py). The status at any
moment is that of the latest timeline entry with a status at or before it, and the
record's initial status (its lifecycle's: `new`, `submitted`) before the first.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

from itsm_as_code.model.types.itil import Clocked
from itsm_as_code.timefmt import format_timestamp

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_US = timedelta(microseconds=1)
# Instants clocks are computed for: records outside these years are left out, so hostile
# timestamps (year 1 or 9999) can neither overflow the arithmetic nor make a calendar
# walk centuries of days.
EARLIEST = (datetime(1900, 1, 1, tzinfo=timezone.utc) - _EPOCH) // _US
LATEST = (datetime(2999, 12, 1, tzinfo=timezone.utc) - _EPOCH) // _US

Span = tuple[int, int]


class OutOfRange(ValueError):
    """A timestamp outside the years clocks are computed for (1900..2999)."""


def instant_of(value: datetime) -> int:
    return (value - _EPOCH) // _US


def moment_of(instant: int) -> datetime:
    """The aware datetime (UTC) of an instant."""
    return _EPOCH + instant * _US


def clocked(value: datetime) -> int:
    """The instant of a record's timestamp; OutOfRange outside the years 1900..2999."""
    moment = (value - _EPOCH) // _US
    if not EARLIEST <= moment <= LATEST:
        raise OutOfRange(f"{format_timestamp(value)} is outside the years 1900 to 2999")
    return moment


def show(value: int | None, zone: tzinfo) -> str | None:
    """RFC 3339 text of an instant in `zone`, to the second (`Z` for UTC, as
    timefmt.format_timestamp writes it, which is 2x slower); None stays None."""
    if value is None:
        return None
    text = datetime.fromtimestamp(value // 1_000_000, zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def changes(item: Clocked, opened: int) -> list[tuple[int, str]]:
    """(instant, status) pairs in time order, the first at `opened` with the initial status.

    Entries before `opened` (which `itsm validate` reports) take effect at `opened`;
    entries at the same instant apply in the order they are written.
    """
    found = [(opened, item.lifecycle.initial)]
    ordered = True
    for entry in item.timeline:
        if entry.status:
            at = clocked(entry.at)
            at = at if at > opened else opened
            ordered = ordered and at >= found[-1][0]
            found.append((at, entry.status))
    if not ordered:  # a stable sort keeps the written order of entries at one instant
        found[1:] = sorted(found[1:], key=lambda change: change[0])
    return found


def running_spans(history: list[tuple[int, str]], start: int, end: int,
                  paused: frozenset[str]) -> list[Span]:
    """The parts of [start, end) in which the status is not in `paused`, merged."""
    if start >= end:
        return []
    if paused.isdisjoint({status for _, status in history}):  # most records never pause
        return [(start, end)]
    spans: list[Span] = []
    bounds = [at for at, _ in history[1:]] + [end]
    for (at, status), until in zip(history, bounds, strict=True):
        low, high = max(at, start), min(until, end)
        if low >= high or status in paused:
            continue
        if spans and spans[-1][1] == low:
            spans[-1] = (spans[-1][0], high)
        else:
            spans.append((low, high))
    return spans

