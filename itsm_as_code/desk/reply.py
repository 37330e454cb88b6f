"""The answer a requester reads: the record's id, what happens next (whose approval, which
team), and by when (the SLA's due times, as people read them); or, for a refusal, what to
fix. One answer, rendered as markdown for a GitHub comment and as plain text for mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from itsm_as_code.desk.intake import Outcome
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.model import Model
from itsm_as_code.model.types.catalogue import ApprovalStage, RequestType
from itsm_as_code.model.types.itil import ServiceRequest
from itsm_as_code.model.types.organisation import Person
from itsm_as_code.sla.agreements import load_agreements
from itsm_as_code.sla.clocks import read_timing, record_clocks
from itsm_as_code.sla.history import OutOfRange, clocked, moment_of

MARKER = "<!-- itsm-desk:{key} -->"
METRIC_WORDS = {"response": "a first answer by", "resolution": "done by"}


@dataclass(frozen=True)
class Answer:
    """An answer: its lines (markdown that reads as plain text too), and its key."""

    key: str
    greeting: str
    lines: tuple[str, ...]

    def markdown(self) -> str:
        return "\n".join([MARKER.format(key=self.key), self.greeting, "", *self.lines]) + "\n"

    def plain(self) -> str:
        text = "\n".join([self.greeting, "", *self.lines]) + "\n"
        return text.replace("**", "").replace("`", "")


LATER = {"github": "Updates on {id} are posted on this issue; a pull request adds the record.",
         "email": "Updates on {id} come to you by e-mail, in this thread."}


def sentence(text: str) -> str:
    return text if text[-1:] in ".?!" else text + "."


def answer(ctx: RunContext, outcome: Outcome, who: str, channel: str = "github") -> Answer:
    """The answer to `who` (how the requester is greeted) about `outcome`, arriving by
    `channel` (`github`, `email`)."""
    greeting = f"Thank you, {who}."
    if outcome.status == "refused":
        return answer_refused(who, outcome.problems)
    record = outcome.record
    assert record is not None
    noun = "request" if isinstance(record, ServiceRequest) else "report"
    if outcome.status == "already":
        return Answer(record.id, greeting, (
            sentence(f"This {noun} is already recorded as **{record.id}**: {record.title}"),))
    lines = [sentence(f"Your {noun} is recorded as **{record.id}**: {record.title}"), "",
             "What happens next:"]
    if isinstance(record, ServiceRequest):
        kind = ctx.model.request_types.get(record.type or "")
        lines += [f"- {step}" for step in _request_steps(ctx.model, kind, outcome.requester)]
    else:
        team = ctx.model.name_of(record.team) if record.team else "the service desk"
        lines.append(f"- {team} looks into it (priority {record.priority}).")
    lines += [f"- {due}" for due in due_times(ctx, outcome)]
    lines += ["", LATER[channel].format(id=record.id)]
    return Answer(record.id, greeting, tuple(lines))


def answer_refused(who: str, problems: list[str]) -> Answer:
    return Answer("refused", f"Thank you, {who}.", (
        "We could not record this yet. Please fix the following and send it again (on "
        "GitHub: edit the issue; the service desk reads it again):", "",
        *(f"- {problem}" for problem in problems)))


def _request_steps(model: Model, kind: RequestType | None, person: Person | None) -> list[str]:
    if kind is None:
        return []
    steps = ["No approval is needed: this is a standard request."] if kind.standard else [
        f"Approval ({stage.name}) by {_approvers(model, stage, person)}."
        for stage in kind.stages]
    steps.append(f"Then {model.name_of(kind.fulfilment.team)} fulfils it.")
    return steps


def _approvers(model: Model, stage: ApprovalStage, person: Person | None) -> str:
    who = stage.approvers
    if who.policy_owners is not None:
        policy = model.policies.get(who.policy_owners)
        names = [model.name_of(owner) for owner in policy.owners] if policy else []
    elif who.team is not None:
        names = [f"a member of {model.name_of(who.team)}"]
    elif who.requester_lead:
        leads = [team.lead for team in model.teams.values()
                 if person is not None and person.id in team.members and team.lead]
        names = [model.name_of(lead) for lead in leads] or ["the lead of your team"]
    else:
        names = [model.name_of(one) for one in who.people]
    listed = " or ".join(names) if names else "the approvers"
    return f"{stage.count} of {listed}" if stage.count > 1 else listed


def due_times(ctx: RunContext, outcome: Outcome) -> list[str]:
    """`a first answer by 2026-11-23 10:00 CET` and `done by ...`: the earliest due time of
    each of the record's SLA clocks, from its opening."""
    record = outcome.record
    if record is None or outcome.path is None:
        return []
    agreements = ctx.shared(load_agreements)
    zone = ZoneInfo(ctx.config.timezone)
    try:
        now = clocked(ctx.now)
        timing = read_timing(record, now)
        clocks = list(record_clocks(record, outcome.path, timing, agreements, now)) \
            if timing is not None else []
    except OutOfRange:
        return []
    due: dict[str, int] = {}
    for clock in clocks:
        if clock.due is not None:
            due[clock.metric] = min(due.get(clock.metric, clock.due), clock.due)
    return [f"Expected: {METRIC_WORDS[metric]} "
            f"{moment_of(due[metric]).astimezone(zone):%Y-%m-%d %H:%M %Z}."
            for metric in ("response", "resolution") if metric in due]
