"""Timestamps and durations as the record format writes them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def parse_timestamp(text: str) -> datetime:
    """An aware datetime from RFC 3339 text; ValueError for a naive or malformed one."""
    normal = text.strip()
    if normal[-1:] in "Zz":
        normal = normal[:-1] + "+00:00"
    value = datetime.fromisoformat(normal.replace("t", "T"))
    if value.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no offset")
    return value


def timestamp_or_none(value: object) -> datetime | None:
    """The aware datetime that a record's field holds, or None when it holds none (a field
    of a record that may not have passed its schema)."""
    if not isinstance(value, str):
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        return None


def parse_duration(text: str) -> timedelta:
    """A timedelta from `45s`, `15m`, `4h`, `2d` or `1h30m`; ValueError otherwise."""
    match = _DURATION.match(text.strip())
    if not text.strip() or match is None:
        raise ValueError(f"duration {text!r} is not like 45s, 15m, 4h, 2d or 1h30m")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def format_duration(seconds: int) -> str:
    """`2d 3h 5m` for people (`0s` for nothing); seconds only where they are not zero."""
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size or (unit == "s" and not parts):
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return " ".join(parts)


def format_timestamp(value: datetime) -> str:
    """RFC 3339 text with the value's own offset, seconds precision (`Z` for UTC)."""
    text = value.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if value.utcoffset() == timedelta(0) else text


def utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc)
