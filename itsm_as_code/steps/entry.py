"""A step on a record with a timeline, as the one timeline entry it writes.

The entry says what happened (time, status, message, audience, author) and what the step
sets (acknowledgement, assignment, component statuses, an approval decision, a window's
new end). It never sets a record field itself: what the entry does to the record is
model/steps.py's `apply`, for the command, the store's fold and the rules alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from itsm_as_code.errors import UsageError
from itsm_as_code.model.lifecycle import COMPONENT_STATUSES, LIFECYCLES
from itsm_as_code.model.model import Model
from itsm_as_code.model.stages import approves, request_type
from itsm_as_code.steps.moves import check_move, refuse, status_of
from itsm_as_code.steps.people import Author, a, choice, known
from itsm_as_code.steps.request import StepRequest
from itsm_as_code.steps.verbs import INCIDENT, MAINTENANCE, REQUEST, Verb
from itsm_as_code.store.record import Record
from itsm_as_code.timefmt import format_timestamp

# Kinds whose entries say who sees them (a service request's timeline is never public).
AUDIENCE = frozenset({INCIDENT, MAINTENANCE})
ASSIGNED = frozenset({INCIDENT, REQUEST})


@dataclass(frozen=True)
class Step:
    """The entry a step writes, the record's status before and after it, and the step in a
    few words for the commit message (`identified`, `acknowledged`, `approved by bob`)."""

    entry: dict[str, Any]
    before: str
    after: str
    label: str


def people_time(value: datetime, zone: ZoneInfo) -> str:
    """A time as people read it in itsm.yaml's zone: `2026-12-06 04:40 CET`."""
    return f"{value.astimezone(zone):%Y-%m-%d %H:%M %Z}"


def timeline_step(request: StepRequest, verb: Verb, record: Record, value: Any, model: Model,
                  author: Author, zone: ZoneInfo, at: datetime) -> Step:
    """The entry of `request` on `record` (whose typed value is `value`) at `at`."""
    kind, before = record.kind, value.status
    after = _target(request, verb, record, before)
    if (verb.name == "approve" and request.approver is not None
            and not approves(value, request.approver, at, model)):
        after = before  # a stage of the request's type still waits for its approvals
    if after != before:
        check_move(record, before, after)
    elif verb.needs_move and verb.statuses[kind] is not None and not verb.from_initial:
        raise refuse(record, f"{record.id} is already {before}: nothing to {verb.name}")
    entry: dict[str, Any] = {"at": format_timestamp(at.astimezone(zone))}
    if after != before or request.status is not None:
        entry["status"] = after
    if kind in AUDIENCE:
        entry["public"] = (request.public if request.public is not None
                           else kind in verb.public and value.visibility != "internal")
    elif request.public is not None:
        raise UsageError(f"--public and --internal: the timeline of {a(kind)} has no "
                         "audience, it is never on the status site")
    sets: dict[str, Any] = {}
    words = _set(request, verb, record, value, model, sets, zone)
    template = ("Done{by}: {done}." if "done" in sets and after == before
                and verb.name == "update" else verb.messages[kind])
    entry["message"] = request.message or template.format(by=author.by, status=after, **words)
    if author.id:
        entry["author"] = author.id
    entry.update(sets)
    return Step(entry, before, after, _label(verb, sets, before, after))


def _target(request: StepRequest, verb: Verb, record: Record, before: str) -> str:
    kind, lifecycle = record.kind, LIFECYCLES[record.kind]
    if verb.name == "update":
        return status_of(kind, request.status) if request.status is not None else before
    if verb.name == "reopen":
        if before not in lifecycle.done:
            raise refuse(record, f"{record.id} is {before}: only a "
                         f"{' or '.join(sorted(lifecycle.done))} incident is reopened")
        after = status_of(kind, request.status) if request.status else verb.statuses[kind]
        if after not in lifecycle.active:
            active = [status for status in lifecycle.statuses if status in lifecycle.active]
            raise UsageError(f"--status: an incident is reopened into an active status, one "
                             f"of {', '.join(active)}")
        return str(after)
    target = verb.statuses[kind]
    if target is None or (verb.from_initial and before != lifecycle.initial):
        return before
    return target


def _set(request: StepRequest, verb: Verb, record: Record, value: Any, model: Model,
         entry: dict[str, Any], zone: ZoneInfo) -> dict[str, str]:
    """The fields the step sets beyond its status, into `entry`; the names its default
    message uses (`assignee`, `approver`, `until`)."""
    kind, words = record.kind, {"assignee": "", "approver": "", "until": "", "done": ""}
    if verb.name == "ack":
        if value.acknowledged_at is not None:
            raise refuse(record, f"{record.id} was acknowledged at "
                         f"{people_time(value.acknowledged_at, zone)}: nothing to do")
        entry["acknowledged"] = True
    if (request.assignee is not None or request.team is not None) and kind not in ASSIGNED:
        raise UsageError(f"--assignee and --team: {a(kind)} is not assigned")
    if request.assignee is not None:
        entry["assignee"] = known(request.assignee, model.people, "person", "--assignee")
        words["assignee"] = model.people[request.assignee].name
    if request.team is not None:
        entry["team"] = known(request.team, model.teams, "team", "--team")
        words["assignee"] = words["assignee"] or model.teams[request.team].name
    if request.services:
        if kind != INCIDENT:
            raise UsageError(f"--service: only an incident's updates set component statuses, "
                             f"not those of {a(kind)}")
        ids = [affected.service for affected in value.services]
        entry["services"] = [
            {"id": choice(service, ids, f"a service of {record.id}", "--service"),
             "status": choice(status, COMPONENT_STATUSES, "a component status", "--service")}
            for service, status in request.services]
    if verb.name in ("approve", "reject"):
        if request.approver is None:
            raise UsageError(f"itsm {verb.name} needs --by PERSON: who decided")
        by = known(request.approver, model.people, "person", "--by")
        entry["approval"] = {"by": by, "decision": "approved" if verb.name == "approve"
                             else "rejected",
                             **({"comment": request.comment} if request.comment else {})}
        words["approver"] = model.people[by].name
    if request.done:
        words["done"] = _done(request, record, value, model, entry)
    if verb.name == "extend":
        if request.until is None:
            raise UsageError("itsm extend needs --until TIME: the window's new end")
        entry["scheduled_end"] = format_timestamp(request.until.astimezone(zone))
        words["until"] = people_time(request.until, zone)
    return words


def _done(request: StepRequest, record: Record, value: Any, model: Model,
          entry: dict[str, Any]) -> str:
    """The steps of the request's type that `--done` ticks off, into `entry`; their texts."""
    if record.kind != REQUEST:
        raise UsageError(f"--done: only a service request has fulfilment steps, not "
                         f"{a(record.kind)}")
    kind = request_type(value, model)
    steps = {step.id: step.text for step in kind.fulfilment.steps} if kind else {}
    if not steps:
        raise UsageError(f"--done: {record.id} has no fulfilment steps (its type names none)")
    entry["done"] = [choice(step, list(steps), f"a fulfilment step of {record.id}", "--done")
                     for step in request.done]
    return "; ".join(steps[step] for step in entry["done"])


def _label(verb: Verb, sets: dict[str, Any], before: str, after: str) -> str:
    moved = after if after != before else ""
    if verb.name == "ack":
        return "acknowledged" + (f", {moved}" if moved else "")
    if "approval" in sets:
        return f"{sets['approval']['decision']} by {sets['approval']['by']}"
    if verb.name == "assign":
        return f"assigned to {sets.get('assignee') or sets.get('team')}"
    if "scheduled_end" in sets:
        return f"extended until {sets['scheduled_end']}"
    if "done" in sets and not moved:
        return f"done {', '.join(sets['done'])}"
    return moved or "update"
