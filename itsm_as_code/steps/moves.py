"""A step's move checked against its kind's lifecycle table (model/lifecycle.py), and the
refusal that names the moves the table allows."""

from __future__ import annotations

from itsm_as_code.errors import RecordError
from itsm_as_code.findings import Finding
from itsm_as_code.model.lifecycle import LIFECYCLES
from itsm_as_code.steps.people import a, choice
from itsm_as_code.store.record import Record

RULE = "lifecycle-transition"


class Refused(RecordError):
    """The step is refused (exit 1): `findings` say why; nothing was written."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("nothing was written:\n" + "\n".join(
            f"  {f.path}:{f.line}:{f.column}: {f.message} [{f.rule}]" for f in findings))
        self.findings = findings


def refuse(record: Record, message: str) -> Refused:
    return Refused([record.finding(RULE, message, ("status",))])


def status_of(kind: str, value: str, option: str = "--status") -> str:
    """`value` when it is a status of `kind`; a usage error with a suggestion otherwise."""
    return choice(value, LIFECYCLES[kind].statuses, f"a status of {a(kind)}", option)


def check_move(record: Record, before: str, after: str) -> None:
    """Refuse a move from `before` to `after` that the table does not allow."""
    lifecycle = LIFECYCLES[record.kind]
    if lifecycle.allowed(before, after):
        return
    targets = [status for status in lifecycle.statuses if status in lifecycle.moves[before]]
    if not targets:
        raise refuse(record, f"{record.id} is {before}, a final status: it cannot move to "
                     f"{after} (or anywhere)")
    raise refuse(record, f"{record.id} is {before}: it may move to {', '.join(targets)}, "
                 f"not to {after}")
