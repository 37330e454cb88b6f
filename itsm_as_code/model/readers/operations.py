"""Routines, read from their records' data.

A reader trusts the schema: it runs only on records that passed it, and a missing
optional field becomes None, empty or its schema default (model/build.py holds the
registry of readers by kind).
"""

from __future__ import annotations

from itsm_as_code.model.readers.values import Data, maybe
from itsm_as_code.model.types.operations import EvidenceRule, Routine
from itsm_as_code.timefmt import parse_duration


def routine(data: Data) -> Routine:
    get = data.get
    kind, text = next(iter(data["schedule"].items()))
    evidence = tuple(
        EvidenceRule(key, rule["type"], rule.get("required", True), rule.get("min"),
                       rule.get("max"), rule.get("min_ratio_of_previous"),
                       rule.get("max_ratio_of_previous"), rule.get("description"))
        for key, rule in (get("evidence") or {}).items())
    return Routine(data["id"], data["name"], data["service"], data["team"], (kind, text),
                     parse_duration(data["grace"]), get("timezone"), get("calendar"),
                     maybe(get("since")), evidence, get("runbook"), get("description"))
