"""A request type's form: whether an answer fits its question, and whether a question's
pattern is safe to run. The one definition read by the `request-answers` and
`request-type` rules and by whatever takes answers from people (the service desk).

Patterns come from pull requests and answers from anyone, so a pattern must not be able
to take exponential time: Python's engines backtrack, and a repeat inside a repeat
(`(a+)+`), an alternation inside a repeat (`(a|ab)*`) or a backreference can take
exponential time on a short answer. Such patterns are refused (regexsafe.py, which
known errors' patterns share); the rest run with `regex`, with a time limit as a last
guard (polynomial cases such as `a*a*a*b`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from datetime import date
from typing import Any

import regex

from itsm_as_code.model.types.catalogue import Answer, FormField
from itsm_as_code.regexsafe import compile_checked
from itsm_as_code.yamlerrors import shown

MAX_PATTERN = 200  # characters; the schema says so too
MATCH_SECONDS = 0.25
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def compile_pattern(text: str) -> regex.Pattern[str] | str:
    """The pattern compiled, or why it cannot be used (a sentence with the fix)."""
    return compile_checked(text, max_length=MAX_PATTERN, refuse_backtracking=True)


def fits(pattern: str, value: str) -> bool | None:
    """Whether `value` matches `pattern` in full, as every reader of answers checks it:
    None when the match ran out of time. A pattern that cannot be used refuses nothing
    (the request type's own finding says why)."""
    compiled = compile_pattern(pattern)
    if isinstance(compiled, str):
        return True
    try:
        return compiled.fullmatch(value, timeout=MATCH_SECONDS) is not None
    except TimeoutError:
        return None


def problem(question: FormField, value: Answer, people: Collection[str]) -> str | None:
    """What is wrong with `value` as the answer to `question` (None: nothing), as the end
    of a sentence that starts with the answer's name."""
    kind = question.type
    if kind in ("text", "textarea", "date", "choice", "person") and not isinstance(value, str):
        return f"is {_a(value)}, but the question takes {_takes(question)}"
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return f"is {_a(value)}, but the question takes a number"
    if kind == "checkbox" and not isinstance(value, bool):
        return f"is {_a(value)}, but the question takes true or false"
    if kind == "multichoice" and not isinstance(value, tuple):
        return f"is {_a(value)}, but the question takes a list of {_options(question)}"
    if isinstance(value, str):
        return _text(question, value, people)
    if isinstance(value, tuple):
        for item in value:
            if item not in question.options:
                return _not_an_option(item, question, "names")
        if len(set(value)) < len(value):
            return "names a choice twice: name each once"
    return None


def empty(question: FormField, value: Answer | None) -> bool:
    """Whether `value` leaves a required question unanswered (a checkbox: unticked)."""
    if question.type == "checkbox":
        return value is not True
    return value is None or value in ("", ()) or (isinstance(value, str) and not value.strip())


def _text(question: FormField, value: str, people: Collection[str]) -> str | None:
    kind = question.type
    if kind == "text" and "\n" in value:
        return "holds several lines, but the question takes one line: write one"
    if kind == "date" and not _is_date(value):
        return (f"is '{shown(value)}', which is not a date: write it as YYYY-MM-DD, such as "
                "2026-11-30")
    if kind == "choice" and value not in question.options:
        return _not_an_option(value, question, "is")
    if kind == "person" and value not in people:
        return (f"is '{shown(value)}', which is no Person id"
                + (_close(value, people) or ": give the id of a Person record"))
    if kind == "text" and question.pattern is not None:
        matched = fits(question.pattern, value)
        if matched is None:
            return "could not be checked against the pattern in time: simplify the pattern"
        if not matched:
            return (f"is '{shown(value)}', which does not match the pattern "
                    f"{shown(question.pattern)}"
                    + (f": {shown(question.help)}" if question.help else ": answer in that form"))
    return None


def _is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _a(value: Any) -> str:
    for python_type, name in ((bool, "true or false"), (int, "a number"), (float, "a number"),
                              (str, "text"), (tuple, "a list")):
        if isinstance(value, python_type):
            return name
    return "empty"


def _takes(question: FormField) -> str:
    return {"text": "one line of text", "textarea": "text", "date": "a date (YYYY-MM-DD)",
            "choice": f"one of {_options(question)}", "person": "a Person id"}[question.type]


def _not_an_option(value: str, question: FormField, verb: str) -> str:
    return (f"{verb} '{shown(value)}', which is not one of {_options(question)}"
            + (_close(value, question.options) or ": answer one of them"))


def _options(question: FormField) -> str:
    return ", ".join(question.options)


def _close(value: str, choices: Collection[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f": did you mean '{close[0]}'?" if close else ""
