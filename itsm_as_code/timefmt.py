"""Timestamps and durations as the record format writes them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
# What Python 3.10's fromisoformat cannot read but RFC 3339 allows: a fraction of other
# than 3 or 6 digits, and a leap second.
_FRACTION = re.compile(r"(:\d\d)\.(\d+)")


def parse_timestamp(text: str) -> datetime:
    """An aware datetime from RFC 3339 text; ValueError for a naive or malformed one.

    A leap second (`23:59:60`) is read as the last microsecond before the next minute,
    the nearest instant Python can hold; fractions past microseconds are cut."""
    normal = text.strip()
    if normal[-1:] in "Zz":
        normal = normal[:-1] + "+00:00"
    normal = normal.replace("t", "T")
    try:
        value = datetime.fromisoformat(normal)
    except ValueError:
        value = _careful(normal)
    if value.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no offset")
    return value


def _careful(normal: str) -> datetime:
    fixed = _FRACTION.sub(lambda m: f"{m.group(1)}.{(m.group(2) + '000000')[:6]}", normal, 1)
    leap = len(fixed) >= 19 and fixed[17:19] == "60" and fixed[16] == ":"
    if leap:
        fixed = fixed[:17] + "59" + fixed[19:]
        if "." not in fixed[19:20]:
            fixed = fixed[:19] + ".999999" + fixed[19:]
        else:
            fixed = fixed[:20] + "999999" + fixed[26:]
    return datetime.fromisoformat(fixed)


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
