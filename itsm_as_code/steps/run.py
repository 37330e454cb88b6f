"""One step, whole: read the record, build the step, check the record after it, write it,
commit it; what happened in a report for people and machines.

The work tree's lock is held from reading the records to writing the step, so two steps
at once (or a step and an ingest) never judge the same record and both write.
"""

from __future__ import annotations

import difflib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from itsm_as_code.authoring.updates import update_path, update_text
from itsm_as_code.config import find_root, load_config
from itsm_as_code.errors import UsageError
from itsm_as_code.git.head import user_email
from itsm_as_code.model.lifecycle import LIFECYCLES
from itsm_as_code.model.model import Model
from itsm_as_code.steps.check import after_step, check_step
from itsm_as_code.steps.edits import link_edit, status_edit
from itsm_as_code.steps.entry import people_time, timeline_step
from itsm_as_code.steps.moves import Refused
from itsm_as_code.steps.outcome import Outcome
from itsm_as_code.steps.people import Author, a, find_author
from itsm_as_code.steps.request import StepRequest
from itsm_as_code.steps.verbs import EDITED, VERBS
from itsm_as_code.steps.write import NewUpdate, write_step
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Progress, Repository, load_repository
from itsm_as_code.timefmt import format_timestamp
from itsm_as_code.worklock import work_tree_lock
from itsm_as_code.yamlerrors import shown


@dataclass(frozen=True)
class _Planned:
    changed: list[Record]
    edited: dict[str, str]
    update: NewUpdate | None
    before: str
    after: str
    label: str


def run_step(start: Path, request: StepRequest, now: datetime, environ: Mapping[str, str],
             progress: Progress | None = None) -> Outcome:
    """Run `request` in the repository at or above `start`; `now` is the wall clock, read
    by the caller (the step's time unless `request.at` says otherwise)."""
    root = find_root(start)
    with work_tree_lock(root):
        config = load_config(root)
        repo = load_repository(config, progress)
        model = Model(repo)
        zone = ZoneInfo(config.timezone)
        record, value = _find(repo, model, request.record_id)
        at = request.at or now
        author = find_author(model.people, request.author, user_email(root), environ)
        done = Outcome(request.verb, record.id, record.kind, value.title,
                       format_timestamp(at.astimezone(zone)), people_time(at, zone), author)
        try:
            planned = _plan(request, record, value, model, author, zone, at)
            findings = check_step(repo, planned.changed, now, request.base)
        except Refused as refused:
            return done.refused(refused.findings)
        done = done.planned(planned.before, planned.after, planned.label)
        if any(finding.level == "error" for finding in findings):
            return done.refused(findings)
        message = done.commit_message() if request.commit else None
        written = write_step(root, planned.edited, planned.update, message, now)
    return done.written_to(written.paths, written.commit, findings)


def _find(repo: Repository, model: Model, record_id: str) -> tuple[Record, Any]:
    """The record and its typed value; a usage error for an unknown id, a refusal for a
    record that does not pass its schema (a step cannot make it valid)."""
    record = repo.get(record_id, LIFECYCLES)
    if record is None:
        other = repo.get(record_id)
        if other is not None:
            raise UsageError(f"{record_id} is {a(other.kind)}: steps are taken on incidents, "
                             "service requests, maintenance, problems and known errors")
        ids = [r.id for kind in LIFECYCLES for r in repo.of_kind(kind)]
        close = difflib.get_close_matches(record_id, ids, n=1, cutoff=0.6)
        hint = f": did you mean {close[0]}?" if close else ""
        raise UsageError(f"no incident, request, maintenance, problem or known error with id "
                         f"'{shown(record_id)}'{hint}")
    value = model.of(record.kind, object).get(record.id)
    if value is None or model.source(record.id) is not record:
        found = [f for f in model.schema_findings([record.kind]) if f.record == record.id]
        raise Refused(found or [record.finding(
            "id-unique", f"{record.id} is not the only record with this id: fix that first")])
    return record, value


def _plan(request: StepRequest, record: Record, value: Any, model: Model,
          author: Author, zone: ZoneInfo, at: datetime) -> _Planned:
    config = model.repo.config
    if request.verb == "link" or (request.verb == "update" and record.kind in EDITED):
        if request.verb == "link":
            if record.kind != "Incident":
                raise UsageError(f"itsm link links an incident, and {record.id} is "
                                 f"{a(record.kind)}")
            edit = link_edit(config.root, request, record, value, model)
        else:
            _only_status(request, record)
            edit = status_edit(config.root, request, record, value, zone, at)
        changed = [after_step(config, _record_at(model, record, path), {path: text})
                   for path, text in edit.texts.items()]
        return _Planned(changed, edit.texts, None, edit.before, edit.after, edit.label)
    verb = VERBS[request.verb]
    if record.kind not in verb.statuses:
        kinds = " or ".join(a(kind) for kind in verb.statuses)
        raise UsageError(f"itsm {verb.name} is a step of {kinds}, and {record.id} is "
                         f"{a(record.kind)}")
    if verb.name == "update" and not (request.status or request.message or request.services
                                      or request.assignee or request.team or request.done):
        raise UsageError("nothing to update: give --status, -m/--message, --service, "
                         "--assignee, --team or --done")
    step = timeline_step(request, verb, record, value, model, author, zone, at)
    token = secrets.token_hex(3)
    path = update_path(record.path, step.entry, token)
    changed = [after_step(config, record, {path: update_text(record.id, step.entry)})]
    return _Planned(changed, {}, NewUpdate(record.path, record.id, step.entry, token, path),
                    step.before, step.after, step.label)


def _only_status(request: StepRequest, record: Record) -> None:
    if request.services or request.assignee or request.team or request.public is not None:
        raise UsageError(f"{a(record.kind)} has no timeline: --service, --assignee, --team, "
                         "--public and --internal do not apply to it")


def _record_at(model: Model, record: Record, path: str) -> Record:
    if path == record.path:
        return record
    for other in model.repo.records:
        if other.path == path:
            return other
    raise KeyError(path)

