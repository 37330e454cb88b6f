"""Evidence a run reports (`--evidence KEY=VALUE`): values read by their type, and the
rules a good run's values keep.

Types: `number` (a decimal number), `bytes` (a whole number of bytes; `2048`, `700MB` or
`1.5GiB` are read, units of 1000 and of 1024), `text`, `url` (http or https) and
`checksum` (hex digits, optionally after an algorithm name: `sha256:9f86d0...`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from itsm_as_code.model.types.operations import EvidenceRule

Value = int | float | str
MAX_TEXT = 500
_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
_BYTES = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*([a-z]*)$")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[+-]?[0-9]+)?$")
_CHECKSUM = re.compile(r"^(?:[a-z0-9-]{1,20}:)?[0-9a-f]{8,128}$")
_URL = re.compile(r"^https?://[^\s]{1,2000}$")


def read_value(rule: EvidenceRule, text: str) -> Value:
    """The value of `text` as `rule`'s type; ValueError saying what was expected."""
    text = text.strip()
    if rule.type == "number":
        if not _NUMBER.match(text.lower()) or len(text) > 40:
            raise ValueError(f"{rule.key}={text!r} is not a number")
        number = float(text)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if rule.type == "bytes":
        found = _BYTES.match(text.lower())
        if found is None or found.group(2) not in _UNITS or len(text) > 40:
            raise ValueError(f"{rule.key}={text!r} is not a size in bytes (such as 2048, "
                             "700MB or 1.5GiB)")
        return int(float(found.group(1)) * _UNITS[found.group(2)])
    if rule.type == "url" and not _URL.match(text):
        raise ValueError(f"{rule.key}={text!r} is not an http or https link")
    if rule.type == "checksum":
        if not _CHECKSUM.match(text.lower()):
            raise ValueError(f"{rule.key}={text!r} is not a checksum (hex digits, optionally "
                             "after `sha256:`)")
        return text.lower()
    if not text or len(text) > MAX_TEXT or not text.isprintable():
        raise ValueError(f"{rule.key}: a text of 1 to {MAX_TEXT} printable characters")
    return text


def stored(rule: EvidenceRule, value: object) -> Value | None:
    """A value as a check-in file holds it, if it is one of `rule`'s type."""
    if isinstance(value, bool):
        return None
    if rule.type in ("number", "bytes"):
        if isinstance(value, int | float) and value == value and abs(value) != float("inf"):
            return value
        return None
    if isinstance(value, str):
        try:
            return read_value(rule, value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Breach:
    """One evidence rule a run broke."""

    key: str
    message: str


def breaches(rules: tuple[EvidenceRule, ...], values: Mapping[str, object],
             previous: Mapping[str, Value]) -> Iterator[Breach]:
    """The rules a good run's `values` break; `previous` holds the values of the good
    runs before it (the latest of each key)."""
    for rule in rules:
        value = stored(rule, values[rule.key]) if rule.key in values else None
        if rule.key not in values:
            if rule.required:
                yield Breach(rule.key, f"{rule.key} was not reported")
            continue
        if value is None:
            yield Breach(rule.key, f"{rule.key} is not a {rule.type} value")
            continue
        if not isinstance(value, int | float):
            continue
        yield from _limits(rule, value, previous.get(rule.key))


def _limits(rule: EvidenceRule, value: float, before: Value | None) -> Iterator[Breach]:
    shown = _show(rule, value)
    if rule.min is not None and value < rule.min:
        yield Breach(rule.key, f"{rule.key} {shown} is below the least allowed, "
                     f"{_show(rule, rule.min)}")
    if rule.max is not None and value > rule.max:
        yield Breach(rule.key, f"{rule.key} {shown} is above the most allowed, "
                     f"{_show(rule, rule.max)}")
    if not isinstance(before, int | float) or before <= 0:
        return
    ratio = value / before
    if rule.min_ratio_of_previous is not None and ratio < rule.min_ratio_of_previous:
        yield Breach(rule.key, f"{rule.key} {shown} is {ratio:.0%} of the previous run's "
                     f"{_show(rule, before)} (at least {rule.min_ratio_of_previous:.0%})")
    if rule.max_ratio_of_previous is not None and ratio > rule.max_ratio_of_previous:
        yield Breach(rule.key, f"{rule.key} {shown} is {ratio:.0%} of the previous run's "
                     f"{_show(rule, before)} (at most {rule.max_ratio_of_previous:.0%})")


def _show(rule: EvidenceRule, value: float) -> str:
    """Bytes as people read them (`1.2 GiB`), other numbers as written."""
    if rule.type != "bytes":
        return f"{value:g}"
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if abs(value) >= size:
            return f"{value / size:.1f} {unit}"
    return f"{value:g} bytes"
