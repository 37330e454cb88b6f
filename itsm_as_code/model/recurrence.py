"""Recurring maintenance windows: the one expansion of a window's rule into occurrences.

A window with `recurrence` stands for a series: each start its RFC 5545 rule yields from
`scheduled_start` on, read as local time in the rule's time zone (python-dateutil's
rrule), begins an occurrence as long as the first one (`scheduled_start` to
`scheduled_end`). Every reader (status at a moment, the site, the Statuspage API,
availability, alert ingestion) asks here for occurrences and treats each as a one-off
window with an id of its own (`MNT-0003.20261129T0100Z`, the start in UTC), so none of
them knows about rules.

The rule is read, bounded and expanded by model/rrules.py, as routines' rules are: a
start in the hour skipped when the clocks go forward happens when they jump (02:30
becomes 03:00); a start in the hour that repeats when they go back happens at its first
instance. Durations are elapsed time.

Timeline entries act on the series as known at `now`: a move to `completed` or
`canceled` ends it (no occurrence starts later; one under way ends there); an entry with
`scheduled_end` moves the end of the occurrence under way, or else of the next one. Each
occurrence carries the entries written since the previous one ended, without their
status (an occurrence's status follows the clock), and the alerts that started in it.

Bounded: a series yields at most MAX_OCCURRENCES, and rules more often than daily are
refused beside those model/rrules.py refuses everywhere (whose expansion could run without
end); a window whose rule cannot be used stands for its first occurrence alone (`itsm
validate` says why).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from itertools import islice
from zoneinfo import ZoneInfo

from itsm_as_code.model.rrules import (
    FREQUENCIES,
    Policy,
    Recurring,
    RuleError,
    read_rule,
    starts,
)
from itsm_as_code.model.types.itil import Maintenance, Recurrence

MAX_OCCURRENCES = 10_000
MAINTENANCE = Policy(FREQUENCIES[:4], "FREQ={freq}: a maintenance window repeats DAILY, WEEKLY, "
                     "MONTHLY or YEARLY (several times a day: FREQ=DAILY;BYHOUR=2,14)")
_ENDS_SERIES = frozenset({"completed", "canceled"})


@lru_cache(maxsize=1024)
def compiled(rule: str, zone: str, start: datetime) -> Recurring:
    """The rule counted from `start` (local to `zone`), or RuleError."""
    try:
        local = ZoneInfo(zone)
    except (ValueError, KeyError, OSError) as error:  # ZoneInfoNotFoundError is a KeyError
        raise RuleError(f"unknown time zone {zone!r}") from error
    return read_rule(rule, start.astimezone(local), MAINTENANCE)


def problem(window: Maintenance) -> str | None:
    """Why the window's recurrence cannot be used, or None when it can."""
    if window.recurrence is None:
        return None
    try:
        compiled(window.recurrence.rule, window.recurrence.timezone, window.scheduled_start)
    except RuleError as error:
        return str(error)
    return None


def occurrences(window: Maintenance, now: datetime, until: datetime) -> list[Maintenance]:
    """The windows `window` stands for that start before `until`, as known at `now`:
    itself when it does not recur; each occurrence otherwise (at most MAX_OCCURRENCES)."""
    if window.recurrence is None:
        return [window] if window.scheduled_start < until else []
    found = []
    for occurrence in _series(window, window.recurrence, now):
        if occurrence.scheduled_start >= until:
            break
        found.append(occurrence)
    return found


def following(window: Maintenance, now: datetime) -> Maintenance | None:
    """The first occurrence of a recurring window that starts after `now`, if any."""
    if window.recurrence is None:
        return None
    return next((o for o in _series(window, window.recurrence, now)
                 if o.scheduled_start > now), None)


def _starts(window: Maintenance, recurrence: Recurrence) -> Iterator[datetime]:
    try:
        rule = compiled(recurrence.rule, recurrence.timezone, window.scheduled_start)
    except RuleError:
        yield window.scheduled_start
        return
    yield from islice(starts(rule, ZoneInfo(recurrence.timezone)), MAX_OCCURRENCES)


def _series(window: Maintenance, recurrence: Recurrence, now: datetime
            ) -> Iterator[Maintenance]:
    ended = next((entry.at for entry in window.timeline
                  if entry.at <= now and entry.status in _ENDS_SERIES), None)
    length = window.scheduled_end - window.scheduled_start
    extensions = [(at, end) for at, end in recurrence.extensions if at <= now]
    previous: datetime | None = None
    for start in _starts(window, recurrence):
        if ended is not None and start >= ended:
            return
        end = start + length
        for at, new_end in extensions:
            if (previous is None or previous <= at) and at < end and new_end > start:
                end = new_end
        if ended is not None:
            end = min(end, ended)
        entries = tuple(entry._replace(status=None) for entry in window.timeline
                        if (previous is None or previous <= entry.at) and entry.at < end)
        alerts = tuple(alert for alert in window.alerts if alert.started_at is not None
                       and start <= alert.started_at < end)
        yield replace(window, id=f"{window.id}.{start:%Y%m%dT%H%MZ}", scheduled_start=start,
                      scheduled_end=end, status="scheduled", timeline=entries,
                      recurrence=None, alerts=alerts, series=window.id)
        previous = end
