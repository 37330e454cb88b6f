"""`itsm desk intake` end to end: an issue event or an e-mail -> a submission -> a record
written (or a reply's update file), and the answer to send back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from itsm_as_code.authoring.updates import update_path, update_text
from itsm_as_code.config import Config
from itsm_as_code.desk.after import closed, edited
from itsm_as_code.desk.deliver import Place, deliver
from itsm_as_code.desk.forms import desk_forms
from itsm_as_code.desk.github import ACTIONS, read_event, submission
from itsm_as_code.desk.intake import Outcome, intake, recorded_before, requester
from itsm_as_code.desk.mail import (
    Mail,
    mail_submission,
    no_markup,
    read_mail,
    record_named,
    reply_message,
    without_quotes,
)
from itsm_as_code.desk.reply import Answer, answer, answer_refused, sentence
from itsm_as_code.git.onbranch import Change, Target
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.types.itil import Incident
from itsm_as_code.timefmt import format_timestamp

A = TypeVar("A", bound="Answer | None")  # what a change answers: mail always answers
MAX_UPDATE = 20000  # characters of a reply kept in an update (the schema's limit)


@dataclass(frozen=True)
class Result:
    """What one intake did, and the answer to post or send (None: nothing to say)."""

    outcome: Outcome | None
    answer: Answer | None
    commit: str | None = None
    note: str = ""


def intake_issue(config: Config, raw: bytes, name: str, now: datetime,
                 target: Target | None = None) -> Result:
    """`itsm desk intake --github-event FILE`."""
    issue = read_event(raw, name)
    if issue.action not in ACTIONS:
        return Result(None, None, note=f"issue #{issue.number} was {issue.action}: nothing "
                      "to take in")

    def work(where: Place) -> Change[tuple[Outcome, Answer | None]]:
        before = recorded_before(where.ctx, issue.origin)
        if issue.action == "closed":
            outcome, said = closed(where.ctx, issue, before)
            return _written(outcome, said, f"canceled: issue #{issue.number} closed by "
                            f"{issue.sender or 'someone'}")
        if issue.action == "edited" and before is not None:
            return Change(edited(where.ctx, before, issue), {})
        found = submission(issue, desk_forms(where.ctx.model))
        outcome = intake(where.ctx, found, where.taken)
        who = outcome.requester.name if outcome.requester else f"@{issue.login}"
        return _written(outcome, answer(where.ctx, outcome, who),
                        f"from issue #{issue.number} ({issue.login})")

    done = deliver(config, now, target, work)
    outcome, said = done.value
    note = ""
    if said is None and outcome.status == "ignored":
        note = (f"issue #{issue.number} was closed: " + (
            f"{outcome.record.id} is {outcome.record.status}, nothing to cancel"
            if outcome.record is not None else "no record came from it"))
    return Result(outcome, said, done.commit, note)


def intake_mail(config: Config, raw: bytes, name: str, now: datetime,
                target: Target | None = None) -> tuple[Result, str]:
    """`itsm desk intake --email FILE`: the result, and the reply message's text."""
    mail = read_mail(raw, name)

    def work(where: Place) -> Change[tuple[Outcome, Answer]]:
        named = record_named(mail)
        if named is not None:
            outcome = follow_up(where.ctx, mail, named)
            said = _followed(outcome, mail)
        else:
            found = mail_submission(mail, desk_forms(where.ctx.model))
            outcome = intake(where.ctx, found, where.taken)
            said = answer(where.ctx, outcome, _who(outcome, mail), "email")
        return _written(outcome, said, f"from e-mail {mail.message_id or ''}")

    done = deliver(config, now, target, work)
    (outcome, said), commit = done.value, done.commit
    text = said.plain()
    if mail.attachments:
        text += (f"\nYour message had {mail.attachments} attachment(s): the service desk does "
                 "not keep attachments; put what matters in the text.\n")
    record = outcome.record.id if outcome.record is not None else None
    desk = mail.to or f"desk@{mail.sender.partition('@')[2]}"
    message = reply_message(mail, record, text, format_datetime(now), desk,
                            config.organization)
    return Result(outcome, said, commit), message


def _written(outcome: Outcome, said: A, what: str) -> Change[tuple[Outcome, A]]:
    """The files of a recorded outcome, to write with the commit message naming the
    record and `what` happened (`from issue #41 (login)`)."""
    if outcome.status != "recorded" or outcome.record is None:
        return Change((outcome, said), {})
    return Change((outcome, said), outcome.files,
                  f"itsm desk intake: {outcome.record.id} {what}\n")


def _who(outcome: Outcome, mail: Mail) -> str:
    if outcome.requester is not None:
        return outcome.requester.name
    return mail.sender_name or mail.sender


def follow_up(ctx: RunContext, mail: Mail, record_id: str) -> Outcome:
    """A reply about a record: its text as an update file of that record."""
    model = ctx.model
    record = model.incidents.get(record_id) or model.requests.get(record_id)
    person = requester(ctx, {"email": mail.sender})
    if record is None:
        return Outcome("refused", problems=[f"there is no record {record_id}: check the "
                                            "subject, or write a new message without it"])
    origin = record.origin
    if person is None and (origin is None or origin.email != mail.sender):
        return Outcome("refused", record=record, problems=[
            f"only the people of {ctx.config.organization}, and whoever opened {record_id}, "
            "may add to it: write from your work address"])
    words = no_markup(without_quotes(mail.text))[:MAX_UPDATE]
    if not words:
        return Outcome("refused", record=record, requester=person, problems=[
            "the message has no text of its own to add: write it above the quoted one"])
    zone = ZoneInfo(ctx.config.timezone)
    entry: dict[str, object] = {"at": format_timestamp(ctx.now.astimezone(zone))}
    if isinstance(record, Incident):
        entry["public"] = False  # a requester's words are not the status page's
    who = person.name if person is not None else mail.sender
    entry["message"] = f"E-mail from {who}:\n\n{words}"
    if person is not None:
        entry["author"] = person.id
    source = model.source(record_id)
    path = update_path(source.path, entry)
    return Outcome("recorded", record=record, path=path,
                   files={path: update_text(record_id, entry)}, requester=person)


def _followed(outcome: Outcome, mail: Mail) -> Answer:
    who = outcome.requester.name if outcome.requester else (mail.sender_name or mail.sender)
    if outcome.status == "refused" or outcome.record is None:
        return answer_refused(who, outcome.problems)
    record = outcome.record
    return Answer(record.id, f"Thank you, {who}.", (
        sentence(f"Your message is added to **{record.id}**: {record.title}"), "",
        f"Updates on {record.id} are sent to you."))
