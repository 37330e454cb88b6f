"""`itsm audit` reads a record's update files (`ID.updates/`) as part of its timeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.git.history import load_history
from itsm_as_code.history.audit import audit
from itsm_as_code.store.loader import Limits
from tests.helpers import run_itsm
from tests.history_repos import CONFIG, History, incident

PATH = "records/incidents/2026/11/INC-0001.yaml"
FOLDER = "records/incidents/2026/11/INC-0001.updates"
OPENED = "2026-11-02T09:00:00+01:00"


def update(at: str, status: str | None = None, message: str = "Work goes on.") -> str:
    """An update file's text: one timeline entry."""
    lines = [f"at: {at}"] + ([f"status: {status}"] if status else []) + [
        f"message: {message}"]
    return "\n".join(lines) + "\n"


INVESTIGATING = f"{FOLDER}/20261102T082000Z-ada-aaaaaa.yaml"
RESOLVED = f"{FOLDER}/20261102T090000Z-ada-bbbbbb.yaml"
CLOSED = f"{FOLDER}/20261103T090000Z-ada-cccccc.yaml"


@pytest.fixture
def history(tmp_path: Path) -> History:
    """INC-0001 opened in its file, then investigated, resolved and closed by update files,
    each committed on time."""
    h = History(tmp_path / "repo")
    h.commit("2026-11-02T09:05:00+01:00", "Open INC-0001", {
        "itsm.yaml": CONFIG, PATH: incident("INC-0001", "new", OPENED, [])})
    h.commit("2026-11-02T09:25:00+01:00", "INC-0001: investigating", {
        INVESTIGATING: update("2026-11-02T09:20:00+01:00", "investigating")})
    h.commit("2026-11-02T10:05:00+01:00", "INC-0001: resolved", {
        RESOLVED: update("2026-11-02T10:00:00+01:00", "resolved")})
    h.commit("2026-11-03T10:05:00+01:00", "INC-0001: closed", {
        CLOSED: update("2026-11-03T10:00:00+01:00", "closed")})
    h.checkout()
    return h


def _findings(history: History) -> list[dict[str, Any]]:
    result = run_itsm("audit", "--format", "json", cwd=history.path)
    assert result.code in (0, 1), result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return found


def test_updates_written_on_time_pass(history: History) -> None:
    result = run_itsm("audit", cwd=history.path)
    assert (result.code, result.stdout) == (0, "ok: 4 commits and 1 records audited\n")


def test_an_update_added_long_after_its_time_is_backdated(history: History) -> None:
    late = f"{FOLDER}/20261102T093000Z-bob-dddddd.yaml"
    history.commit("2026-11-08T12:00:00+01:00", "Note from last week", {
        late: update("2026-11-02T10:30:00+01:00", message="Customer told.")})
    result = run_itsm("audit", cwd=history.path)
    assert result.code == 1
    oid = str(history.repo.head.target)[:7]
    assert result.lines == [
        f"{late}:1:5: error: at 2026-11-02T10:30:00+01:00 was written 6d 1h 30m after that "
        f"time (tolerance 1d) [commit {oid} by Ada Example <ada@example.com> at "
        "2026-11-08T12:00:00+01:00: Note from last week] [backdated]",
        # The record was closed: an entry added without reopening it changes it.
        f"{late}:1:5: error: added timeline entry 20261102T093000Z-bob-dddddd.yaml of a "
        f"closed record without reopening it [commit {oid} by Ada Example <ada@example.com> "
        "at 2026-11-08T12:00:00+01:00: Note from last week] [changed-after-closure]",
        "2 finding(s): 5 commits and 1 records audited",
    ]


def test_a_rewritten_update_file_is_a_rewritten_timeline(history: History) -> None:
    history.commit("2026-11-04T09:00:00+01:00", "Tidy the wording", {
        INVESTIGATING: update("2026-11-02T09:20:00+01:00", "investigating",
                              "Looking into it.")})
    found = _findings(history)
    assert [(f["rule"], f["path"], f["line"]) for f in found] == [
        ("changed-after-closure", INVESTIGATING, 1),
        ("timeline-rewritten", INVESTIGATING, 3)]
    assert found[1]["message"].startswith(
        "timeline entry 20261102T082000Z-ada-aaaaaa.yaml (at 2026-11-02T09:20:00+01:00) was "
        "changed; timelines are append-only, add an entry instead [commit ")
    assert found[0]["message"].startswith(
        "changed timeline entry 20261102T082000Z-ada-aaaaaa.yaml of a closed record without "
        "reopening it [commit ")


def test_a_deleted_update_file_is_a_rewritten_timeline(tmp_path: Path) -> None:
    h = History(tmp_path / "open")
    h.commit("2026-11-02T09:05:00+01:00", "Open INC-0001", {
        "itsm.yaml": CONFIG, PATH: incident("INC-0001", "new", OPENED, [])})
    h.commit("2026-11-02T09:25:00+01:00", "INC-0001: investigating", {
        INVESTIGATING: update("2026-11-02T09:20:00+01:00", "investigating")})
    h.commit("2026-11-02T09:40:00+01:00", "Take it back", {INVESTIGATING: None})
    h.checkout()
    result = run_itsm("audit", cwd=h.path)
    assert result.code == 1
    assert result.lines[0].startswith(
        f"{INVESTIGATING}:1:1: error: timeline entry 20261102T082000Z-ada-aaaaaa.yaml (at "
        "2026-11-02T09:20:00+01:00) was removed; timelines are append-only, add an entry "
        "instead [commit ")
    assert result.lines[1:] == ["1 finding(s): 3 commits and 1 records audited"]


def test_a_closed_record_is_closed_by_its_updates(history: History) -> None:
    """The record file still says `new`: its updates closed it, so editing the file is
    changing a closed record."""
    history.commit("2026-11-04T09:00:00+01:00", "Fix the assignee", {
        PATH: incident("INC-0001", "new", OPENED, [], assignee="bob")})
    found = _findings(history)
    assert [(f["rule"], f["path"], f["line"]) for f in found] == [
        ("changed-after-closure", PATH, 12)]
    assert found[0]["message"].startswith(
        "changed assignee of a closed record without reopening it [commit ")


def test_an_update_that_reopens_is_no_finding(history: History) -> None:
    history.commit("2026-11-04T09:05:00+01:00", "INC-0001: reopened", {
        f"{FOLDER}/20261104T080000Z-ada-dddddd.yaml":
            update("2026-11-04T09:00:00+01:00", "investigating", "It is back.")})
    assert _findings(history) == []


def test_a_record_moved_with_its_updates_is_no_rewrite(history: History) -> None:
    moved = {f"records/incidents/INC-0001.updates/{p.rpartition('/')[2]}":
             update(at, status) for p, at, status in (
                 (INVESTIGATING, "2026-11-02T09:20:00+01:00", "investigating"),
                 (RESOLVED, "2026-11-02T10:00:00+01:00", "resolved"),
                 (CLOSED, "2026-11-03T10:00:00+01:00", "closed"))}
    history.commit("2026-11-20T09:00:00+01:00", "Flatten the folders", {
        PATH: None, INVESTIGATING: None, RESOLVED: None, CLOSED: None,
        "records/incidents/INC-0001.yaml": incident("INC-0001", "new", OPENED, []),
        **moved})
    assert _findings(history) == []


def test_an_update_made_on_a_branch_is_judged_once(history: History) -> None:
    history.branch("late", "main~1")
    late = f"{FOLDER}/20261102T093000Z-bob-dddddd.yaml"
    history.commit("2026-11-09T09:00:00+01:00", "Late note on a branch", {
        late: update("2026-11-02T10:30:00+01:00", message="Customer told.")}, branch="late")
    history.commit("2026-11-09T10:00:00+01:00", "Merge late", {}, merge="late")
    found = _findings(history)
    # Backdated where it was written; and the merge brought a change to the closed
    # record onto the branch.
    assert [(f["rule"], f["path"]) for f in found] == [
        ("backdated", late), ("changed-after-closure", late)]
    assert "Late note on a branch]" in found[0]["message"]
    assert "Merge late]" in found[1]["message"]


def test_several_processes_find_what_one_finds(history: History) -> None:
    history.commit("2026-11-04T09:00:00+01:00", "Tidy the wording", {
        INVESTIGATING: update("2026-11-02T09:20:00+01:00", "investigating", "Looking.")})
    history.commit("2026-11-09T09:00:00+01:00", "Late note", {
        f"{FOLDER}/20261102T093000Z-bob-dddddd.yaml":
            update("2026-11-02T10:30:00+01:00", message="Customer told.")})
    config = load_config(history.path)
    source = load_history(config.root, config.records_dir)
    limits = Limits(config.max_file_bytes, config.max_aliases)
    alone = audit(source, [], limits, config.backdate_tolerance, parallel_from=10**9)
    shared = audit(source, [], limits, config.backdate_tolerance, parallel_from=1)
    assert shared == alone
    assert sorted(f.rule for f in shared.findings) == [
        "backdated", "changed-after-closure", "changed-after-closure", "timeline-rewritten"]
