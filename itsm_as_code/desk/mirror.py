"""`itsm desk mirror`: what the records that came from GitHub issues did between two
revisions, as actions for the workflow to perform with `gh` (itsm itself talks to no
network): a comment per update the requester may read, and closing the issue when the
record ends (resolved, closed, fulfilled, rejected, canceled).

The revisions are walked as main's first-parent line (git/range.py): each change reaches
it once, in one commit, so an action's key (the commit, the record and the entry) is the
same in every run that sees it. The workflow puts the key in each comment as a hidden
marker and skips a key already on the issue, so running a range twice is harmless.

Which updates the requester reads: an incident's public ones (a responder speaks to the
reporter with `--public`); every update of a request (its timeline is the conversation
with its requester: it is never on the status site).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from itsm_as_code.config import Config
from itsm_as_code.desk.reply import MARKER
from itsm_as_code.git.range import CommitRange
from itsm_as_code.model.model import Model
from itsm_as_code.model.types.itil import Incident, ServiceRequest
from itsm_as_code.model.types.timeline import Entry
from itsm_as_code.store.blobs import records_from_blobs
from itsm_as_code.store.loader import Limits
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository

# Statuses that end a record, and how GitHub names the reason for closing its issue.
CLOSES = {"resolved": "completed", "closed": "completed", "fulfilled": "completed",
          "rejected": "not planned", "canceled": "not planned"}
Desk = Incident | ServiceRequest


@dataclass(frozen=True)
class Action:
    """One thing to do on an issue: `comment` (post `body`) or `close` (with `reason`)."""

    key: str
    kind: str
    issue: int
    record: str
    commit: str
    body: str
    reason: str | None = None


def mirror(config: Config, since: str, until: str) -> list[Action]:
    """The actions for the commits after `since` up to `until`, oldest first."""
    walk = CommitRange(config.root, config.records_dir, since, until, "itsm desk mirror")
    limits = Limits(config.max_file_bytes, config.max_aliases)
    zone = ZoneInfo(config.timezone)
    actions: list[Action] = []
    for step in walk.steps():
        before = _desk_records(config, records_from_blobs(step.before, limits)[0])
        after = _desk_records(config, records_from_blobs(step.after, limits)[0])
        for record_id, record in after.items():
            actions += _actions(step.commit, before.get(record_id), record, zone)
    return actions


def _desk_records(config: Config, records: list[Record]) -> dict[str, Desk]:
    model = Model(Repository(config, records, []))
    found: dict[str, Desk] = {}
    values: list[Desk] = [*model.incidents.values(), *model.requests.values()]
    for value in values:
        if value.origin is not None and value.origin.github_issue is not None:
            found[value.id] = value
    return found


def _actions(commit: str, old: Desk | None, new: Desk, zone: ZoneInfo) -> list[Action]:
    assert new.origin is not None and new.origin.github_issue is not None
    issue = new.origin.github_issue
    seen = set(old.timeline) if old is not None else set()
    told = [entry for entry in new.timeline if entry not in seen and _told(new, entry)]
    actions = []
    for entry in told:
        found = key(commit, new.id, _entry_key(entry))
        actions.append(Action(found, "comment", issue, new.id, commit,
                              marked(found, _comment(new, entry, zone))))
    was = old.status if old is not None else None
    if new.status in CLOSES and was not in CLOSES:
        found = key(commit, new.id, f"close:{new.status}")
        actions.append(Action(found, "close", issue, new.id, commit, marked(
            found, f"{new.id} is {new.status}: this issue is closed.\n"), CLOSES[new.status]))
    return actions


def marked(found: str, text: str) -> str:
    """A comment's body with its key as a hidden marker, which the workflow looks for
    among the issue's comments before posting."""
    return MARKER.format(key=found) + "\n" + text


def _told(record: Desk, entry: Entry) -> bool:
    return isinstance(record, ServiceRequest) or entry.public


def _entry_key(entry: Entry) -> str:
    return f"{entry.at.isoformat()}|{entry.status or ''}|{entry.message}"


def key(commit: str, record: str, what: str) -> str:
    """An action's key: the same commit, record and entry give the same key."""
    return hashlib.sha256(f"{commit}\n{record}\n{what}".encode()).hexdigest()[:24]


def _comment(record: Desk, entry: Entry, zone: ZoneInfo) -> str:
    when = f"{entry.at.astimezone(zone):%Y-%m-%d %H:%M %Z}"
    status = f", now **{entry.status}**" if entry.status else ""
    return f"**{record.id}** updated {when}{status}:\n\n{entry.message}\n"


def as_json(actions: list[Action]) -> dict[str, object]:
    return {"actions": [{"key": a.key, "action": a.kind, "issue": a.issue,
                         "record": a.record, "commit": a.commit, "body": a.body,
                         "reason": a.reason} for a in actions],
            "summary": {"comments": sum(a.kind == "comment" for a in actions),
                        "closes": sum(a.kind == "close" for a in actions)}}

