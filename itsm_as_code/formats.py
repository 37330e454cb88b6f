"""The formats the schemas name, checked the way itsm reads the values.

A timestamp with a space instead of `T` (`2026-08-06 09:00:00+02:00`) is RFC 3339 (its
section 5.6 allows the space "for the sake of readability"), the schemas' pattern allows
it, ajv accepts it and `timefmt.parse_timestamp` reads it; the stock `date-time` checks of
jsonschema-rs and of jsonschema (rfc3339-validator) refuse it, and the second refuses a
leap second the first accepts. So itsm checks the format itself: the schemas' pattern,
then what `parse_timestamp` reads. jsonschema, which words the findings, is given this
check; the compiled bulk check (store/schema.py) checks the pattern and leaves the rest to
the model, which reads every time and hands one it cannot read back to jsonschema. What
passes is exactly what the model can read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from itsm_as_code.timefmt import parse_timestamp

if TYPE_CHECKING:
    from jsonschema import FormatChecker

# The `timestamp` pattern of every schema (tests/unit/test_formats.py checks they agree).
TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}"
                       r"(?:\.[0-9]{1,9})?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})")


def is_timestamp(value: object) -> bool:
    """True for RFC 3339 text with an offset that `parse_timestamp` reads; a value that is
    not text is for the schema's `type` to judge, so it passes here."""
    if not isinstance(value, str):
        return True
    if TIMESTAMP.fullmatch(value) is None:
        return False
    try:
        parse_timestamp(value)
    except ValueError:
        return False
    return True


# The formats itsm checks itself, by name (for jsonschema, and jsonschema-rs if asked).
FORMATS: dict[str, Callable[[object], bool]] = {"date-time": is_timestamp}


def format_checker() -> FormatChecker:
    """jsonschema's draft 2020-12 format checks, with FORMATS in place of its own."""
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker(())
    checker.checkers = dict(Draft202012Validator.FORMAT_CHECKER.checkers)
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    return checker
