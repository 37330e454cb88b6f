"""The values every reader shares: a record's data, its timestamps as instants in UTC,
its durations, and the finding for a record whose time the model cannot hold.

The readers in this package are, with the loader and the raw-shape rules, the places that
read a record's data by field name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from itsm_as_code.explain import field_name
from itsm_as_code.findings import Finding
from itsm_as_code.store.record import Key, Record
from itsm_as_code.timefmt import parse_duration, parse_timestamp
from itsm_as_code.yamlerrors import shown

Data = dict[str, Any]
UTC = timezone.utc
VALUE_RULE = "schema"  # a value the schema admits but the model cannot hold


def instant(text: str) -> datetime:
    """A record's timestamp as an aware datetime in UTC (times in one zone compare without
    an offset look-up each: sorting and sweeping many of them is a visible cost).

    The schema has checked the text as RFC 3339, which Python 3.11's `fromisoformat`
    reads directly (a third of the cost of the general parser, over every timestamp of
    every record); what it cannot read goes to `parse_timestamp`."""
    try:
        value = _fromisoformat(text)
    except ValueError:
        value = parse_timestamp(text)
    if value.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no offset")
    moment = value.astimezone(UTC)
    if not EARLIEST <= moment <= LATEST:
        raise OverflowError(f"timestamp {text!r} is too near the edge of the calendar")
    return moment


_fromisoformat = datetime.fromisoformat
# Every time the model holds can be shown in any time zone: a zone's offset (its local
# mean time before 1900 included, such as -10:29:20) stays well under a day, so a day's
# margin from Python's first and last instant keeps every conversion in range.
EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)


def maybe(text: str | None) -> datetime | None:
    return None if text is None else instant(text)


def duration(text: str | None) -> Any:
    return None if text is None else parse_duration(text)


def unusable(record: Record, error: Exception) -> Finding:
    """The finding for a record that passed its schema but holds a value the model cannot
    hold: a time that, in UTC, falls outside 2 January of year 1 to 30 December 9999, the
    range every time zone can show (the schema's format allows any year, and any offset,
    on either side). It points at the first such time."""
    for place, value in _texts(record.data, ()):
        try:
            instant(value)
        except (ValueError, OverflowError):
            return record.finding(
                VALUE_RULE, f"{field_name(place)}: {shown(value)} lies outside the times "
                "itsm can hold (2 January of year 1 to 30 December 9999, in UTC): write the "
                "time it really was",
                place)
    return record.finding(VALUE_RULE, f"a value cannot be used: {error}")


def _texts(value: object, place: tuple[Key, ...]) -> Iterator[tuple[tuple[Key, ...], str]]:
    """Every timestamp-looking text of a record's data, with its place."""
    if isinstance(value, str):
        if _TIMESTAMP.match(value):
            yield place, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*place, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*place, index))


_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")
