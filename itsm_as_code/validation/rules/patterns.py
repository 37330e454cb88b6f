"""Known errors' `match` patterns compile, with the engine and the limits `kedb match` uses.

Checking with `re` and matching with `regex` let a pattern pass that `regex` cannot
compile: it unrolls a counted repeat, so `(?:x{65535}){65535}` asks it for billions of
steps. The checks are regexsafe.py's, shared with request forms' patterns.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import regex

from itsm_as_code.model.types.itil import KnownError
from itsm_as_code.regexsafe import compile_checked
from itsm_as_code.rule import Hit
from itsm_as_code.validation.rules.base import Judged


def compile_match(text: str, clock: Callable[[], float] = time.perf_counter
                  ) -> regex.Pattern[str] | str:
    """The pattern compiled as `kedb match` runs it (ignoring case), or why it cannot be
    used."""
    return compile_checked(text, ignore_case=True, clock=clock)


def compile_(judged: Judged) -> Iterator[Hit]:
    for record, known in judged.values("KnownError", KnownError):
        for index, pattern in enumerate(known.match):
            found = compile_match(pattern)
            if isinstance(found, str):
                yield Hit(record, f"match[{index}] {found}", ("match", index))
