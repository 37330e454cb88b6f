"""Turn jsonschema's errors into messages that say what is wrong and how to fix it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from itsm_as_code.formats import format_checker
from itsm_as_code.timefmt import with_offset
from itsm_as_code.yamlerrors import shown

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

_NAIVE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
# An offset but no seconds (`2026-12-06T04:40+01:00`): RFC 3339 requires them.
_NO_SECONDS = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2})([Zz]|[+-]\d{2}:\d{2})$")
_UTC = ZoneInfo("UTC")
_TYPE_NAMES = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "array": "a list", "object": "a mapping", "null": "null",
}


@dataclass(frozen=True)
class Explained:
    """One schema problem: where (a path into the document), and what to do."""

    at: tuple[str | int, ...]
    message: str
    key: bool = False
    missing: str | None = None
    guess: str | None = None


def validator_for(schema: dict[str, Any]) -> Draft202012Validator:
    """jsonschema's validator, imported only when a document has failed the fast check."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema, format_checker=format_checker())


def explain_all(validator: Draft202012Validator, instance: Any,
                zone: ZoneInfo | None = None) -> list[Explained]:
    """Every problem of `instance`, one message each. `zone`, itsm.yaml's time zone when
    known, gives the offset a timestamp written without one is suggested with (else UTC).

    A misspelt required field is one mistake, not two: when an unknown field's nearest
    name is a missing one, only the did-you-mean is kept.
    """
    found: list[Explained] = []
    for error in validator.iter_errors(instance):
        found.extend(_explain(error, zone))
    misspelt = {(p.at[:-1], p.guess) for p in found if p.guess is not None}
    return [p for p in found if (p.at, p.missing) not in misspelt]


def field_name(at: tuple[str | int, ...]) -> str:
    """`services[0].status` for ("services", 0, "status"); a key is input, so escaped."""
    text = ""
    for step in at:
        text += (f"[{step}]" if isinstance(step, int)
                 else (f".{shown(step)}" if text else shown(str(step))))
    return text or "the record"


def _explain(error: ValidationError, zone: ZoneInfo | None) -> Iterator[Explained]:
    at = tuple(error.absolute_path)
    name = field_name(at)
    check, value = error.validator, error.instance
    expected: Any = error.validator_value
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    if check in ("anyOf", "oneOf") and error.context:
        yield from _explain(_closest(error), zone)
    elif check == "additionalProperties" and isinstance(value, dict):
        allowed = list(schema.get("properties", {}))
        for extra in sorted(set(value) - set(allowed)):
            close = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
            yield Explained((*at, extra), _unknown_field(extra, allowed, at, close), key=True,
                            guess=close[0] if close else None)
    elif check == "required" and isinstance(value, dict):
        for missing in expected:
            if missing not in value:
                hint = schema.get("properties", {}).get(missing, {}).get("description")
                where = f" in {name}" if at else ""
                message = f"missing field '{missing}'{where}"
                message += f" ({_lower(hint).rstrip('.')}): add it" if hint else ": add it"
                yield Explained(at, message, missing=missing)
    elif check == "const":
        yield Explained(at, f"{name} must be {_show(expected)}, not {_show(value)}")
    elif check == "enum":
        choices = [str(choice) for choice in expected]
        message = f"{name}: {_show(value)} is not one of {', '.join(choices)}"
        close = (difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
                 if isinstance(value, str) else [])
        yield Explained(at, message + (f": did you mean '{close[0]}'?" if close else ""))
    elif check == "type":
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in _as_list(expected))
        yield Explained(at, f"{name} must be {wanted}, not {_type_of(value)}")
    elif check in ("pattern", "format"):
        yield Explained(at, _bad_text(name, value, schema, zone))
    else:
        yield Explained(at, f"{name}: {shown(error.message)}")


def _closest(error: ValidationError) -> ValidationError:
    """Of an anyOf's failed branches, the one that fits the value's type."""
    typed = [e for e in error.context or () if e.validator != "type" or e.path]
    from jsonschema.exceptions import best_match

    closest: ValidationError = best_match(typed or error.context or [error])
    return closest


def _unknown_field(
    extra: str, allowed: list[str], at: tuple[str | int, ...], close: list[str]
) -> str:
    where = f" in {field_name(at)}" if at else ""
    if close:
        return f"unknown field '{shown(extra)}'{where}: did you mean '{close[0]}'?"
    return f"unknown field '{shown(extra)}'{where}: allowed fields are {', '.join(allowed)}"


def _bad_text(name: str, value: Any, schema: dict[str, Any], zone: ZoneInfo | None) -> str:
    # The suggestion is whole RFC 3339 (seconds included), so pasting it validates.
    fixed = with_offset(value, zone or _UTC) if isinstance(value, str) and _NAIVE.match(value) \
        else None
    if fixed is not None:
        where = f"{zone.key}, itsm.yaml's time zone" if zone is not None else "UTC"
        return f"{name}: timestamp {_show(value)} has no offset: add one, such as {fixed} ({where})"
    seconds = _NO_SECONDS.match(value) if isinstance(value, str) else None
    if seconds is not None:
        return (f"{name}: timestamp {_show(value)} has no seconds: write them, such as "
                f"{seconds.group(1)}T{seconds.group(2)}:00{seconds.group(3)}")
    hint = schema.get("description")
    return f"{name}: {_show(value)} is not valid" + (f": expected {_lower(hint)}" if hint else "")


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _as_list(value: Any) -> list[str]:
    return list(value) if isinstance(value, list) else [str(value)]


def _type_of(value: Any) -> str:
    for python_type, name in ((bool, "boolean"), (int, "integer"), (float, "number"),
                              (str, "string"), (list, "array"), (dict, "object")):
        if isinstance(value, python_type):
            return _TYPE_NAMES[name]
    return _TYPE_NAMES["null"] if value is None else type(value).__name__


def _show(value: Any) -> str:
    # Escaped, so a bidirectional control cannot make the message read in another order.
    text = repr(value) if not isinstance(value, str) else f"'{shown(value)}'"
    return text if len(text) <= 80 else text[:77] + "..."
