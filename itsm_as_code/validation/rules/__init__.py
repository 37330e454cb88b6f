"""The record rules: what spans records, checked after each record's schema.

Rules of scope `record` see only records that passed their schema check, so they can
trust their shape (most read the typed model). Rules of scope `repository` guard every
value they read; they also run on records that failed the schema, so one run reports a
broken field and a broken reference together.
"""

from __future__ import annotations

from itsm_as_code.rule import Rule, registry
from itsm_as_code.sla.spec import CALENDAR_RULE, DAYS_RULE, TARGET_RULE
from itsm_as_code.validation.rules import (
    access,
    calendars,
    catalogue,
    channels,
    chronology,
    derived,
    escalations,
    future,
    identity,
    patterns,
    priority,
    recurrence,
    references,
    requests,
    routines,
    status,
    subscriptions,
)
from itsm_as_code.validation.rules.base import Judged

SCHEMA = Rule[Judged](
    "schema", "the record matches its kind's schema (checked once per run by the model)",
    "record")


RULES: dict[str, Rule[Judged]] = registry(
    SCHEMA,
    Rule("id-file", "a record's id equals its file name", "record", identity.id_matches_file),
    Rule("id-unique", "ids are unique across the repository", "record", identity.ids_unique),
    Rule("kind-folder", "each kind lives in its folder", "record", identity.kind_in_folder),
    Rule("reference", "every reference names an existing record of the right kind",
         "repository", references.check),
    Rule("priority-matrix", "an incident's priority follows from impact and urgency",
         "record", priority.check),
    Rule("time-order", "timestamps and timelines run forward", "record", chronology.check),
    Rule("time-future", "times of what happened are not later than the run's now", "record",
         future.check),
    Rule("status-timeline", "the status equals the last status in the timeline", "record",
         status.matches_timeline),
    Rule("status-timestamps", "resolved_at, closed_at and the like agree with the status",
         "record", status.matches_timestamps),
    Rule("timestamps-timeline", "resolved_at, closed_at and acknowledged_at are the times of "
         "the timeline entries that set them", "record", derived.check),
    Rule("request-approval", "a request moves to approved on an approval that is not the "
         "requester's", "record", requests.approval),
    Rule("request-type", "a request type's form, stages and steps can be used", "record",
         catalogue.request_type),
    Rule("request-answers", "a typed request answers its type's form", "record",
         catalogue.answers),
    Rule("request-steps", "every fulfilment step is done before a request is fulfilled",
         "record", catalogue.steps),
    Rule("grant-ticket", "a grant citing a request cites an approved access request for "
         "its policy and subject", "record", catalogue.grant_ticket),
    Rule("person-github", "no two people share a GitHub login", "record", catalogue.github),
    Rule("match-pattern", "a known error's match patterns are valid regular expressions",
         "record", patterns.compile_),
    Rule(recurrence.RECURRENCE_RULE, "a recurring maintenance window's rule and time zone "
         "can be expanded", "record", recurrence.recurrence),
    Rule(recurrence.CYCLE_RULE, "service dependencies form no cycle", "record",
         recurrence.dependency_cycles),
    Rule("grant-approver", "a grant is approved by an owner of the policy, not the subject",
         "record", access.approver),
    Rule("grant-duration", "a grant runs no longer than its policy's max_duration",
         "record", access.duration),
    Rule("grant-break-glass", "no grant gives a system's break-glass account", "record",
         access.break_glass),
    Rule("channel-settings", "a channel has the settings its type needs, and only those",
         "record", channels.settings),
    Rule("channel-secret", "a channel names its secrets by environment variable, never "
         "holds a URL or a key", "record", channels.secrets),
    Rule("subscription-audience", "a subscription on a public channel asks for public "
         "content only", "record", subscriptions.audience),
    Rule(CALENDAR_RULE, "a calendar's time zone, hours and holiday country can be used",
         "record", calendars.calendar),
    Rule(TARGET_RULE, "an SLA's targets are above zero, business days only on working time",
         "record", calendars.sla_targets),
    Rule(DAYS_RULE, "an SLA on a working-time calendar counts days as business days",
         "record", calendars.sla_days, level="warning"),
    Rule("sla-escalation", "an SLA's escalation levels of a clock rise in the order written",
         "record", escalations.rising),
    Rule("routine-schedule", "a routine has a time zone or a calendar, and a schedule that "
         "reads in it", "record", routines.schedule),
    Rule("routine-evidence", "a routine's evidence limits fit their type and leave room",
         "record", routines.evidence),
)
