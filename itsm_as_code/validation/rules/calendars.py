"""Calendars and SLA targets that the clocks can use.

The schema checks their shape; these rules check their meaning, with the same readers
the SLA clocks use (itsm_as_code.sla.spec), so what validates is what the clocks count:
a known time zone, ranges that run forward and do not overlap, some working time at
all, a holiday country the `holidays` package knows, and targets above zero.
"""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.findings import Finding
from itsm_as_code.sla.spec import CALENDAR_RULE, TARGET_RULE, read_calendar, read_sla
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository


def calendar(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    for record in records:
        if record.kind == "Calendar":
            _, problems = read_calendar(record.id, record.data)
            for problem in problems:
                yield record.finding(CALENDAR_RULE, problem.text, problem.at)


def sla_targets(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    for record in records:
        if record.kind == "SLA":
            _, problems = read_sla(record.id, record.data)
            for problem in problems:
                yield record.finding(TARGET_RULE, problem.text, problem.at)

