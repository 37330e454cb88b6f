"""Calendars and SLA targets that the clocks can use.

The schema checks their shape; these rules check their meaning, with the same readers
the SLA clocks use (itsm_as_code.sla.spec), so what validates is what the clocks count:
a known time zone, ranges that run forward and do not overlap, some working time at
all, a holiday country the `holidays` package knows, and targets above zero.
"""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.model.types import SLA, Calendar
from itsm_as_code.rule import Hit
from itsm_as_code.sla.spec import read_calendar, read_sla
from itsm_as_code.validation.rules.base import Judged


def calendar(judged: Judged) -> Iterator[Hit]:
    for record, value in judged.values("Calendar", Calendar):
        _, flaws = read_calendar(value)
        for flaw in flaws:
            yield Hit(record, flaw.text, flaw.at)


def sla_targets(judged: Judged) -> Iterator[Hit]:
    for record, value in judged.values("SLA", SLA):
        _, flaws = read_sla(value)
        for flaw in flaws:
            yield Hit(record, flaw.text, flaw.at)
