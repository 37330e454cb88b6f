"""An issue after its intake: closed, or edited, on GitHub.

Closing the issue of an open request cancels the request (an update file: `canceled`,
"Closed on GitHub by @login."), when the one who closed it may cancel it: the requester
(the issue's author, or the Person the request is for) or someone of the team that
fulfils it (its members and lead). Anyone else's closing (a colleague, a bot that closes
stale issues) cancels nothing, and the answer says who may. A request that has ended
(fulfilled, rejected, canceled: the mirror closes its issue then) and an issue that never
became a record are left alone without a word; the issue of an incident report is
answered that those who look into the incident resolve it.

Editing the issue after intake changes nothing: the record keeps the answers its
approvals were given on, and the answer says to write what changed in a comment.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from itsm_as_code.authoring.updates import update_path, update_text
from itsm_as_code.desk.github import Issue
from itsm_as_code.desk.intake import Outcome, requester
from itsm_as_code.desk.reply import Answer, sentence
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.stages import request_type
from itsm_as_code.model.types.itil import Incident, ServiceRequest
from itsm_as_code.model.types.organisation import Person
from itsm_as_code.store.blobs import records_from_blobs
from itsm_as_code.store.loader import Limits
from itsm_as_code.store.repository import Repository
from itsm_as_code.timefmt import format_timestamp
from itsm_as_code.validation.runner import validate

CANCELED = "canceled"
Recorded = Incident | ServiceRequest


def closed(ctx: RunContext, issue: Issue, record: Recorded | None
           ) -> tuple[Outcome, Answer | None]:
    """What closing the issue does to the record it became (None: it became none)."""
    if record is None or record.status not in record.lifecycle.active:
        return Outcome("ignored", record=record), None
    closer = requester(ctx, {"github_user": issue.sender}) if issue.sender else None
    login = f"@{issue.sender}" if issue.sender else "someone"
    who = closer.name if closer is not None else login
    if isinstance(record, Incident):
        return Outcome("ignored", record=record, requester=closer), _answer(
            record, "closed", who, f"Closing this issue does not close **{record.id}**: "
            "those who look into it resolve it. If the problem is gone, say so in a comment here.")
    if not _may_cancel(ctx, record, issue, closer):
        team = _team(ctx, record)
        names = [ctx.model.name_of(record.requested_by)]
        if team:
            names.append(ctx.model.name_of(team))
        return Outcome("ignored", record=record, requester=closer), _answer(
            record, "closed", who, f"Closing this issue did not cancel **{record.id}**: only "
            f"{' or '.join(names)} may. The request goes on, and its updates are still "
            "posted here.")
    at = ctx.now.astimezone(ZoneInfo(ctx.config.timezone))
    entry: dict[str, object] = {"at": format_timestamp(at), "status": CANCELED,
                                "message": f"Closed on GitHub by {login}."}
    if closer is not None:
        entry["author"] = closer.id
    source = ctx.model.source(record.id)
    path = update_path(source.path, entry)
    text = update_text(record.id, entry)
    problems = _problems(ctx, record.id, path, text)
    if problems:
        return Outcome("refused", record=record, requester=closer, problems=problems), None
    return Outcome("recorded", record=record, path=path, files={path: text},
                   requester=closer), _answer(
        record, "closed", who, f"**{record.id}** is canceled, as this issue was closed. To ask "
        "again, open a new issue from the form.")


def edited(ctx: RunContext, record: Recorded, issue: Issue) -> tuple[Outcome, Answer]:
    """An edit of an issue already recorded: nothing changes, and the answer says how to
    tell the service desk what did."""
    noun = "request" if isinstance(record, ServiceRequest) else "report"
    login = issue.sender or issue.login
    editor = requester(ctx, {"github_user": login})
    return Outcome("ignored", record=record, requester=editor), _answer(
        record, "edited", editor.name if editor is not None else f"@{login}",
        f"Editing this issue does not change **{record.id}**: the {noun} keeps what it said "
        "when it was recorded. Write what changed in a comment here, for the service desk "
        "to read.")


def _answer(record: Recorded, event: str, who: str, text: str) -> Answer:
    return Answer(f"{record.id}-{event}", f"Thank you, {who}.", (sentence(text),))


def _may_cancel(ctx: RunContext, request: ServiceRequest, issue: Issue,
                closer: Person | None) -> bool:
    if issue.sender and issue.sender.lower() == issue.login.lower():
        return True  # the issue's author: who asked
    if closer is None:
        return False
    if closer.id == request.requested_by:
        return True
    team = ctx.model.teams.get(_team(ctx, request) or "")
    return team is not None and (closer.id in team.members or closer.id == team.lead)


def _team(ctx: RunContext, request: ServiceRequest) -> str | None:
    """The team that fulfils the request: its own, else its type's."""
    if request.team:
        return request.team
    kind = request_type(request, ctx.model)
    return kind.fulfilment.team if kind is not None else None


def _problems(ctx: RunContext, record_id: str, path: str, text: str) -> list[str]:
    """What is wrong with the record once the update at `path` is added, read back as the
    store will read it (its file and every update file, the new one among them)."""
    repo, source = ctx.repo, ctx.model.source(record_id)
    blobs = [(source.path, source.read_source().encode("utf-8")),
             *((part.path, part.read_source().encode("utf-8")) for part in source.parts),
             (path, text.encode("utf-8"))]
    config = repo.config
    found, findings = records_from_blobs(blobs, Limits(config.max_file_bytes,
                                                       config.max_aliases))
    trial = Repository(config, [*(r for r in repo.records if r.id != record_id), *found],
                       [*repo.findings, *findings])
    errors = [f for f in validate(trial, [source.path, path]).findings if f.level == "error"]
    return [f"the update would leave {record_id} invalid: {f.message}" for f in errors]

