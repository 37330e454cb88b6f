"""An SLA's escalation levels rise: each level of a clock names a larger share of the
target than the one written before it, so the highest level reached is the last one
reached. (The schema checks that each share lies in 1..1000; the `reference` rule that
named people and teams exist.)"""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.model.types.organisation import SLA
from itsm_as_code.rule import Hit
from itsm_as_code.sla.spec import METRICS
from itsm_as_code.validation.rules.base import Judged


def rising(judged: Judged) -> Iterator[Hit]:
    for record, sla in judged.values("SLA", SLA):
        last: dict[str, int] = {}  # metric -> index of its latest level so far
        for index, level in enumerate(sla.escalations):
            for metric in METRICS if level.metric is None else (level.metric,):
                before = last.get(metric)
                last[metric] = index
                if before is None or sla.escalations[before].at < level.at:
                    continue
                yield Hit(record, (
                    f"escalations[{index}]: {level.at}% does not rise above "
                    f"escalations[{before}] ({sla.escalations[before].at}%) for the {metric} "
                    "clock: write the levels of a clock from the smallest share of the "
                    "target to the largest"), ("escalations", index, "at"))
                break  # one finding per level, even when it applies to both clocks
