"""`itsm notify`: the events of a range of commits and of the clock, told to the channels
whose subscriptions want them.

The records are read at `until` (the subscriptions and channels too: a pull request that
adds a subscription previews what it will be sent); the events come from the range's
commits (notify/history.py) and from `now` (maintenance starting within `remind`, an
occurrence of a recurring window under way, SLA escalation levels reached after
`since_time`). The messages go to delivery
(notify/deliver.py), which sends each once; a dry run or a preview sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from itsm_as_code.config import Config
from itsm_as_code.git.range import CommitRange
from itsm_as_code.model.context import RunContext
from itsm_as_code.notify.deliver import DeliveryOptions, DeliveryReport, deliver
from itsm_as_code.notify.events import Event
from itsm_as_code.notify.history import (
    changes,
    escalations,
    model_of,
    started,
    starting_soon,
)
from itsm_as_code.notify.ledger import REMEMBERED
from itsm_as_code.notify.match import wanted
from itsm_as_code.notify.message import Message
from itsm_as_code.notify.render import Renderer
from itsm_as_code.store.repository import Repository

DEFAULT_REMIND = timedelta(hours=1)


@dataclass(frozen=True)
class NotifyOptions:
    since: str
    until: str = "HEAD"
    now: datetime | None = None  # None: the command's clock
    since_time: datetime | None = None  # escalations reached after this are told
    remind: timedelta = DEFAULT_REMIND
    send: bool = True  # False: a dry run or a preview
    delivery: DeliveryOptions = field(default_factory=DeliveryOptions)


@dataclass
class NotifyResult:
    since: str  # commit ids
    until: str
    now: datetime
    commits: int
    events: list[Event]
    messages: list[Message]
    channels: dict[str, str]  # channel id -> its name, for people
    delivery: DeliveryReport | None = None
    too_old: int = 0  # commits and escalations older than the ledger remembers: not told

    @property
    def failed(self) -> bool:
        return self.delivery is not None and bool(self.delivery.failed)


def notify(config: Config, options: NotifyOptions, now: datetime,
           progress: Callable[[str], None] | None = None) -> NotifyResult:
    """The messages of the range and of `now`, delivered unless `options.send` is False."""
    commits = CommitRange(config.root, config.records_dir, options.since, options.until)
    repository = _at_until(config, commits)
    ctx = RunContext(repository, now)
    oids = commits.commits()
    if progress is not None:
        progress(f"reading {len(oids)} commit(s) from {str(commits.since.id)[:7]} to "
                 f"{str(commits.until.id)[:7]}")
    # What the ledger no longer remembers is not told: a commit that reached the line, or
    # an escalation reached, before then (it would be told again on every such run).
    oldest = now - REMEMBERED
    events, too_old = changes(config, commits, oldest)
    events += starting_soon(ctx.model, now, options.remind)
    events += started(ctx.model, now, options.since_time)
    reached = escalations(ctx, options.since_time)
    recent = [event for event in reached if event.at is None or event.at >= oldest]
    events += recent
    too_old += len(reached) - len(recent)
    renderer = Renderer(config.root, config.timezone, config.site.base_url)
    messages = renderer.messages(wanted(events, ctx.model), ctx.model)
    result = NotifyResult(str(commits.since.id), str(commits.until.id), now, len(oids),
                          events, messages,
                          {c.id: c.name or c.id for c in ctx.model.channels.values()},
                          too_old=too_old)
    if options.send and messages:
        result.delivery = deliver(messages, ctx, options.delivery)
    return result


def _at_until(config: Config, commits: CommitRange) -> Repository:
    return model_of(config, commits.files_at_until()).repo
