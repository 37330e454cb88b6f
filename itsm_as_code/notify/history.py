"""Events from history and from the clock: what the commits of a range did to the records,
and what the passing of time made due (maintenance starting soon, an occurrence of a
recurring window under way, SLA escalation levels).

Each commit of the range's first-parent line is compared with the commit before it, on
the records it changed only, read from git's objects with their update files folded in,
exactly as the work tree is read. The record that a commit leaves invalid is skipped (it
is `itsm validate`'s to report, and no event of a broken record is told).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from itsm_as_code.config import Config
from itsm_as_code.git.range import Blob, CommitRange
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.model import Model
from itsm_as_code.model.recurrence import occurrences
from itsm_as_code.model.types.itil import Incident, Maintenance, ServiceRequest
from itsm_as_code.notify.events import Event, Told, compare, event_key
from itsm_as_code.sla.check import reached_levels
from itsm_as_code.store.blobs import records_from_blobs
from itsm_as_code.store.loader import Limits
from itsm_as_code.store.repository import Repository

Progress = Callable[[int, int], None]


def model_of(config: Config, blobs: list[Blob]) -> Model:
    """The model of some records read from blobs (folded, schema checked)."""
    limits = Limits(config.max_file_bytes, config.max_aliases)
    records, findings = records_from_blobs(blobs, limits)
    return Model(Repository(config, records, findings))


def told(model: Model) -> dict[str, Told]:
    """The records whose events are told, by id."""
    found: dict[str, Told] = {}
    for values in (model.incidents, model.maintenance, model.requests, model.known_errors):
        found.update(values)
    return found


def changes(config: Config, commits: CommitRange, oldest: datetime | None = None,
            progress: Progress | None = None) -> tuple[list[Event], int]:
    """The events of every commit of the range, oldest commit first, and how many
    commits were left out as committed before `oldest`."""
    events: list[Event] = []
    steps = commits.commits()
    skipped = 0
    for done, step in enumerate(commits.steps(), 1):
        if oldest is not None and step.at < oldest:
            skipped += 1
            continue
        before, after = told(model_of(config, step.before)), told(model_of(config,
                                                                           step.after))
        for record_id, record in sorted(after.items()):
            events.extend(compare(before.get(record_id), record, step.commit))
        if progress is not None:
            progress(min(done, len(steps)), len(steps))
    return events, skipped


def starting_soon(model: Model, now: datetime, remind: timedelta) -> list[Event]:
    """Scheduled windows, and occurrences of recurring ones, that start within `remind` of
    `now` (and have not started); each occurrence is an event of its own."""
    events = []
    for window in _windows(model):
        if window.recurrence is None and window.status != "scheduled":
            continue
        for occurrence in occurrences(window, now, now + remind):
            if now < occurrence.scheduled_start:
                events.append(Event("maintenance.starting_soon", occurrence,
                                    occurrence.scheduled_start,
                                    event_key("time", occurrence.id,
                                              "maintenance.starting_soon",
                                              occurrence.scheduled_start.isoformat())))
    return events


def started(model: Model, now: datetime, since: datetime | None) -> list[Event]:
    """The occurrences of recurring windows under way at `now` (and begun after `since`,
    when given). A one-off window is started by a timeline entry, which `changes` tells;
    an occurrence starts by the clock alone."""
    events = []
    for window in _windows(model):
        if window.recurrence is None:
            continue
        for occurrence in occurrences(window, now, now + timedelta(seconds=1)):
            if not occurrence.scheduled_start <= now < occurrence.scheduled_end or (
                    since is not None and occurrence.scheduled_start <= since):
                continue
            events.append(Event("maintenance.started",
                                replace(occurrence, status="in_progress"),
                                occurrence.scheduled_start,
                                event_key("time", occurrence.id, "maintenance.started",
                                          occurrence.scheduled_start.isoformat())))
    return events


def _windows(model: Model) -> list[Maintenance]:
    """The windows that may still start, by id: a series that was completed or canceled
    starts no occurrence."""
    return [window for _, window in sorted(model.maintenance.items())
            if window.status not in ("completed", "canceled")]


def escalations(ctx: RunContext, since: datetime | None) -> list[Event]:
    """Every escalation level a running clock has reached (after `since`, when given)."""
    model = ctx.model
    events = []
    for reached in reached_levels(ctx):
        clock = reached.clock
        record: Incident | ServiceRequest | None = (
            model.incidents.get(clock.record) or model.requests.get(clock.record))
        if record is None or (since is not None and reached.reached_at <= since):
            continue
        agreement = model.slas.get(clock.sla)
        detail = {"metric": clock.metric, "level": str(reached.level),
                  "percent": str(reached.escalation.at),
                  "service": model.name_of(clock.service),
                  "sla": agreement.name if agreement is not None else clock.sla,
                  "people": ", ".join(person.name for person in reached.people)}
        events.append(Event("sla.escalation", record, reached.reached_at,
                            event_key("time", record.id, "sla.escalation", clock.service,
                                      clock.sla, clock.metric, str(reached.level)),
                            detail=detail,
                            people=tuple(person.id for person in reached.people)))
    return events
