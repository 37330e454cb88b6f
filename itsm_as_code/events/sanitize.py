"""Payload text made safe in one place, as the JSON is read.

Every string of an alert payload, keys included, may end up in a record file, a commit
message or the output. Here, once, control characters (C0 but tab and newline, DEL and
C1) and the non-characters U+FFFE and U+FFFF are dropped, and a lone surrogate (which
JSON's `\\ud800` escapes allow, and UTF-8 cannot encode) becomes U+FFFD. A number longer
than Python converts (4,300 digits) is refused with its position instead of failing
inside the parser.
"""

from __future__ import annotations

import json
import re
from typing import Any

from itsm_as_code.errors import UsageError

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Python's default limit on converting digits to an int (the CVE-2020-10735 guard).
MAX_DIGITS = 4300
# Where a too long number is: after the `:`, `[` or `,` that starts a JSON value.
_LONG_NUMBER = re.compile(rf"(?<=[:\[,])\s*(-?\d{{{MAX_DIGITS + 1},}})")


class _TooLong(Exception):
    def __init__(self, digits: int) -> None:
        self.digits = digits


def clean(text: str) -> str:
    """`text` without control characters, its lone surrogates replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", _UNSAFE.sub("", text))


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _TooLong(len(digits.lstrip("-")))
    try:
        return int(digits)
    except ValueError:  # an interpreter set to a lower limit than Python's default
        raise _TooLong(len(digits.lstrip("-"))) from None


def _cleaned(value: Any) -> Any:
    # Recursion as deep as json.loads's own: a structure it could build is walked too.
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {clean(key): _cleaned(item) for key, item in value.items()}
    return value


def loads(text: str, payload: str) -> Any:
    """The JSON value of `text` with every string cleaned; JSON errors propagate as
    `json.loads` raises them, a too long number is a UsageError naming its place."""
    try:
        return _cleaned(json.loads(text, parse_int=_int))
    except _TooLong as error:
        found = _LONG_NUMBER.search(text)
        where = ""
        if found is not None:
            start = found.start(1)
            line = text.count("\n", 0, start) + 1
            where = f":{line}:{start - text.rfind(chr(10), 0, start)}"
        raise UsageError(f"{payload}{where}: a number of {error.digits:,} digits; at most "
                         f"{MAX_DIGITS:,} are read; nothing was written") from None
