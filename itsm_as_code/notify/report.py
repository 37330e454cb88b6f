"""What a delivery run did: each message's fate, the failures as findings, and the
report any output format renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from itsm_as_code.errors import ExitCode
from itsm_as_code.findings import Finding, Summary
from itsm_as_code.notify.ledger import LEDGER_FILE
from itsm_as_code.notify.message import Message
from itsm_as_code.reporters import Report, Row, Table

ICONS = {"sent": "\u2705", "sent before": "\u23ed\ufe0f", "failed": "\u274c"}


@dataclass(frozen=True)
class Delivery:
    """One message's fate: `sent` now, `sent before` (the ledger holds its key; nothing
    sent), or `failed`; `outcome` the last answer (`HTTP 200`, `HTTP 503 ... after 5
    attempts`), `attempts` how many sends were made; `advice`, for a failure, what to do."""

    message: Message
    state: Literal["sent", "sent before", "failed"]
    outcome: str
    attempts: int
    advice: str = ""


@dataclass(frozen=True)
class DeliveryReport:
    branch: str
    deliveries: tuple[Delivery, ...]
    findings: tuple[Finding, ...]  # one per failed delivery
    commits: int  # ledger commits made
    lost: int = 0  # ledger commits redone because another run moved the branch

    def of_state(self, state: str) -> list[Delivery]:
        return [delivery for delivery in self.deliveries if delivery.state == state]

    @property
    def failed(self) -> list[Delivery]:
        return self.of_state("failed")

    @property
    def exit_code(self) -> ExitCode:
        """1 when any message failed (the others were still sent), else 0."""
        return ExitCode.FINDINGS if self.of_state("failed") else ExitCode.OK

    def line(self) -> str:
        """The line a run ends with."""
        sent, before, failed = (len(self.of_state(state))
                                for state in ("sent", "sent before", "failed"))
        redone = f", {self.lost} redone after another run's" if self.lost else ""
        return (f"{sent} message(s) sent, {before} sent before, {failed} failed; ledger "
                f"{self.branch}:{LEDGER_FILE}: {self.commits} commit(s){redone}")

    def table(self) -> Table:
        rows = [Row((d.message.channel, d.message.record, d.message.event, d.state,
                     d.outcome), ICONS[d.state]) for d in self.deliveries]
        return Table(("channel", "record", "event", "state", "outcome"), rows,
                     title="Deliveries", markdown_limit=200,
                     left_out="... and {count} more deliveries")

    def report(self, title: str = "itsm notify") -> Report:
        counts = {state: len(self.of_state(state))
                  for state in ("sent", "sent before", "failed")}
        data = {**counts, "ledger": f"{self.branch}:{LEDGER_FILE}", "commits": self.commits,
                "deliveries": [{"key": d.message.key, "channel": d.message.channel,
                                "record": d.message.record, "event": d.message.event,
                                "state": d.state, "outcome": d.outcome,
                                "attempts": d.attempts} for d in self.deliveries]}
        return Report(Summary(title, self.line(), data), self.findings, (self.table(),))
