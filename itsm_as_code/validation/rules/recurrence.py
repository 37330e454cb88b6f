"""Recurring maintenance windows can be expanded, and service dependencies run one way.

A window's rule is read as every reader reads it (model/recurrence.py), so what passes
here is what the site, the API and alert ingestion expand. Dependencies are followed to
derive impact (a service that depends on one in outage is affected): a cycle would make
each service of it affect itself, so it is a finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.model.recurrence import compiled
from itsm_as_code.model.rrules import RuleError
from itsm_as_code.model.types.itil import Maintenance
from itsm_as_code.model.types.organisation import Service
from itsm_as_code.rule import Hit
from itsm_as_code.sla.country import suggest_zone
from itsm_as_code.validation.rules.base import Judged

RECURRENCE_RULE = "maintenance-recurrence"
CYCLE_RULE = "service-dependency"


def recurrence(judged: Judged) -> Iterator[Hit]:
    """Each window's rule and time zone can be expanded into occurrences."""
    for record, window in judged.values("Maintenance", Maintenance):
        rule = window.recurrence
        if rule is None:
            continue
        try:
            compiled(rule.rule, rule.timezone, window.scheduled_start)
        except RuleError as error:
            if str(error).startswith("unknown time zone"):
                yield Hit(record, f"recurrence.timezone: {error}{suggest_zone(rule.timezone)}: "
                          "write an IANA name such as Europe/Berlin",
                          ("recurrence", "timezone"))
            else:
                yield Hit(record, f"recurrence.rule: {error}", ("recurrence", "rule"))


def dependency_cycles(judged: Judged) -> Iterator[Hit]:
    """A service that depends on itself, directly or through other services."""
    services = judged.model.services
    for record, service in judged.values("Service", Service):
        path = _cycle(service.id, services)
        if path:
            yield Hit(record, f"depends_on: {' -> '.join(path)} is a cycle: a service cannot "
                      "depend on itself; remove one of these dependencies",
                      ("depends_on",))


def _cycle(start: str, services: dict[str, Service]) -> list[str] | None:
    """The shortest path of dependencies from `start` back to it, or None."""
    paths: dict[str, list[str]] = {start: [start]}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for current in frontier:
            node = services.get(current)
            for other in node.depends_on if node else ():
                if other == start:
                    return [*paths[current], start]
                if other not in paths:
                    paths[other] = [*paths[current], other]
                    following.append(other)
        frontier = following
    return None
