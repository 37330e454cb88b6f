"""Each lifecycle kind's status transitions, as data: status -> the statuses it may move to.

Staying in the same status is never a transition and always allowed. A status that maps to
nothing is final. The README prints these tables; change both together.
"""

from __future__ import annotations

from collections.abc import Mapping

Table = Mapping[str, frozenset[str]]

# Incidents follow ITIL: work moves between the active statuses, ends resolved or
# canceled; a resolved incident is closed or reopened, a closed one only reopened (a
# reopening is counted in reopen_count); a canceled incident is final.
INCIDENT_ACTIVE = frozenset({"new", "investigating", "identified", "monitoring", "on_hold"})
INCIDENT_REOPENED_FROM = frozenset({"resolved", "closed"})
INCIDENT: Table = {
    "new": frozenset({"investigating", "identified", "monitoring", "on_hold", "resolved",
                      "canceled"}),
    "investigating": frozenset({"identified", "monitoring", "on_hold", "resolved", "canceled"}),
    "identified": frozenset({"investigating", "monitoring", "on_hold", "resolved", "canceled"}),
    "monitoring": frozenset({"investigating", "identified", "on_hold", "resolved"}),
    "on_hold": frozenset({"investigating", "identified", "monitoring", "resolved", "canceled"}),
    "resolved": frozenset({"closed", "investigating", "identified", "monitoring"}),
    "closed": frozenset({"investigating", "identified", "monitoring"}),
    "canceled": frozenset(),
}

PROBLEM: Table = {
    "new": frozenset({"assessing", "root_cause_analysis", "closed"}),
    "assessing": frozenset({"root_cause_analysis", "closed"}),
    "root_cause_analysis": frozenset({"fix_in_progress", "resolved", "closed"}),
    "fix_in_progress": frozenset({"root_cause_analysis", "resolved"}),
    "resolved": frozenset({"closed", "root_cause_analysis", "fix_in_progress"}),
    "closed": frozenset(),
}

KNOWN_ERROR: Table = {
    "open": frozenset({"fixed", "retired"}),
    "fixed": frozenset({"open", "retired"}),
    "retired": frozenset(),
}

SERVICE_REQUEST: Table = {
    "submitted": frozenset({"approved", "in_fulfilment", "rejected", "canceled"}),
    "approved": frozenset({"in_fulfilment", "fulfilled", "canceled"}),
    "in_fulfilment": frozenset({"fulfilled", "canceled"}),
    "fulfilled": frozenset(),
    "rejected": frozenset(),
    "canceled": frozenset(),
}

MAINTENANCE: Table = {
    "scheduled": frozenset({"in_progress", "canceled"}),
    "in_progress": frozenset({"completed"}),
    "completed": frozenset(),
    "canceled": frozenset(),
}

TRANSITIONS: dict[str, Table] = {
    "Incident": INCIDENT,
    "Problem": PROBLEM,
    "KnownError": KNOWN_ERROR,
    "ServiceRequest": SERVICE_REQUEST,
    "Maintenance": MAINTENANCE,
}

# Kinds whose status changes are written as timeline entries: each entry's move is checked
# on its own. The others change `status` alone, so one change may take several steps.
TIMELINE_KINDS = frozenset({"Incident", "ServiceRequest", "Maintenance"})


def allowed(kind: str, before: str, after: str) -> bool:
    """True when a record of `kind` may move from `before` to `after` in one step."""
    return before == after or after in TRANSITIONS[kind].get(before, frozenset())


def reachable(kind: str, before: str, after: str) -> bool:
    """True when `after` can be reached from `before` by steps of the kind's table."""
    table = TRANSITIONS[kind]
    seen, pending = {before}, [before]
    while pending:
        for target in table.get(pending.pop(), frozenset()):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return after in seen


def is_reopening(before: str, after: str) -> bool:
    """An incident moving from resolved or closed back to an active status."""
    return before in INCIDENT_REOPENED_FROM and after in INCIDENT_ACTIVE
