"""Trying a send again: exponential backoff with jitter, within a bound.

An attempt ends in an `Outcome`. A transient failure (a 5xx, a 429, a timeout, a dropped
connection, an SMTP 4xx reply) is tried again after `base * 2**(n-1)` seconds (at most
`cap`), half of it fixed and half random, so that runs failing together do not retry
together; a 429's or 503's `Retry-After` is waited for at least. Any other failure (a
4xx, a refused login, a missing secret) would fail the same way again and is final.
The bound is both a number of attempts and a total time: a wait that would end past the
total is not begun.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """How one attempt ended: `status` as people read it (`HTTP 200`, `HTTP 503 Service
    Unavailable`, `no answer within 10s`); `wait`, the seconds a Retry-After asked for;
    `fix`, for a failure whose cure is known here (a missing secret), what to do."""

    ok: bool
    status: str
    transient: bool = False
    wait: float | None = None
    fix: str | None = None


@dataclass(frozen=True)
class RetryPolicy:
    """How long to keep trying: `attempts` in all, within `total` seconds."""

    attempts: int = 5
    total: float = 120.0
    base: float = 1.0
    cap: float = 30.0

    def delay(self, attempt: int, jitter: float) -> float:
        """The wait after failed attempt number `attempt` (from 1), `jitter` in [0, 1)."""
        step = min(self.cap, self.base * 2.0 ** (attempt - 1))
        return step / 2 + step / 2 * jitter


@dataclass(frozen=True)
class Tried:
    """The last attempt's outcome, how many attempts were made, and why trying stopped
    early (None: it succeeded, failed for good, or used every attempt)."""

    outcome: Outcome
    attempts: int
    stopped: str | None = None

    @property
    def summary(self) -> str:
        """The outcome with the attempts it took, as a report shows it."""
        said = self.outcome.status
        if self.attempts > 1:
            said += f" after {self.attempts} attempts"
        return f"{said} ({self.stopped})" if self.stopped else said


def with_retries(attempt: Callable[[], Outcome], policy: RetryPolicy,
                 clock: Callable[[], float], sleep: Callable[[float], None],
                 jitter: Callable[[], float]) -> Tried:
    """`attempt` until it succeeds, fails for good, or the bound is reached."""
    started = clock()
    number = 0
    while True:
        number += 1
        outcome = attempt()
        if outcome.ok or not outcome.transient or number >= policy.attempts:
            return Tried(outcome, number)
        wait = policy.delay(number, jitter())
        if outcome.wait is not None:
            wait = max(wait, outcome.wait)
        if clock() - started + wait > policy.total:
            return Tried(outcome, number, f"waiting {wait:.0f}s more would pass the "
                         f"{policy.total:.0f}s bound")
        sleep(wait)
