"""A record's status over time, from its timeline, and the spans in which a clock runs.

Instants are microseconds since 1970-01-01 UTC (see calendar.py). The status at any
moment is that of the latest timeline entry with a status at or before it, and the
record's initial status (`new`, `submitted`) before the first.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any

from itsm_as_code.timefmt import parse_timestamp

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_US = timedelta(microseconds=1)
# Instants clocks are computed for: records outside these years are left out, so hostile
# timestamps (year 1 or 9999) can neither overflow the arithmetic nor make a calendar
# walk centuries of days.
EARLIEST = (datetime(1900, 1, 1, tzinfo=timezone.utc) - _EPOCH) // _US
LATEST = (datetime(2999, 12, 1, tzinfo=timezone.utc) - _EPOCH) // _US

INITIAL = {"Incident": "new", "ServiceRequest": "submitted"}
Span = tuple[int, int]


class OutOfRange(ValueError):
    """A timestamp outside the years clocks are computed for (1900..2999)."""


def instant(text: Any) -> int | None:
    """Microseconds of an RFC 3339 timestamp; None for null; ValueError when unreadable."""
    return None if text is None else _parse(str(text))


@lru_cache(maxsize=4096)  # a record repeats its times: acknowledged_at is a timeline entry's
def _parse(text: str) -> int:
    value = (parse_timestamp(text) - _EPOCH) // _US
    if not EARLIEST <= value <= LATEST:
        raise OutOfRange(f"{text} is outside the years 1900 to 2999")
    return value


def instant_of(value: datetime) -> int:
    return (value - _EPOCH) // _US


def show(value: int | None, zone: tzinfo) -> str | None:
    """RFC 3339 text of an instant in `zone`, to the second (`Z` for UTC, as
    timefmt.format_timestamp writes it, which is 2x slower); None stays None."""
    if value is None:
        return None
    text = datetime.fromtimestamp(value // 1_000_000, zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def changes(kind: str, opened: int, timeline: Any) -> list[tuple[int, str]]:
    """(instant, status) pairs in time order, the first at `opened` with the initial status.

    Entries before `opened` (which `itsm validate` reports) take effect at `opened`;
    entries at the same instant apply in the order they are written.
    """
    found = [(opened, INITIAL.get(kind, "new"))]
    ordered = True
    for entry in timeline if isinstance(timeline, list) else ():
        status = entry.get("status") if isinstance(entry, dict) else None
        if isinstance(status, str):
            at = instant(entry.get("at"))
            if at is None:
                continue
            at = at if at > opened else opened
            ordered = ordered and at >= found[-1][0]
            found.append((at, status))
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

