"""A service request moves to `approved` only on an approver's decision.

Who the approver is (an existing person) is the `reference` rule's; this rule checks
that the decision exists, comes first, and is not the requester's own. A request of a
type in the catalogue is approved as its type says (model/stages.py): by the right
people, enough of them per stage, stage after stage, all before it moves to approved or
in_fulfilment; a standard type needs no approval at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.model.model import Model
from itsm_as_code.model.stages import StageProgress, progress, request_type
from itsm_as_code.model.types.catalogue import RequestType
from itsm_as_code.model.types.itil import ServiceRequest
from itsm_as_code.rule import Hit
from itsm_as_code.store.record import Record
from itsm_as_code.validation.rules.base import Judged

APPROVED = "approved"
PAST_APPROVAL = ("approved", "in_fulfilment")


def approval(judged: Judged) -> Iterator[Hit]:
    model = judged.model
    for record, request in judged.values("ServiceRequest", ServiceRequest):
        yield from _own(record, request)
        kind = request_type(request, model)
        if kind is None:
            yield from _moves(record, request)
        elif kind.stages:
            yield from _staged(record, request, kind, model)


def _own(record: Record, request: ServiceRequest) -> Iterator[Hit]:
    for index, decision in enumerate(request.approvals):
        if decision.decision == APPROVED and decision.by == request.requested_by:
            yield Hit(
                record,
                f"approvals[{index}]: {decision.by} requested {request.id} and cannot approve "
                f"it: another person approves it with itsm approve {request.id} --by PERSON",
                ("approvals", index, "by"))


def _moves(record: Record, request: ServiceRequest) -> Iterator[Hit]:
    approved = [decision.at for decision in request.approvals
                if decision.decision == APPROVED and decision.by != request.requested_by]
    for index, entry in enumerate(request.timeline):
        if entry.status != APPROVED or any(at <= entry.at for at in approved):
            continue
        yield Hit(
            record,
            f"timeline[{index}] moves {request.id} to approved at "
            f"{record.written('timeline', index, 'at')}, but no approval in approvals says "
            f"'approved' by then: approve it with itsm approve {request.id} --by PERSON",
            ("timeline", index, "status"))


def _staged(record: Record, request: ServiceRequest, kind: RequestType, model: Model
            ) -> Iterator[Hit]:
    found = progress(request, kind, model)
    stages = found.stages
    for stray in found.stray:
        decision = request.approvals[stray.index]
        place = ("approvals", stray.index, "by")
        if stray.early_for is None:
            listed = "; ".join(f"{stage.stage.name}: {_who(stage)}" for stage in stages)
            yield Hit(record, f"approvals[{stray.index}]: {decision.by} may approve no stage "
                      f"of {kind.id} ({listed}): one of them approves it with itsm approve "
                      f"{request.id} --by PERSON", place)
            continue
        waiting = next(number for number, stage in enumerate(stages)
                       if stage.completed_at is None or stage.completed_at > decision.at)
        yield Hit(record, f"approvals[{stray.index}]: {decision.by} approved stage "
                  f"{_stage(stages, stray.early_for)} before stage "
                  f"{_stage(stages, waiting)} was complete: stages are approved in order, so "
                  f"{decision.by} approves again once it is (itsm approve {request.id} --by "
                  f"{decision.by})", place)
    for index, entry in enumerate(request.timeline):
        if entry.status not in PAST_APPROVAL:
            continue
        if found.approved_at is not None and found.approved_at <= entry.at:
            continue
        number, stage = next(
            (number, stage) for number, stage in enumerate(stages)
            if stage.completed_at is None or stage.completed_at > entry.at)
        needs = f"{stage.stage.count} approvals" if stage.stage.count > 1 else "an approval"
        yield Hit(record, f"timeline[{index}] moves {request.id} to {entry.status} at "
                  f"{record.written('timeline', index, 'at')}, but stage "
                  f"{_stage(stages, number)} is not approved by then: it needs {needs} by "
                  f"{_who(stage)} (itsm approve {request.id} --by PERSON)",
                  ("timeline", index, "status"))


def _stage(stages: tuple[StageProgress, ...], number: int) -> str:
    return f"{number + 1} of {len(stages)} ({stages[number].stage.name})"


def _who(stage: StageProgress) -> str:
    if not stage.eligible:
        return "nobody (no one but the requester may approve it: change the stage's approvers)"
    if len(stage.eligible) == 1:
        return stage.eligible[0]
    return f"{', '.join(stage.eligible[:-1])} or {stage.eligible[-1]}"
