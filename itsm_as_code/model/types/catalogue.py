"""The request catalogue: request types, with the form a requester fills in, the stages
of approval and the steps of fulfilment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldType = Literal["text", "textarea", "number", "date", "choice", "multichoice", "person",
                    "checkbox"]


Answer = str | int | float | bool | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FormField:
    """One question of a request type's form; `id` is the answer's key."""

    id: str
    label: str
    type: FieldType
    required: bool = False
    options: tuple[str, ...] = ()
    help: str | None = None
    pattern: str | None = None


@dataclass(frozen=True, slots=True)
class Approvers:
    """Who may approve a stage: one of the owners of `policy_owners`, the members of
    `team`, the `people` named, or (`requester_lead`) the lead of a requester's team."""

    policy_owners: str | None = None
    team: str | None = None
    people: tuple[str, ...] = ()
    requester_lead: bool = False


@dataclass(frozen=True, slots=True)
class ApprovalStage:
    name: str
    approvers: Approvers
    count: int = 1


@dataclass(frozen=True, slots=True)
class FulfilmentStep:
    id: str  # written, or the step's number (`1`, `2`, ...) for a step written as text
    text: str


@dataclass(frozen=True, slots=True)
class Fulfilment:
    team: str
    sla: str | None = None
    steps: tuple[FulfilmentStep, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestType:
    """An entry of the request catalogue. No `stages` means a standard (pre-approved)
    request."""

    id: str
    name: str
    description: str
    service: str
    fulfilment: Fulfilment
    stages: tuple[ApprovalStage, ...] = ()
    form: tuple[FormField, ...] = ()
    priority: str = "P4"
    access_policy: str | None = None

    @property
    def standard(self) -> bool:
        return not self.stages

    def question(self, field_id: str) -> FormField | None:
        return next((item for item in self.form if item.id == field_id), None)
