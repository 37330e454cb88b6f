"""Known errors' `match` patterns, run safely on incident text.

Patterns come from records in pull requests, so a pattern may be written to backtrack
for ever (`(a|aa)+$`). They run on the `regex` package, which takes a time limit per
search, on text cut to a bounded length; a pattern that runs out of time once is set
aside for the rest of the run and reported, never retried on every incident.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

# Per search: ample for any sane pattern on MAX_TEXT characters (microseconds), short
# enough that a hostile pattern costs a run a fraction of a second.
TIMEOUT_SECONDS = 0.05
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
    """Compile with Python's `re` syntax (the `regex` package's version 0 is compatible);
    an invalid pattern is kept with its error, to be reported instead of used."""
    try:
        compiled = regex.compile(text, regex.IGNORECASE | regex.VERSION0)
    except (regex.error, OverflowError, RecursionError) as error:
        return Pattern(owner, index, text, None, str(error))
    return Pattern(owner, index, text, compiled)


@dataclass
class Matcher:
    """Runs patterns under the time limit; remembers those that ran out of time."""

    timeout: float = TIMEOUT_SECONDS
    timed_out: dict[tuple[str, int], Pattern] = field(default_factory=dict)

    def search(self, pattern: Pattern, text: str) -> bool:
        """Whether the pattern is found in (the first MAX_TEXT characters of) `text`."""
        key = (pattern.owner, pattern.index)
        if pattern.compiled is None or key in self.timed_out:
            return False
        try:
            return pattern.compiled.search(text[:MAX_TEXT], timeout=self.timeout) is not None
        except TimeoutError:
            self.timed_out[key] = pattern
            return False
