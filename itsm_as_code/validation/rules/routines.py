"""Routines whose runs can be watched: a time zone or a calendar, a schedule that reads,
and evidence rules that fit their type.

The schedule is read by the one reader `itsm ops check` uses (model/schedule.py), so a
routine `itsm validate` accepts is one whose due times `itsm ops` can compute.
"""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.model.schedule import read_schedule, read_zone
from itsm_as_code.model.types.operations import Routine
from itsm_as_code.rule import Hit
from itsm_as_code.validation.rules.base import Judged

NUMERIC = ("number", "bytes")
NUMERIC_RULES = ("min", "max", "min_ratio_of_previous", "max_ratio_of_previous")


def schedule(judged: Judged) -> Iterator[Hit]:
    """A time zone or a calendar (one of them), and a schedule that reads in it."""
    for record, routine in judged.values("Routine", Routine):
        if (routine.timezone is None) == (routine.calendar is None):
            yield Hit(record, "give `timezone` or `calendar` (not both): the time zone the "
                      "schedule is read in")
            continue
        zone_name = routine.timezone
        if zone_name is None:
            calendar = judged.model.calendars.get(routine.calendar or "")
            if calendar is None:
                continue  # the `reference` rule names it
            zone_name = calendar.timezone
        try:
            zone = read_zone(zone_name)
        except ValueError as error:
            yield Hit(record, str(error), ("timezone",) if routine.timezone else ("calendar",))
            continue
        kind, text = routine.schedule
        try:
            read_schedule(kind, text, zone, routine.since)
        except ValueError as error:
            yield Hit(record, str(error), ("schedule", kind))


def evidence(judged: Judged) -> Iterator[Hit]:
    """Limits only on numbers and byte counts, and a least value not above the largest."""
    for record, routine in judged.values("Routine", Routine):
        for rule in routine.evidence:
            if rule.type not in NUMERIC:
                for name in NUMERIC_RULES:
                    if getattr(rule, name) is not None:
                        yield Hit(record, f"`{name}` compares numbers: a {rule.type} value "
                                  "has none (use type number or bytes)",
                                  ("evidence", rule.key, name), key=True)
            for low, high in (("min", "max"),
                              ("min_ratio_of_previous", "max_ratio_of_previous")):
                first, last = getattr(rule, low), getattr(rule, high)
                if first is not None and last is not None and first > last:
                    yield Hit(record, f"`{low}` ({first:g}) is above `{high}` ({last:g}): no "
                              "value could pass", ("evidence", rule.key, low))
