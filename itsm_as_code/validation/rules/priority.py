"""Priority follows from impact and urgency through itsm.yaml's matrix."""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.model.types.itil import Incident
from itsm_as_code.rule import Hit
from itsm_as_code.validation.rules.base import Judged


def check(judged: Judged) -> Iterator[Hit]:
    config = judged.repo.config
    for record, incident in judged.values("Incident", Incident):
        impact, urgency = incident.impact, incident.urgency
        expected = config.priority(impact, urgency)
        if expected is not None and incident.priority != expected:
            yield Hit(
                record,
                f"priority is {incident.priority} but impact {impact} x urgency {urgency} "
                f"gives {expected} (priority_matrix in itsm.yaml): set priority: {expected}",
                ("priority",),
            )
