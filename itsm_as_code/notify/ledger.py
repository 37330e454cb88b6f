"""The messages already delivered, kept in git (`notify/sent.json` on a state branch).

CI runners keep nothing between runs, so what was sent lives where the SLA ledger lives
(sla/ledger.py): a JSON file on a branch of its own (by convention `itsm/state`), read
from git's objects and committed without a checkout by compare-and-swap (git/commit.py).
A delivery is recorded right after it succeeds, one commit each, so a run that dies
re-sends at most the one message it was sending. Two runs at once: before each send the
ledger is read again (what the other run recorded is skipped), and a commit that loses
the race reads the branch again and adds its entry to the other's.

The file:

    {"version": 1, "sent": [{"key": "3f2a...", "channel": "status-slack",
      "event": "incident.opened", "record": "INC-0042",
      "sent_at": "2026-11-22T10:00:00+01:00", "outcome": "HTTP 200"}, ...]}

Only deliveries are recorded: a failure is tried again by the next run. A delivery is
remembered for REMEMBERED (90 days): each commit leaves out the entries older than that
before the one it adds, so the file stays the size of three months of messages; and
`itsm notify` tells no event older than that (notify/run.py), so a forgotten key is never
wanted again.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from itsm_as_code.errors import UsageError
from itsm_as_code.git.commit import Branch, Identity, RefMoved
from itsm_as_code.git.onbranch import Change, Target, commit_on_branch
from itsm_as_code.timefmt import format_timestamp, parse_timestamp

LEDGER_FILE = "notify/sent.json"
VERSION = 1
MAX_ATTEMPTS = 10  # commits lost in a row to other runs before giving up
REMEMBERED = timedelta(days=90)
NEEDS = "itsm notify"
ACTION = "itsm notify"


@dataclass(frozen=True)
class Sent:
    """One delivery: the message's key, where it went, about what, when, and the answer."""

    key: str
    channel: str
    event: str
    record: str
    sent_at: datetime
    outcome: str


class Ledger:
    """The ledger on `branch` of the repository at `root`, read afresh on every question."""

    def __init__(self, root: Path, branch: str, author: Identity | None,
                 zone: tzinfo) -> None:
        self.root, self.branch, self.author, self.zone = root, branch, author, zone
        self.commits = 0
        self.lost = 0  # commits redone because another run moved the branch

    def _open(self) -> Branch:
        return Branch(self.root, self.branch, NEEDS, own_tree=True, action=ACTION)

    def check(self, now: datetime) -> dict[str, Sent]:
        """The ledger, read once before anything is sent: the branch can be committed to
        and someone can author the commits (raises GitError), and the file is readable."""
        branch = self._open()
        branch.check_author(self.author, now)
        return self._parse(branch.find(LEDGER_FILE))

    def read(self) -> dict[str, Sent]:
        return self._parse(self._open().find(LEDGER_FILE))

    def record(self, sent: Sent) -> bool:
        """Commit `sent` to the branch; False when another run had recorded its key."""
        def change(branch: Branch) -> Change[bool]:
            entries = self._parse(branch.find(LEDGER_FILE))
            if sent.key in entries:
                return Change(False, {})
            oldest = sent.sent_at - REMEMBERED
            entries = {key: was for key, was in entries.items() if was.sent_at >= oldest}
            entries[sent.key] = sent
            return Change(True, {LEDGER_FILE: self._dump(entries)},
                          f"itsm notify: {sent.event} for {sent.record} to {sent.channel}\n\n"
                          f"delivery {sent.key}: {sent.outcome}\n")

        try:
            done = commit_on_branch(self.root, Target(self.branch, self.author), sent.sent_at,
                                    change, action=ACTION, needs=NEEDS, own_tree=True,
                                    attempts=MAX_ATTEMPTS)
        except RefMoved:
            self.lost += MAX_ATTEMPTS
            raise
        self.lost += done.attempts - 1
        self.commits += done.commit is not None
        return done.value

    def _parse(self, raw: bytes | None) -> dict[str, Sent]:
        if raw is None:
            return {}
        try:
            data: Any = json.loads(raw)
            if not isinstance(data, dict) or data.get("version") != VERSION:
                raise ValueError(f"not a version {VERSION} ledger")
            found: dict[str, Sent] = {}
            for item in data["sent"]:
                fields = {name: item[name] for name in
                          ("key", "channel", "event", "record", "outcome")}
                if not all(isinstance(value, str) for value in fields.values()):
                    raise ValueError("an entry's fields are not text")
                found[fields["key"]] = Sent(sent_at=parse_timestamp(item["sent_at"]),
                                            **fields)
            return found
        except (ValueError, TypeError, KeyError, RecursionError) as error:
            raise UsageError(
                f"{NEEDS}: {self.branch}:{LEDGER_FILE} cannot be read ({error}): fix the "
                "file on the branch; deleting it would send every message of the range "
                "once more") from None

    def _dump(self, entries: dict[str, Sent]) -> str:
        rows = []
        for sent in sorted(entries.values(), key=lambda s: (s.sent_at, s.key)):
            row = asdict(sent)
            row["sent_at"] = format_timestamp(sent.sent_at.astimezone(self.zone))
            rows.append(row)
        return json.dumps({"version": VERSION, "sent": rows}, indent=2,
                          ensure_ascii=False) + "\n"
