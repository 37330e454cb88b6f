"""Timestamps and durations as the record format writes them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
# What Python 3.10's fromisoformat cannot read but RFC 3339 allows: a fraction of other
# than 3 or 6 digits, and a leap second.
_FRACTION = re.compile(r"(:\d\d)\.(\d+)")
# What people type where a command takes a time: a local date and time, a time of today.
_LOCAL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
_TODAY = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


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


def parse_human(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """A time as people type it at the command line: RFC 3339 text as it is; a local date
    and time (`2026-12-06 04:40`, `2026-12-06T04:40`) or a time of today (`04:40`) in
    `zone`; a time ago (`-15m`, `-2h`, `-1d`, durations as records write them) from `now`.

    The result carries the offset in force at that instant. A local time the clocks skip
    (the start of summer time) is refused; one they pass twice (its end) is the first.
    ValueError says which forms are accepted."""
    normal = text.strip()
    try:
        return parse_timestamp(normal)
    except ValueError:
        pass
    today = _TODAY.match(normal)
    try:
        if normal.startswith("-"):
            return _fixed((now - parse_duration(normal[1:])).astimezone(zone))
        local = _local(normal)
        if local is not None:
            return _in_zone(text, local, zone)
        if today is not None:
            hour, minute, second = (int(p or 0) for p in today.groups())
            date = now.astimezone(zone).date()
            return _in_zone(text, datetime(date.year, date.month, date.day, hour, minute,
                                           second), zone)
    except _Skipped:
        raise
    except (ValueError, OverflowError):
        pass
    raise ValueError(
        f"{text!r} is not a time: give an RFC 3339 timestamp (2026-12-06T04:40:00+01:00), a "
        f"date and time in {zone.key} (2026-12-06 04:40), a time today (04:40) or a time "
        "ago (-15m, -2h, -1d)"
    )


def with_offset(text: str, zone: ZoneInfo) -> str | None:
    """RFC 3339 text for a date and time written without an offset (`2026-12-06 04:40`):
    the offset in force in `zone` at that instant, seconds written, fractions dropped; for
    a time the clocks skip, the time they show after the gap. None for other text."""
    try:
        local = _local(text.strip())
    except ValueError:
        return None
    if local is None:
        return None
    return format_timestamp(local.replace(tzinfo=zone).astimezone(timezone.utc)
                            .astimezone(zone))


def _local(text: str) -> datetime | None:
    """The naive datetime of a date and time without offset; ValueError for 30 February."""
    match = _LOCAL.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(p or 0) for p in match.groups())
    return datetime(year, month, day, hour, minute, second)


class _Skipped(ValueError):
    """A local time that does not exist: its own message, not the list of forms."""


def _in_zone(text: str, naive: datetime, zone: ZoneInfo) -> datetime:
    first = naive.replace(tzinfo=zone)
    # A skipped time does not survive the round trip through UTC; fold=0 reads it with the
    # offset before the change, so the round trip lands where the clocks say after it.
    shifted = first.astimezone(timezone.utc).astimezone(zone)
    if shifted.replace(tzinfo=None) != naive:
        raise _Skipped(
            f"{text.strip()!r} does not exist in {zone.key}: the clocks go forward there "
            f"(from {_offset(first)} to {_offset(shifted)}); give a time outside the gap or "
            f"an offset, such as {format_timestamp(shifted)}"
        )
    return _fixed(first)


def _offset(value: datetime) -> str:
    return value.isoformat()[-6:]


def _fixed(value: datetime) -> datetime:
    """The same instant with a fixed offset, so arithmetic on it is in real time."""
    return value.astimezone(timezone(value.utcoffset() or timedelta(0)))


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
