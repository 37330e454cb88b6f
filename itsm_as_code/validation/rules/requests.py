"""A service request moves to `approved` only on an approver's decision.

Who the approver is (an existing person) is the `reference` rule's; this rule checks
that the decision exists, comes first, and is not the requester's own. Rules per request
type (who may approve what) belong to the request catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.model.types import ServiceRequest
from itsm_as_code.rule import Hit
from itsm_as_code.store.record import Record
from itsm_as_code.validation.rules.base import Judged

APPROVED = "approved"


def approval(judged: Judged) -> Iterator[Hit]:
    for record, request in judged.values("ServiceRequest", ServiceRequest):
        yield from _own(record, request)
        yield from _moves(record, request)


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
