"""Known errors' `match` patterns, run safely on incident text.

Patterns come from records in pull requests, so a pattern may be written to backtrack
for ever (`(a|aa)+$`) or to unroll into billions of steps (`(?:x{65535}){65535}`). They
are compiled as `itsm validate` checks them (one function, the same limits) and run on
the `regex` package, which takes a time limit per search, on text cut to a bounded
length; a pattern that runs out of time once is set aside for the rest of the run and
reported, never retried on every incident. A run as a whole has a time budget too: many
patterns over many messages add up even when each search is quick.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from itsm_as_code.validation.rules.patterns import compile_match

# Per search: ample for any sane pattern on MAX_TEXT characters (microseconds), short
# enough that a hostile pattern costs a run a fraction of a second.
TIMEOUT_SECONDS = 0.05
# Per run: the demo matches in milliseconds; 1,000 patterns that each time out once, or
# 10 slow ones over 1,000 messages, would take minutes.
BUDGET_SECONDS = 10.0
# Incident titles are at most 200 characters; timeline messages can be long, and
# symptoms show in their first lines.
MAX_TEXT = 2000


@dataclass(frozen=True)
class Pattern:
    """One `match[index]` of a known error, compiled case-insensitively."""

    owner: str  # the known error's id
    index: int
    text: str
    compiled: regex.Pattern[str] | None  # None: the pattern does not compile
    error: str | None = None


def compile_pattern(owner: str, index: int, text: str) -> Pattern:
    """Compile as `itsm validate` checks; a pattern that cannot be used is kept with the
    reason, to be reported instead of used."""
    compiled = compile_match(text)
    if isinstance(compiled, str):
        return Pattern(owner, index, text, None, compiled)
    return Pattern(owner, index, text, compiled)


@dataclass
class Matcher:
    """Runs patterns under the time limits; remembers those that ran out of time, and
    whether the run's budget is spent (after which every search finds nothing)."""

    timeout: float = TIMEOUT_SECONDS
    budget: float = BUDGET_SECONDS
    clock: Callable[[], float] = time.monotonic
    timed_out: dict[tuple[str, int], Pattern] = field(default_factory=dict)
    started: float | None = None

    @property
    def spent(self) -> bool:
        return self.started is not None and self.clock() - self.started > self.budget

    def search(self, pattern: Pattern, text: str) -> bool:
        """Whether the pattern is found in (the first MAX_TEXT characters of) `text`."""
        if self.started is None:
            self.started = self.clock()
        key = (pattern.owner, pattern.index)
        if pattern.compiled is None or key in self.timed_out or self.spent:
            return False
        try:
            return pattern.compiled.search(text[:MAX_TEXT], timeout=self.timeout) is not None
        except TimeoutError:
            self.timed_out[key] = pattern
            return False
