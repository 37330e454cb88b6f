"""Request types (the catalogue), read from their records' data.

A reader trusts the schema: it runs only on records that passed it, and a missing
optional field becomes None, empty or its schema default (model/build.py holds the
registry of readers by kind).
"""

from __future__ import annotations

from itsm_as_code.model.readers.values import Data
from itsm_as_code.model.types.catalogue import (
    ApprovalStage,
    Approvers,
    FormField,
    Fulfilment,
    FulfilmentStep,
    RequestType,
)


def request_type(data: Data) -> RequestType:
    get = data.get
    fulfilment = data["fulfilment"]
    steps = tuple(
        FulfilmentStep(str(number), step) if isinstance(step, str)
        else FulfilmentStep(step["id"], step["text"])
        for number, step in enumerate(fulfilment.get("steps", ()), start=1))
    stages = tuple(
        ApprovalStage(stage["name"], Approvers(
            stage["approvers"].get("policy_owners"), stage["approvers"].get("team"),
            tuple(stage["approvers"].get("people", ())),
            stage["approvers"].get("requester_lead", False)), stage.get("count", 1))
        for stage in data["approval"].get("stages", ()))
    form = tuple(
        FormField(item["id"], item["label"], item["type"], item.get("required", False),
                    tuple(item.get("options", ())), item.get("help"), item.get("pattern"))
        for item in get("form", ()))
    return RequestType(
        data["id"], data["name"], data["description"], data["service"],
        Fulfilment(fulfilment["team"], fulfilment.get("sla"), steps), stages, form,
        get("priority", "P4"), get("access_policy"))
