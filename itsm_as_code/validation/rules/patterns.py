"""Known errors' `match` patterns compile, with the engine and the limits `kedb match` uses.

Checking with `re` and matching with `regex` let a pattern pass that `regex` cannot
compile: it unrolls a counted repeat, so `(?:x{65535}){65535}` (16 characters) asks it
for billions of steps and the memory of the machine. The size the pattern unrolls to is
estimated from its parse before compiling (bounded), and the compile is timed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import regex

from itsm_as_code.model.types import KnownError
from itsm_as_code.rule import Hit
from itsm_as_code.validation.rules.base import Judged
from itsm_as_code.yamlerrors import shown

try:  # the parser `re` compiles with: re._parser from 3.11, sre_parse before
    from re import _parser  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _parser  # type: ignore[no-redef,unused-ignore]

# Steps a pattern may unroll to: the demo's longest has 40; 100,000 compile in about
# 50 ms with `regex`, ten times that in half a second.
MAX_STEPS = 100_000
COMPILE_SECONDS = 0.5
FLAGS = regex.IGNORECASE | regex.VERSION0  # VERSION0: Python's `re` syntax
_REPEATS = {name for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
            if hasattr(_parser, name)}


def compile_match(text: str, clock: Callable[[], float] = time.perf_counter
                  ) -> regex.Pattern[str] | str:
    """The pattern compiled as `kedb match` runs it, or why it cannot be used."""
    try:
        steps = _steps(_parser.parse(text, re.IGNORECASE))
    except re.error as error:
        # re's words may quote a part of the pattern: escaped, as all quoted input.
        return (f"is not a valid regular expression: {shown(error.msg)}"
                + (f" at position {error.pos}" if error.pos is not None else "")
                + ": fix it or quote special characters with a backslash")
    except RecursionError:
        return "nests groups too deeply to compile: write it flatter"
    if steps > MAX_STEPS:
        return (f"unrolls to more than {MAX_STEPS:,} steps when compiled (counted repeats "
                "multiply: (?:x{100}){100} is 10,000): write smaller counts, or + and *")
    started = clock()
    try:
        compiled = regex.compile(text, FLAGS)
    except (regex.error, OverflowError, RecursionError, MemoryError) as error:
        return f"cannot be compiled: {shown(str(error))}"
    spent = clock() - started
    if spent > COMPILE_SECONDS:
        return (f"took {spent:.1f} s to compile (at most {COMPILE_SECONDS} s): write it "
                "shorter or with smaller counted repeats")
    return compiled


def _steps(parsed: Any) -> int:
    """About how many steps `regex` unrolls a parsed pattern to; stops counting past
    MAX_STEPS, so a hostile count costs nothing here."""
    total = 0
    for op, argument in parsed:
        if str(op) in _REPEATS:
            low, high, inner = argument
            # `regex` writes out the `low` copies a repeat needs, and one more for the rest.
            total += _steps(inner) * (max(low, 1) + (high != low))
        else:
            total += 1 + sum(_steps(part) for part in _nested(argument))
        if total > MAX_STEPS:
            return MAX_STEPS + 1
    return total


def _nested(argument: Any) -> Iterator[Any]:
    """The sub-patterns inside an operation's argument (groups, branches, assertions)."""
    if isinstance(argument, _parser.SubPattern):
        yield argument
    elif isinstance(argument, (tuple, list)):
        for item in argument:
            yield from _nested(item)


def compile_(judged: Judged) -> Iterator[Hit]:
    for record, known in judged.values("KnownError", KnownError):
        for index, pattern in enumerate(known.match):
            found = compile_match(pattern)
            if isinstance(found, str):
                yield Hit(record, f"match[{index}] {found}", ("match", index))
