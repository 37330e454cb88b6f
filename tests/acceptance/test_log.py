"""`itsm log ID`: a record's story from a real git history with moves and merges."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_itsm
from tests.history_repos import CONFIG, History, incident

OPENED = "2026-11-02T09:00:00+01:00"
OLD = "records/incidents/2026/10/INC-0001.yaml"
NEW = "records/incidents/2026/11/INC-0001.yaml"
PATH_HOSTILE = "records/incidents/2026/11/INC-0009.yaml"


@pytest.fixture
def story(tmp_path: Path) -> History:
    """INC-0001 opened, moved to the right month folder with an update, then a branch that
    resolves it is merged while main gained an unrelated record; the merge itself edits
    nothing of INC-0001."""
    h = History(tmp_path / "repo")
    h.commit("2026-11-02T09:05:00+01:00", "Open INC-0001\n\nbody", {
        "itsm.yaml": CONFIG, "records/services/.keep": "",
        OLD: incident("INC-0001", "new", OPENED, []),
    })
    h.commit("2026-11-02T09:30:00+01:00", "Move INC-0001 to its month, investigating", {
        OLD: None,
        NEW: incident("INC-0001", "investigating", OPENED,
                      [("2026-11-02T09:20:00+01:00", "investigating")], assignee="bob"),
    })
    h.branch("fix")
    h.commit("2026-11-02T11:00:00+01:00", "Resolve INC-0001", {
        NEW: incident("INC-0001", "resolved", OPENED,
                      [("2026-11-02T09:20:00+01:00", "investigating"),
                       ("2026-11-02T10:50:00+01:00", "resolved")],
                      assignee="carol", resolved_at="2026-11-02T10:50:00+01:00"),
    }, branch="fix", author="Bea Example")
    h.commit("2026-11-02T10:00:00+01:00", "Open INC-0002", {
        "records/incidents/2026/11/INC-0002.yaml": incident("INC-0002", "new", OPENED, []),
    })
    h.commit("2026-11-02T12:00:00+01:00", "Merge branch 'fix'", {}, merge="fix")
    h.checkout()
    return h


def test_log_tells_the_story_newest_first_across_a_move_and_a_merge(story: History) -> None:
    result = run_itsm("log", "INC-0001", cwd=story.path)
    assert result.code == 0, result.stderr
    assert [line for line in result.lines if not line.startswith(("commit", "Date"))] == [
        "Author: Bea Example <bea@example.com>", "",
        "    Resolve INC-0001", "",
        "    status: investigating -> resolved",
        "    timeline entry #2 added: 2026-11-02T10:50:00+01:00 resolved Now resolved.",
        "    assignee: bob -> carol",
        "    resolved_at set: 2026-11-02T10:50:00+01:00", "",
        "Author: Ada Example <ada@example.com>", "",
        "    Move INC-0001 to its month, investigating", "",
        f"    file moved from {OLD} to {NEW}",
        "    status: new -> investigating",
        "    timeline entry #1 added: 2026-11-02T09:20:00+01:00 investigating Now "
        "investigating.",
        "    assignee set: bob", "",
        "Author: Ada Example <ada@example.com>", "",
        "    Open INC-0001", "",
        f"    created at {OLD}",
        "    status: (none) -> new", "",
        "INC-0001: 3 commits",
    ]
    assert "Date:   2026-11-02T11:00:00+01:00" in result.lines


def test_json_lists_commit_author_time_message_and_changes(story: History) -> None:
    result = run_itsm("log", "INC-0001", "--format", "json", cwd=story.path)
    entries = json.loads(result.stdout)
    assert [e["message"] for e in entries] == [
        "Resolve INC-0001", "Move INC-0001 to its month, investigating", "Open INC-0001"]
    first = entries[0]
    assert first["commit"] == str(story.repo.revparse_single("fix").id)
    assert first["short"] == first["commit"][:7]
    assert first["time"] == "2026-11-02T11:00:00+01:00"
    assert first["changes"][0] == {"what": "status", "field": "status",
                                   "from": "investigating", "to": "resolved"}
    assert entries[1]["changes"][0] == {"what": "moved", "from": OLD, "to": NEW}


def test_a_merge_that_resolves_a_conflict_is_shown(story: History) -> None:
    story.branch("side", "main~1")
    story.commit("2026-11-02T12:10:00+01:00", "Side edit", {
        NEW: incident("INC-0001", "investigating", OPENED,
                      [("2026-11-02T09:20:00+01:00", "investigating")], assignee="dave"),
    }, branch="side")
    story.commit("2026-11-02T12:30:00+01:00", "Merge side, keep carol as assignee", {
        NEW: incident("INC-0001", "resolved", OPENED,
                      [("2026-11-02T09:20:00+01:00", "investigating"),
                       ("2026-11-02T10:50:00+01:00", "resolved")],
                      assignee="erin", resolved_at="2026-11-02T10:50:00+01:00"),
    }, merge="side")
    entries = json.loads(run_itsm("log", "INC-0001", "--format", "json",
                                  cwd=story.path).stdout)
    assert entries[0]["message"] == "Merge side, keep carol as assignee"
    assert entries[0]["merge"] is True
    assert entries[0]["changes"] == [
        {"what": "changed", "field": "assignee", "from": "carol", "to": "erin"}]
    assert entries[1]["message"] == "Side edit"


def test_a_deleted_record_still_has_its_history(story: History) -> None:
    story.commit("2026-11-03T09:00:00+01:00", "Remove INC-0002", {
        "records/incidents/2026/11/INC-0002.yaml": None})
    result = run_itsm("log", "INC-0002", cwd=story.path)
    assert result.code == 0
    assert ("    deleted (was records/incidents/2026/11/INC-0002.yaml)" in result.lines)


def test_second_run_reads_the_index_and_says_the_same(story: History) -> None:
    first = run_itsm("log", "INC-0001", "--format", "json", cwd=story.path)
    index = story.path / ".git" / "itsm" / "history-v3.bin"
    assert index.is_file()
    index.write_bytes(index.read_bytes()[:-1])
    rebuilt = run_itsm("log", "INC-0001", "--format", "json", cwd=story.path)
    again = run_itsm("log", "INC-0001", "--format", "json", cwd=story.path)
    assert first.stdout == rebuilt.stdout == again.stdout
    assert index.read_bytes().startswith(b"itsm-history 3 ")


def test_unknown_id_suggests_a_close_one(story: History) -> None:
    result = run_itsm("log", "INC-001", cwd=story.path)
    assert result.code == 2
    assert result.stderr == ("error: no record 'INC-001' in the history of HEAD: did you mean "
                             "INC-0001?\n")


def test_outside_git_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "itsm.yaml").write_text(CONFIG)
    result = run_itsm("log", "INC-0001", cwd=tmp_path)
    assert result.code == 2
    assert "is not inside a git repository" in result.stderr


def test_shallow_clone_shows_what_it_has_with_a_note(story: History, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{story.path}",
                    str(clone)], check=True, capture_output=True)
    result = run_itsm("log", "INC-0001", cwd=clone)
    assert result.code == 0
    assert result.stderr.startswith("note: this is a shallow clone, so the history stops")
    assert result.lines[-1] == "INC-0001: 1 commit"
    assert f"    created at {NEW}" in result.lines


def test_new_commits_extend_the_index_and_another_branch_is_walked_anew(
        story: History) -> None:
    run_itsm("log", "INC-0001", cwd=story.path)
    story.commit("2026-11-03T09:00:00+01:00", "Reassign", {
        NEW: incident("INC-0001", "resolved", OPENED,
                      [("2026-11-02T09:20:00+01:00", "investigating"),
                       ("2026-11-02T10:50:00+01:00", "resolved")],
                      assignee="dave", resolved_at="2026-11-02T10:50:00+01:00")})
    newest = run_itsm("log", "INC-0001", cwd=story.path)
    assert newest.lines[4:7] == ["    Reassign", "", "    assignee: carol -> dave"]
    older = run_itsm("log", "INC-0001", "--ref", "main~2", cwd=story.path)
    assert older.lines[-1] == "INC-0001: 2 commits"


def test_without_the_git_program_the_story_is_the_same(story: History,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with_git = run_itsm("log", "INC-0001", "--format", "json", cwd=story.path)
    shutil.rmtree(story.path / ".git" / "itsm")
    monkeypatch.setenv("PATH", "")
    without = run_itsm("log", "INC-0001", "--format", "json", cwd=story.path)
    assert without.stdout == with_git.stdout


def test_records_in_a_subfolder_of_the_git_repository(tmp_path: Path) -> None:
    h = History(tmp_path / "mono")
    h.commit("2026-11-02T09:05:00+01:00", "Open", {
        "ops/itsm.yaml": CONFIG,
        "ops/records/incidents/INC-0001.yaml": incident("INC-0001", "new", OPENED, []),
        "other/records/incidents/INC-0001.yaml": "not a record of ops\n",
    })
    h.commit("2026-11-02T09:30:00+01:00", "Investigating", {
        "ops/records/incidents/INC-0001.yaml": incident(
            "INC-0001", "investigating", OPENED,
            [("2026-11-02T09:20:00+01:00", "investigating")]),
    })
    h.checkout()
    result = run_itsm("log", "INC-0001", cwd=h.path / "ops")
    assert result.lines[-1] == "INC-0001: 2 commits"
    assert "    created at records/incidents/INC-0001.yaml" in result.lines


def test_hostile_versions_in_history_are_told_not_read(tmp_path: Path) -> None:
    h = History(tmp_path / "hostile")
    config = CONFIG + "limits:\n  max_file_bytes: 2048\n"
    h.commit("2026-11-02T09:05:00+01:00", "Open", {
        "itsm.yaml": config, PATH_HOSTILE: incident("INC-0009", "new", OPENED, [])})
    h.commit("2026-11-02T09:10:00+01:00", "Huge", {PATH_HOSTILE: "title: x\n" * 1000})
    h.commit("2026-11-02T09:20:00+01:00", "Tagged", {PATH_HOSTILE: "a: !!python/object x\n"})
    h.checkout()
    result = run_itsm("log", "INC-0009", cwd=h.path)
    assert result.code == 0
    assert [line for line in result.lines if "cannot be read" in line] == [
        "    this version cannot be read: line 1: the tag !!python/object is not allowed: "
        "records hold plain text, numbers, true/false, lists and mappings",
        "    this version cannot be read: line 1: file is larger than 2,048 bytes: split "
        "it, or raise limits.max_file_bytes in itsm.yaml",
    ]
    assert run_itsm("audit", cwd=h.path).code == 0
