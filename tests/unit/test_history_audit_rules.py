"""The audit rules on single versions: where each one draws its line."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from itsm_as_code.findings import Finding
from itsm_as_code.git.index import CommitInfo, Details
from itsm_as_code.history.audit_rules import AUDIT_RULES, Audited, Version
from itsm_as_code.history.versions import Step

COMMITTED = "2026-11-03T10:00:00+00:00"
DAY = timedelta(days=1)


def _version(old: dict[str, Any] | None, new: dict[str, Any] | None,
             old_blob: str = "a" * 40, new_blob: str = "b" * 40) -> Version:
    moment = int(datetime.fromisoformat(COMMITTED).timestamp())
    commit = CommitInfo("c" * 40, ("d" * 40,), (),
                        lambda _: Details("Ada <ada@example.com>", moment, 0, moment, "Update"))
    step = Step("INC-1", "records/INC-1.yaml" if old is not None else None,
                "records/INC-1.yaml" if new is not None else None,
                old_blob if old is not None else None, new_blob if new is not None else None)
    return Version(commit, step, "records/INC-1.yaml", old, new, lambda: "")


def backdated(version: Version, tolerance: timedelta) -> list[Finding]:
    return list(AUDIT_RULES["backdated"].run(Audited(version, tolerance)))


def changed_after_closure(version: Version) -> list[Finding]:
    return list(AUDIT_RULES["changed-after-closure"].run(Audited(version, DAY)))


def timeline_rewritten(version: Version) -> list[Finding]:
    return list(AUDIT_RULES["timeline-rewritten"].run(Audited(version, DAY)))


def test_backdating_starts_past_the_tolerance() -> None:
    on_the_edge = {"opened_at": "2026-11-02T10:00:00Z"}
    assert list(backdated(_version(None, on_the_edge), DAY)) == []
    past = {"opened_at": "2026-11-02T09:59:59Z"}
    (finding,) = backdated(_version(None, past), DAY)
    assert (finding.rule, finding.level, finding.record) == ("backdated", "error", "INC-1")
    assert finding.message.startswith(
        "opened_at 2026-11-02T09:59:59Z was written 1d 1s after that time (tolerance 1d) "
        "[commit ccccccc by Ada <ada@example.com> at 2026-11-03T10:00:00Z: Update]")


def test_only_what_the_commit_wrote_is_judged() -> None:
    old = {"opened_at": "2026-10-01T00:00:00Z", "timeline": [{"at": "2026-10-01T01:00:00Z"}]}
    new = {**old, "timeline": [*old["timeline"], {"at": "2026-11-03T09:00:00Z"}],
           "resolved_at": "not a time", "closed_at": None}
    assert list(backdated(_version(old, new), DAY)) == []


def test_a_future_timestamp_is_not_backdated() -> None:
    assert list(backdated(_version(None, {"opened_at": "2026-12-01T00:00:00Z"}), DAY)) == []


def test_closed_records_may_move_unchanged_and_may_reopen() -> None:
    closed = {"status": "closed", "title": "x"}
    assert list(changed_after_closure(_version(closed, closed, "a" * 40, "a" * 40))) == []
    assert list(changed_after_closure(_version(closed, {**closed, "status": "new"}))) == []
    (edited,) = changed_after_closure(_version(closed, {**closed, "title": "y"}))
    assert edited.message.startswith(
        "changed title of a closed record without reopening it [commit ccccccc")
    (deleted,) = changed_after_closure(_version(closed, None))
    assert (deleted.path, deleted.line, deleted.column, deleted.rule) == (
        "records/INC-1.yaml", 1, 1, "changed-after-closure")
    assert deleted.message.startswith("closed record INC-1 was deleted; closed records are "
                                      "kept [commit ccccccc")


def test_appending_is_not_rewriting() -> None:
    entry = {"at": "2026-11-02T10:00:00Z", "message": "a"}
    old = {"timeline": [entry]}
    assert list(timeline_rewritten(_version(old, {"timeline": [entry, entry]}))) == []
    (removed,) = timeline_rewritten(_version(old, {"timeline": []}))
    assert removed.message.startswith(
        "timeline entry #1 (at 2026-11-02T10:00:00Z) was removed; timelines are "
        "append-only, add an entry instead")
