"""New records of the request catalogue: a request type from `itsm new request-type`, and
the answers of a typed request from `itsm new request --type T --answer KEY=VALUE`."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from itsm_as_code.errors import UsageError
from itsm_as_code.model.model import Model
from itsm_as_code.model.types.catalogue import RequestType
from itsm_as_code.yamlerrors import shown

Fields = dict[str, Any]
# `--stage NAME:HOW`: how the stage is approved, as written after the colon.
_FLOAT = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?$")
APPROVERS = ("team=TEAM", "policy_owners=POLICY", "people=P1,P2", "requester_lead")


def request_type(
    model: Model, now: datetime, *, name: str, description: str, service: str, team: str,
    sla: str | None = None, priority: str = "P4", access_policy: str | None = None,
    fields: list[str], options: list[str], stages: list[str], steps: list[str],
) -> Fields:
    """A request type; see `itsm new request-type --help` for the option syntax."""
    form = [_field(text) for text in fields]
    for text in options:
        key, equals, choice = text.partition("=")
        found = next((item for item in form if item["id"] == key), None)
        if not equals or found is None:
            raise UsageError(f"--option: '{shown(text)}' is not FIELD=CHOICE of a --field")
        found.setdefault("options", []).append(choice)
    kind: Fields = {"name": name, "description": description, "service": service,
                    "priority": priority}
    if access_policy:
        kind["access_policy"] = access_policy
    if form:
        kind["form"] = form
    kind["approval"] = {"stages": [_stage(text) for text in stages]} if stages else {
        "standard": True}
    fulfilment: Fields = {"team": team}
    if sla:
        fulfilment["sla"] = sla
    if steps:
        fulfilment["steps"] = steps
    kind["fulfilment"] = fulfilment
    return kind


def _field(text: str) -> Fields:
    """`ID:TYPE:LABEL`; a TYPE ending in `!` makes the field required."""
    key, _, rest = text.partition(":")
    kind, _, label = rest.partition(":")
    if not key or not kind or not label:
        raise UsageError(f"--field: '{shown(text)}' is not ID:TYPE:LABEL, such as "
                         "model:choice!:Model")
    field: Fields = {"id": key, "label": label, "type": kind.removesuffix("!")}
    if kind.endswith("!"):
        field["required"] = True
    return field


def _stage(text: str) -> Fields:
    name, _, how = text.rpartition(":")
    key, _, value = how.partition("=")
    approvers: Fields
    if key == "requester_lead" and not value:
        approvers = {"requester_lead": True}
    elif key in ("team", "policy_owners") and value:
        approvers = {key: value}
    elif key == "people" and value:
        approvers = {"people": value.split(",")}
    else:
        approvers = {}
    if not name or not approvers:
        raise UsageError(f"--stage: '{shown(text)}' is not NAME:HOW with HOW one of "
                         f"{', '.join(APPROVERS)}, such as 'IT:team=platform'")
    return {"name": name, "approvers": approvers}


def answers(kind: RequestType, pairs: list[str]) -> Fields:
    """`KEY=VALUE` answers read as the type's form takes them: a number for a number
    field, true or false for a checkbox, a comma-separated list for a multichoice."""
    found: Fields = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals:
            raise UsageError(f"--answer: '{shown(pair)}' is not KEY=VALUE")
        question = kind.question(key)
        found[key] = _typed(question.type if question else "text", value)
    return found


def _typed(kind: str, value: str) -> Any:
    if kind == "number":
        try:
            return int(value)
        except ValueError:
            number = float(value) if _FLOAT.match(value) else None
            return value if number is None else number  # text: the rule says what is wrong
    if kind == "checkbox":
        return {"true": True, "yes": True, "false": False, "no": False}.get(value.lower(),
                                                                          value)
    if kind == "multichoice":
        return [item.strip() for item in value.split(",") if item.strip()]
    return value
