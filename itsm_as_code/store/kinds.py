"""The record kinds: where each lives, its schema, its id scheme and what it refers to.

A reference is written as a path into the record: a field name, `*` for every item of
a list (or every value of a mapping), `@` for every key of a mapping. The validator
checks that each value found there is the id of a record of one of the target kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Path = tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    path: Path
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    name: str
    folder: str
    schema: str
    noun: str
    id_prefix: str | None = None
    references: tuple[Reference, ...] = field(default_factory=tuple)


def _refs(*pairs: tuple[str, str]) -> tuple[Reference, ...]:
    return tuple(
        Reference(tuple(path.split(".")), tuple(targets.split("|"))) for path, targets in pairs
    )


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "Service", "services", "service.schema.json", "service",
            references=_refs(("owner", "Team"), ("sla", "SLA"), ("depends_on.*", "Service")),
        ),
        Kind("Team", "teams", "team.schema.json", "team",
             references=_refs(("members.*", "Person"), ("lead", "Person"))),
        Kind("Person", "people", "person.schema.json", "person",
             references=_refs(("accounts.@", "System"))),
        Kind("Calendar", "calendars", "calendar.schema.json", "calendar"),
        Kind("SLA", "slas", "sla.schema.json", "SLA", references=_refs(
            ("calendar", "Calendar"), ("escalations.*.notify.person", "Person"),
            ("escalations.*.notify.team", "Team"), ("escalations.*.notify.*.person", "Person"),
            ("escalations.*.notify.*.team", "Team"))),
        Kind(
            "Incident", "incidents", "incident.schema.json", "incident", "INC",
            references=_refs(
                ("services.*.id", "Service"), ("team", "Team"), ("assignee", "Person"),
                ("problem", "Problem"), ("known_error", "KnownError"),
                ("timeline.*.author", "Person"), ("timeline.*.services.*.id", "Service"),
            ),
        ),
        Kind(
            "Problem", "problems", "problem.schema.json", "problem", "PRB",
            references=_refs(
                ("incidents.*", "Incident"), ("services.*", "Service"), ("owner", "Person"),
            ),
        ),
        Kind(
            "KnownError", "known-errors", "known-error.schema.json", "known error", "KE",
            references=_refs(("problem", "Problem"), ("services.*", "Service")),
        ),
        Kind(
            "ServiceRequest", "requests", "service-request.schema.json", "service request", "REQ",
            references=_refs(
                ("service", "Service"), ("requested_by", "Person"), ("team", "Team"),
                ("assignee", "Person"), ("access_policy", "AccessPolicy"),
                ("approvals.*.by", "Person"), ("timeline.*.author", "Person"),
                ("type", "RequestType"),
            ),
        ),
        Kind(
            "RequestType", "request-types", "request-type.schema.json", "request type",
            references=_refs(
                ("service", "Service"), ("access_policy", "AccessPolicy"),
                ("fulfilment.team", "Team"), ("fulfilment.sla", "SLA"),
                ("approval.stages.*.approvers.policy_owners", "AccessPolicy"),
                ("approval.stages.*.approvers.team", "Team"),
                ("approval.stages.*.approvers.people.*", "Person"),
            ),
        ),
        Kind(
            "Maintenance", "maintenance", "maintenance.schema.json", "maintenance window", "MNT",
            references=_refs(("services.*", "Service"), ("timeline.*.author", "Person")),
        ),
        Kind("System", "access", "system.schema.json", "system",
             references=_refs(("owner", "Team"))),
        Kind(
            "AccessPolicy", "access", "access-policy.schema.json", "access policy",
            references=_refs(
                ("system", "System"), ("owners.*", "Person"),
                ("grants.*.subject", "Person|Team"), ("grants.*.approved_by", "Person"),
            ),
        ),
        Kind("Subscription", "subscriptions", "subscription.schema.json", "subscription",
             references=_refs(("channel", "Channel"), ("services.*", "Service"))),
        Kind("Channel", "channels", "channel.schema.json", "channel"),
        Kind("Routine", "routines", "routine.schema.json", "routine",
             references=_refs(("service", "Service"), ("team", "Team"),
                              ("calendar", "Calendar"))),
    )
}
