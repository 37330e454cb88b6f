"""The one lifecycle vocabulary: each kind's statuses, moves and the sets derived from them.

The transition tables are the single source. Every other list of statuses in the program
(what is active, what counts as done, what is final, what a reopening is, the initial
status before any timeline entry) is derived here from them; the README's tables are
tested against this module. Staying in the same status is never a transition and always
allowed; a status with no moves is final.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

Table = Mapping[str, frozenset[str]]

IncidentStatus = Literal["new", "investigating", "identified", "monitoring", "on_hold",
                         "resolved", "closed", "canceled"]
ProblemStatus = Literal["new", "assessing", "root_cause_analysis", "fix_in_progress",
                        "resolved", "closed"]
KnownErrorStatus = Literal["open", "fixed", "retired"]
RequestStatus = Literal["submitted", "approved", "in_fulfilment", "fulfilled", "rejected",
                        "canceled"]
MaintenanceStatus = Literal["scheduled", "in_progress", "completed", "canceled"]


@dataclass(frozen=True)
class Lifecycle:
    """One kind's statuses and moves.

    `done` holds the statuses in which the work reached its end (an incident's service
    is restored, a request fulfilled); `dropped` those in which it was abandoned
    (canceled, rejected, retired). Everything else is active. `ended` is either.
    """

    kind: str
    initial: str
    moves: Table
    done: frozenset[str]
    dropped: frozenset[str] = frozenset()

    @property
    def statuses(self) -> tuple[str, ...]:
        """Every status, in the order of the table."""
        return tuple(self.moves)

    @cached_property  # asked for once per timeline entry: not rebuilt each time
    def ended(self) -> frozenset[str]:
        return self.done | self.dropped

    @cached_property
    def active(self) -> frozenset[str]:
        return frozenset(self.moves) - self.ended

    @cached_property
    def final(self) -> frozenset[str]:
        """Statuses with no way out."""
        return frozenset(status for status, targets in self.moves.items() if not targets)

    def allowed(self, before: str, after: str) -> bool:
        """True when a record may move from `before` to `after` in one step."""
        return before == after or after in self.moves.get(before, frozenset())

    def reachable(self, before: str, after: str) -> bool:
        """True when `after` can be reached from `before` by steps of the table."""
        seen, pending = {before}, [before]
        while pending:
            for target in self.moves.get(pending.pop(), frozenset()):
                if target not in seen:
                    seen.add(target)
                    pending.append(target)
        return after in seen

    def is_reopening(self, before: str, after: str) -> bool:
        """A move from a done status back to an active one."""
        return before in self.done and after in self.active


# Incidents follow ITIL: work moves between the active statuses, ends resolved or
# canceled; a resolved incident is closed or reopened, a closed one only reopened (a
# reopening is counted in reopen_count); a canceled incident is final.
INCIDENT = Lifecycle(
    "Incident", "new",
    {
        "new": frozenset({"investigating", "identified", "monitoring", "on_hold", "resolved",
                          "canceled"}),
        "investigating": frozenset({"identified", "monitoring", "on_hold", "resolved",
                                    "canceled"}),
        "identified": frozenset({"investigating", "monitoring", "on_hold", "resolved",
                                 "canceled"}),
        "monitoring": frozenset({"investigating", "identified", "on_hold", "resolved"}),
        "on_hold": frozenset({"investigating", "identified", "monitoring", "resolved",
                              "canceled"}),
        "resolved": frozenset({"closed", "investigating", "identified", "monitoring"}),
        "closed": frozenset({"investigating", "identified", "monitoring"}),
        "canceled": frozenset(),
    },
    done=frozenset({"resolved", "closed"}),
    dropped=frozenset({"canceled"}),
)

PROBLEM = Lifecycle(
    "Problem", "new",
    {
        "new": frozenset({"assessing", "root_cause_analysis", "closed"}),
        "assessing": frozenset({"root_cause_analysis", "closed"}),
        "root_cause_analysis": frozenset({"fix_in_progress", "resolved", "closed"}),
        "fix_in_progress": frozenset({"root_cause_analysis", "resolved"}),
        "resolved": frozenset({"closed", "root_cause_analysis", "fix_in_progress"}),
        "closed": frozenset(),
    },
    done=frozenset({"resolved", "closed"}),
)

KNOWN_ERROR = Lifecycle(
    "KnownError", "open",
    {
        "open": frozenset({"fixed", "retired"}),
        "fixed": frozenset({"open", "retired"}),
        "retired": frozenset(),
    },
    done=frozenset({"fixed"}),
    dropped=frozenset({"retired"}),
)

SERVICE_REQUEST = Lifecycle(
    "ServiceRequest", "submitted",
    {
        "submitted": frozenset({"approved", "in_fulfilment", "rejected", "canceled"}),
        "approved": frozenset({"in_fulfilment", "fulfilled", "canceled"}),
        "in_fulfilment": frozenset({"fulfilled", "canceled"}),
        "fulfilled": frozenset(),
        "rejected": frozenset(),
        "canceled": frozenset(),
    },
    done=frozenset({"fulfilled"}),
    dropped=frozenset({"rejected", "canceled"}),
)

MAINTENANCE = Lifecycle(
    "Maintenance", "scheduled",
    {
        "scheduled": frozenset({"in_progress", "canceled"}),
        "in_progress": frozenset({"completed"}),
        "completed": frozenset(),
        "canceled": frozenset(),
    },
    done=frozenset({"completed"}),
    dropped=frozenset({"canceled"}),
)

LIFECYCLES: dict[str, Lifecycle] = {
    table.kind: table for table in (INCIDENT, PROBLEM, KNOWN_ERROR, SERVICE_REQUEST, MAINTENANCE)
}

# What links an incident to later work: set or changed after it is closed without reopening
# it (problem management starts after closure); the rest of a closed incident is frozen.
INCIDENT_LINKS: tuple[str, ...] = ("problem", "known_error", "postmortem", "category")

# Priorities, most urgent first (the schemas' `priority` values; itsm.yaml's matrix maps
# impact and urgency onto them).
PRIORITIES: tuple[str, ...] = ("P1", "P2", "P3", "P4", "P5")

# Kinds whose status changes are written as timeline entries: each entry's move is checked
# on its own. The others change `status` alone, so one change may take several steps.
TIMELINE_KINDS = frozenset({"Incident", "ServiceRequest", "Maintenance"})

# Component statuses (Statuspage's), mildest first: a day or a service shows the worst.
ComponentStatus = Literal["operational", "under_maintenance", "degraded_performance",
                          "partial_outage", "major_outage"]
COMPONENT_STATUSES: tuple[str, ...] = ("operational", "under_maintenance",
                                       "degraded_performance", "partial_outage",
                                       "major_outage")
SEVERITY: dict[str, int] = {status: rank for rank, status in enumerate(COMPONENT_STATUSES)}


def worst(statuses: Iterable[str]) -> str:
    """The most severe of some component statuses; `operational` for none."""
    return max(statuses, key=SEVERITY.__getitem__, default="operational")
