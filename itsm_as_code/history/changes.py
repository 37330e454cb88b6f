"""What one commit did to one record, field by field, for people and for machines."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# Text longer than this (or on several lines) is summarised rather than shown whole.
SHORT = 60
# Fields whose changes are told in their own terms rather than as values.
OWN_TERMS = ("status", "timeline")


@dataclass(frozen=True)
class Change:
    """One thing a commit did to a record.

    `what` is one of: created, deleted, moved, unreadable, status, timeline-added,
    timeline-changed, timeline-removed, set, changed, removed.
    """

    what: str
    field: str | None = None
    old: Any = None
    new: Any = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"what": self.what}
        if self.field is not None:
            data["field"] = self.field
        if self.old is not None:
            data["from"] = self.old
        if self.new is not None:
            data["to"] = self.new
        return data

    def text(self) -> str:
        if self.what == "created":
            return f"created at {self.new}"
        if self.what == "deleted":
            return f"deleted (was {self.old})"
        if self.what == "moved":
            return f"file moved from {self.old} to {self.new}"
        if self.what == "unreadable":
            return f"this version cannot be read: {self.new}"
        if self.what == "status":
            return f"status: {self.old or '(none)'} -> {self.new or '(none)'}"
        if self.what.startswith("timeline-"):
            entry = self.new if self.what != "timeline-removed" else self.old
            verb = self.what.removeprefix("timeline-")
            return f"timeline entry {self.field} {verb}: {_entry(entry)}"
        if self.what == "set":
            return f"{self.field} set: {summary(self.new)}"
        if self.what == "removed":
            return f"{self.field} removed (was {summary(self.old)})"
        return f"{self.field}: {summary(self.old)} -> {summary(self.new)}"


def summary(value: Any) -> str:
    """A value in one short line: long or multi-line text becomes its size and start."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                            default=str)
    if "\n" not in text.strip() and len(text) <= SHORT:
        return text
    lines = text.strip().count("\n") + 1
    head = text.strip().split("\n", 1)[0][:SHORT - 20].rstrip()
    return f"\"{head}...\" ({lines} line{'s' * (lines != 1)}, {len(text)} chars)"


def _entry(entry: Any) -> str:
    if not isinstance(entry, dict):
        return summary(entry)
    parts = [str(entry.get("at", "?"))]
    if entry.get("status"):
        parts.append(str(entry["status"]))
    if entry.get("message"):
        parts.append(summary(entry["message"]))
    return " ".join(parts)


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The changes from one version of a record to the next, in field order."""
    changes: list[Change] = []
    if old.get("status") != new.get("status"):
        changes.append(Change("status", "status", old.get("status"), new.get("status")))
    changes += timeline_changes(old.get("timeline"), new.get("timeline"))
    for name in [*new, *(key for key in old if key not in new)]:
        if name in OWN_TERMS:
            continue
        was, now = old.get(name), new.get(name)
        if was == now:
            continue
        if was is None:
            changes.append(Change("set", name, None, now))
        elif now is None:
            changes.append(Change("removed", name, was, None))
        else:
            changes.append(Change("changed", name, was, now))
    return changes


def timeline_changes(old: Any, new: Any) -> list[Change]:
    """Entries appended, and entries that existed before but were changed or removed
    (numbered from 1, as people count them)."""
    before = old if isinstance(old, list) else []
    after = new if isinstance(new, list) else []
    changes = []
    for index, entry in enumerate(before):
        if index >= len(after):
            changes.append(Change("timeline-removed", f"#{index + 1}", entry, None))
        elif after[index] != entry:
            changes.append(Change("timeline-changed", f"#{index + 1}", entry, after[index]))
    changes += [Change("timeline-added", f"#{index + 1}", None, after[index])
                for index in range(len(before), len(after))]
    return changes
