"""The approval stages of a typed request: who may approve each stage, and how far the
request's approvals have come. The one definition read by the `request-approval` rule,
by `itsm approve` (which moves a request to approved on the approval that completes the
last stage) and by whatever shows whose approval is still missing.

Approvals are taken in time order. An approval counts for the first stage not yet
complete when its approver may approve that stage and has not already counted there; a
stage is complete at the approval that brings it to its `count`, and only then do the
next stage's approvals count. The requester never counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from itsm_as_code.model.model import Model
from itsm_as_code.model.types.catalogue import ApprovalStage, RequestType
from itsm_as_code.model.types.itil import Approval, ServiceRequest

APPROVED = "approved"


@dataclass(frozen=True)
class StageProgress:
    """One stage of one request: who may approve it (the requester left out), who did,
    and when it was complete (None: not yet)."""

    stage: ApprovalStage
    eligible: tuple[str, ...]
    approved_by: tuple[str, ...]
    completed_at: datetime | None

    @property
    def missing(self) -> int:
        """How many more distinct approvals the stage needs."""
        return max(0, self.stage.count - len(self.approved_by))


@dataclass(frozen=True)
class Stray:
    """An approval that counts for no stage: its index in `approvals`, and the later stage
    its approver may approve (None: no stage admits them)."""

    index: int
    early_for: int | None


@dataclass(frozen=True)
class Progress:
    stages: tuple[StageProgress, ...]
    stray: tuple[Stray, ...]

    @property
    def approved_at(self) -> datetime | None:
        """When the last stage was complete; None while one is not."""
        return self.stages[-1].completed_at if self.stages else None

    @property
    def waiting(self) -> tuple[int, StageProgress] | None:
        """The first stage not yet complete, with its index; None when all are."""
        return next(((index, stage) for index, stage in enumerate(self.stages)
                     if stage.completed_at is None), None)


def request_type(request: ServiceRequest, model: Model) -> RequestType | None:
    """The request's type, when it names one that exists."""
    return model.request_types.get(request.type) if request.type else None


def eligible(stage: ApprovalStage, request: ServiceRequest, model: Model) -> tuple[str, ...]:
    """The people who may approve `stage` of `request`, the requester left out."""
    approvers = stage.approvers
    people: list[str] = []
    if approvers.policy_owners is not None:
        policy = model.policies.get(approvers.policy_owners)
        people = list(policy.owners) if policy else []
    elif approvers.team is not None:
        team = model.teams.get(approvers.team)
        people = list(team.members) if team else []
    elif approvers.people:
        people = list(approvers.people)
    elif approvers.requester_lead:
        people = [team.lead for team in model.teams.values()
                  if team.lead is not None and request.requested_by in team.members]
    return tuple(sorted(set(people) - {request.requested_by}))


def progress(request: ServiceRequest, kind: RequestType, model: Model) -> Progress:
    """How far the approvals of `request` have brought the stages of its type."""
    allowed = [eligible(stage, request, model) for stage in kind.stages]
    counted: list[list[str]] = [[] for _ in kind.stages]
    completed: list[datetime | None] = [None for _ in kind.stages]
    stray: list[Stray] = []
    current = 0
    ordered = sorted(enumerate(request.approvals), key=lambda pair: pair[1].at)
    for index, decision in ordered:
        by = decision.by
        if decision.decision != APPROVED or by == request.requested_by:
            continue  # a rejection moves the request; the requester's own is reported apart
        if current < len(allowed) and by in allowed[current]:
            if by not in counted[current]:
                counted[current].append(by)
                if len(counted[current]) >= kind.stages[current].count:
                    completed[current] = decision.at
                    current += 1
            continue
        later = next((number for number in range(current + 1, len(allowed))
                      if by in allowed[number]), None)
        if later is None and any(by in allowed[number] for number in range(current)):
            continue  # an approver of a stage already complete approving once more
        stray.append(Stray(index, later))
    stages = tuple(StageProgress(stage, allowed[number], tuple(counted[number]),
                                 completed[number])
                   for number, stage in enumerate(kind.stages))
    return Progress(stages, tuple(stray))


def approves(request: ServiceRequest, by: str, at: datetime, model: Model) -> bool:
    """Whether an approval by `by` at `at` leaves `request` approved: any approval does
    for a request without a staged type; for a staged type, the one that completes the
    last stage."""
    kind = request_type(request, model)
    if kind is None or not kind.stages:
        return True
    after = replace(request, approvals=(*request.approvals, Approval(by, at)))
    return progress(after, kind, model).approved_at is not None
