"""Regular expressions written in records, checked before they run: the one parse, walk
and compile for known errors' `match` patterns and request forms' `pattern`s.

A pattern comes from a pull request and runs on text from anyone, with the `regex`
package (it takes a time limit per search). Two things can still hurt:

- compiling: `regex` unrolls a counted repeat, so `(?:x{65535}){65535}` (19 characters)
  asks it for billions of steps and the memory of the machine. The steps a pattern
  unrolls to are estimated from re's parse tree before compiling (bounded), and the
  compile is timed;
- matching: a backtracking engine takes exponential time on a short text for a repeat
  inside a repeat (`(a+)+`), an alternation inside a repeat (`(a|ab)*`) or a
  backreference. Callers that run a pattern on people's answers refuse those shapes.

Each check answers with the compiled pattern or the end of a sentence that says why it
cannot be used and how to fix it (the caller puts the field's name in front).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import regex

from itsm_as_code.yamlerrors import shown

try:  # the parser `re` compiles with: re._parser from 3.11, sre_parse before
    from re import _parser  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _parser  # type: ignore[no-redef,unused-ignore]

# Steps a pattern may unroll to: the demo's longest has 40; 100,000 compile in about
# 50 ms with `regex`, ten times that in half a second.
MAX_STEPS = 100_000
COMPILE_SECONDS = 0.5
_REPEATS = {name for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
            if hasattr(_parser, name)}
_BACKREFERENCES = {"GROUPREF", "GROUPREF_EXISTS"}


def compile_checked(text: str, *, ignore_case: bool = False, max_length: int | None = None,
                    refuse_backtracking: bool = False,
                    clock: Callable[[], float] = time.perf_counter) -> regex.Pattern[str] | str:
    """`text` compiled with `regex` in Python's `re` syntax, or why it cannot be used.

    Always checked: it parses, it unrolls to at most MAX_STEPS steps, it compiles within
    COMPILE_SECONDS. With `max_length`, a longer text is refused first; with
    `refuse_backtracking`, so are the shapes that can take exponential time to match.
    """
    if max_length is not None and len(text) > max_length:
        return f"is longer than {max_length} characters: write it shorter"
    try:
        parsed = _parser.parse(text, re.IGNORECASE if ignore_case else 0)
    except re.error as error:
        # re's words may quote a part of the pattern: escaped, as all quoted input.
        return (f"is not a valid regular expression: {shown(error.msg)}"
                + (f" at position {error.pos}" if error.pos is not None else "")
                + ": fix it or quote special characters with a backslash")
    except RecursionError:
        return "nests groups too deeply to compile: write it flatter"
    if refuse_backtracking:
        why = _backtracks(parsed, inside_repeat=False)
        if why is not None:
            return why
    if _steps(parsed) > MAX_STEPS:
        return (f"unrolls to more than {MAX_STEPS:,} steps when compiled (counted repeats "
                "multiply: (?:x{100}){100} is 10,000): write smaller counts, or + and *")
    flags = regex.VERSION0 | (regex.IGNORECASE if ignore_case else 0)  # VERSION0: re's syntax
    started = clock()
    try:
        compiled = regex.compile(text, flags)
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


def _backtracks(parsed: Any, inside_repeat: bool) -> str | None:
    """Why matching the parsed pattern can take exponential time, or None."""
    for op, argument in parsed:
        name = str(op)
        if name in _BACKREFERENCES:
            return "uses a backreference, which can take exponential time: write it without"
        if name in _REPEATS:
            low, high, inner = argument
            if inside_repeat and high != low:
                return ("repeats a part that is itself repeated (such as (a+)+), which can "
                        "take exponential time: repeat only once")
            found = _backtracks(inner, inside_repeat or high != low)
        elif name == "BRANCH" and inside_repeat:
            return ("repeats an alternation (such as (a|ab)*), which can take exponential "
                    "time: use a character class ([ab]*) or repeat outside the choice")
        else:
            found = next((why for part in _nested(argument)
                          if (why := _backtracks(part, inside_repeat)) is not None), None)
        if found is not None:
            return found
    return None


def _nested(argument: Any) -> Iterator[Any]:
    """The sub-patterns inside an operation's argument (groups, branches, assertions)."""
    if isinstance(argument, _parser.SubPattern):
        yield argument
    elif isinstance(argument, (tuple, list)):
        for item in argument:
            yield from _nested(item)
