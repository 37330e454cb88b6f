"""The `--hours` options of `itsm new calendar` turned into a calendar's `hours`.

Each option is `always`, or ranges for Monday to Friday (`09:00-17:00`, several joined by
commas: `08:00-12:00,13:00-16:00`), or ranges for named days (`fri=09:00-15:00`,
`sat,sun=10:00-14:00`, `mon-thu=08:00-16:00`). Options add up: a day named on its own
takes its ranges from the options that name it, instead of the Monday-to-Friday ones.
Only the form of a range is checked here, with the schema's own pattern; what a range
means (forward, not overlapping) is the calendar rule's to say, as for any calendar.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from itsm_as_code.errors import UsageError
from itsm_as_code.resources import load_schema
from itsm_as_code.sla.spec import WEEKDAYS
from itsm_as_code.yamlerrors import shown

WORKWEEK = WEEKDAYS[:5]
ALWAYS = "always"


def read_hours(options: Sequence[str]) -> Any:
    """`always`, or the ranges of each working weekday in week order; UsageError on an
    option that is not one of the forms above."""
    texts = [option.strip() for option in options]
    if ALWAYS in texts:
        if len(texts) > 1:
            raise UsageError("--hours always means 24x7: give it alone, without ranges")
        return ALWAYS
    workweek: list[str] = []
    named: dict[str, list[str]] = {}
    for text in texts:
        days, sep, ranges = text.rpartition("=")
        parsed = _ranges(ranges)
        if not sep:
            workweek.extend(parsed)
            continue
        for day in _days(days):
            named.setdefault(day, []).extend(parsed)
    week = dict.fromkeys(WORKWEEK, workweek) | named
    # A list each: one shared list would be written as a YAML anchor and aliases.
    return {day: list(week[day]) for day in WEEKDAYS if week.get(day)}


def _ranges(text: str) -> list[str]:
    pattern = load_schema("calendar.schema.json")["$defs"]["ranges"]["items"]["pattern"]
    found = [part.strip() for part in text.split(",")]
    for part in found:
        if not re.fullmatch(pattern, part):
            raise UsageError(f"'{shown(part)}' is not a range: write HH:MM-HH:MM, e.g. "
                             "09:00-17:00, or 'always'")
    return found


def _days(text: str) -> list[str]:
    """`fri`, `sat,sun` or `mon-thu` as weekdays."""
    days: list[str] = []
    for part in text.split(","):
        first, _, last = part.strip().lower().partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise UsageError(f"'{shown(part.strip())}' is not a weekday: write mon, tue, wed, "
                             "thu, fri, sat or sun, or a span such as mon-thu")
        start, end = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        if end < start:
            raise UsageError(f"'{shown(part.strip())}' runs backwards: write the days from "
                             "Monday on, such as mon-thu")
        days.extend(WEEKDAYS[start:end + 1])
    return days
