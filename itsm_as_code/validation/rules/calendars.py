"""Calendars and SLA targets that the clocks can use.

The schema checks their shape; these rules check their meaning, with the same readers
the SLA clocks use (itsm_as_code.sla.spec), so what validates is what the clocks count:
a known time zone, ranges that run forward and do not overlap, some working time at
all, a holiday country the `holidays` package knows, targets above zero, and business
days (`3bd`) only where a calendar has working hours.
"""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.model.types.organisation import SLA, Calendar
from itsm_as_code.rule import Hit
from itsm_as_code.sla.spec import plain_days, read_calendar, read_sla, working_hours
from itsm_as_code.validation.rules.base import Judged


def calendar(judged: Judged) -> Iterator[Hit]:
    for record, value in judged.values("Calendar", Calendar):
        _, flaws = read_calendar(value)
        for flaw in flaws:
            yield Hit(record, flaw.text, flaw.at)


def sla_targets(judged: Judged) -> Iterator[Hit]:
    for record, value in judged.values("SLA", SLA):
        _, flaws = read_sla(value, working_hours(value, judged.model.calendars))
        for flaw in flaws:
            yield Hit(record, flaw.text, flaw.at)


def sla_days(judged: Judged) -> Iterator[Hit]:
    """Targets in days on a working-time calendar: `3d` there is 72 working hours."""
    for record, value in judged.values("SLA", SLA):
        for flaw in plain_days(value, working_hours(value, judged.model.calendars)):
            yield Hit(record, flaw.text, flaw.at)
