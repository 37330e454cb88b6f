"""What each step command does by default: the kinds it applies to, the status it moves a
record to, the message it writes when `-m` is not given, and who sees that message.

Every verb is `itsm update` with defaults. A verb's message is internal unless the verb is
naturally public for that kind (what a status page shows: an incident resolved or
reopened, a maintenance window started, extended, completed or canceled); `--public` and
`--internal` choose otherwise. Service requests have no public timeline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

INCIDENT, REQUEST, MAINTENANCE = "Incident", "ServiceRequest", "Maintenance"
# Kinds whose steps are edits of the record file (they have no timeline).
EDITED = ("Problem", "KnownError")


@dataclass(frozen=True)
class Verb:
    """A step command. `statuses` maps each kind it applies to onto the status it moves to
    (None: no move of its own); with `from_initial`, the move happens only from the kind's
    initial status. `messages` are templates: `{by}` is " by <author's name>" or nothing,
    `{approver}`, `{assignee}`, `{until}` and `{status}` what the step names."""

    name: str
    statuses: Mapping[str, str | None]
    messages: Mapping[str, str]
    public: frozenset[str] = field(default_factory=frozenset)
    from_initial: bool = False
    # Refused when the record already has the status the verb moves to.
    needs_move: bool = True


def _all(message: str, *kinds: str) -> dict[str, str]:
    return dict.fromkeys(kinds, message)


VERBS: dict[str, Verb] = {verb.name: verb for verb in (
    Verb("update", dict.fromkeys((INCIDENT, REQUEST, MAINTENANCE)),
         _all("Status changed to {status}{by}.", INCIDENT, REQUEST, MAINTENANCE),
         public=frozenset({INCIDENT, MAINTENANCE}), needs_move=False),
    Verb("ack", {INCIDENT: "investigating", REQUEST: None},
         _all("Acknowledged{by}.", INCIDENT, REQUEST), from_initial=True),
    Verb("resolve", {INCIDENT: "resolved"}, {INCIDENT: "This incident has been resolved."},
         public=frozenset({INCIDENT})),
    Verb("close", {INCIDENT: "closed"}, {INCIDENT: "Closed{by}."}),
    Verb("reopen", {INCIDENT: "investigating"}, {INCIDENT: "This incident has been reopened."},
         public=frozenset({INCIDENT})),
    Verb("cancel", dict.fromkeys((INCIDENT, REQUEST, MAINTENANCE), "canceled"),
         {**_all("Canceled{by}.", INCIDENT, REQUEST),
          MAINTENANCE: "This scheduled maintenance has been canceled."},
         public=frozenset({MAINTENANCE})),
    Verb("assign", {INCIDENT: None, REQUEST: None},
         _all("Assigned to {assignee}{by}.", INCIDENT, REQUEST), needs_move=False),
    Verb("approve", {REQUEST: "approved"}, {REQUEST: "Approved by {approver}."},
         needs_move=False),
    Verb("reject", {REQUEST: "rejected"}, {REQUEST: "Rejected by {approver}."}),
    Verb("start", {REQUEST: "in_fulfilment", MAINTENANCE: "in_progress"},
         {REQUEST: "Fulfilment started{by}.",
          MAINTENANCE: "Scheduled maintenance is in progress."},
         public=frozenset({MAINTENANCE})),
    Verb("fulfil", {REQUEST: "fulfilled"}, {REQUEST: "Fulfilled{by}."}),
    Verb("extend", {MAINTENANCE: None},
         {MAINTENANCE: "The maintenance window is extended until {until}."},
         public=frozenset({MAINTENANCE}), needs_move=False),
    Verb("complete", {MAINTENANCE: "completed"},
         {MAINTENANCE: "The scheduled maintenance has been completed."},
         public=frozenset({MAINTENANCE})),
)}
