"""What a step did, in people's terms and for machines: the record, its status before and
after, the time as people read it, the files written and the commit, or why nothing was
written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from itsm_as_code.findings import Finding, Summary, shortened
from itsm_as_code.reporters import Report
from itsm_as_code.steps.people import AUTHOR_ENV, Author


@dataclass(frozen=True)
class Outcome:
    verb: str
    record_id: str
    kind: str
    title: str
    at: str  # RFC 3339, with the offset in force in itsm.yaml's zone
    shown_at: str  # as people read it there: 2026-12-06 04:40 CET
    author: Author
    before: str = ""
    after: str = ""
    label: str = ""
    paths: Sequence[str] = ()
    commit: str | None = None
    findings: Sequence[Finding] = field(default_factory=tuple)
    written: bool = False

    def planned(self, before: str, after: str, label: str) -> Outcome:
        return replace(self, before=before, after=after, label=label)

    def refused(self, findings: Sequence[Finding]) -> Outcome:
        """Nothing written, for `findings`; their messages shortened, as a schema message
        quotes the value it refuses, a whole `-m` among them."""
        return replace(self, findings=tuple(
            replace(finding, message=shortened(finding.message)) for finding in findings))

    def written_to(self, paths: Sequence[str], commit: str | None,
                   findings: Sequence[Finding]) -> Outcome:
        return replace(self, paths=tuple(paths), commit=commit, findings=tuple(findings),
                       written=True)

    def commit_message(self) -> str:
        """`INC-0042: identified (alice)`: the record, the step, its author."""
        who = f" ({self.author.id})" if self.author.id else ""
        return f"{self.record_id}: {self.label}{who}"

    def report(self) -> Report:
        return Report(Summary(f"itsm {self.verb}", "\n".join(self._lines()), {
            "record": self.record_id, "kind": self.kind, "title": self.title,
            "step": self.label or None, "status_before": self.before or None,
            "status_after": self.after or None, "at": self.at, "author": self.author.id,
            "files": list(self.paths), "commit": self.commit, "written": self.written,
        }), self.findings)

    def _lines(self) -> list[str]:
        head = f'{self.record_id} "{self.title}"'
        if not self.written:
            return [f"nothing was written: {self.verb} of {head} was refused"]
        change = (f"{self.before} -> {self.after}" if self.before != self.after
                  else f"{self.label} (still {self.after})" if self.label != "update"
                  else f"update (still {self.after})")
        by = f" by {self.author.name} ({self.author.id})" if self.author.id else ""
        lines = [f"{head}: {change} at {self.shown_at}{by}"]
        lines += [f"wrote {path}" for path in self.paths]
        if self.commit:
            lines.append(f"committed {self.commit[:12]}: {self.commit_message()}")
        if not self.author.id:
            lines.append(f"no author recorded: give --author PERSON, set git's user.email to a "
                         f"Person's email, or set {AUTHOR_ENV}")
        return lines
