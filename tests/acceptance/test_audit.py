"""`itsm audit`: what a real git history says about the records."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.git.history import load_history
from itsm_as_code.history.audit import audit
from itsm_as_code.history.audit_rules import AUDIT_RULES
from itsm_as_code.store.loader import Limits
from tests.helpers import run_itsm
from tests.history_repos import CONFIG, History, git, incident, published

PATH = "records/incidents/2026/11/INC-0001.yaml"
OPENED = "2026-11-02T09:00:00+01:00"
INVESTIGATING = ("2026-11-02T09:20:00+01:00", "investigating")
RESOLVED = ("2026-11-02T10:00:00+01:00", "resolved")
CLOSED = ("2026-11-03T10:00:00+01:00", "closed")
DONE = {"resolved_at": RESOLVED[0], "closed_at": CLOSED[0]}


@pytest.fixture
def history(tmp_path: Path) -> History:
    """INC-0001 opened, investigated, resolved and closed, each written on time."""
    h = History(tmp_path / "repo")
    h.commit("2026-11-02T09:05:00+01:00", "Open INC-0001", {
        "itsm.yaml": CONFIG, PATH: incident("INC-0001", "new", OPENED, [])})
    h.commit("2026-11-02T09:25:00+01:00", "Investigating", {
        PATH: incident("INC-0001", "investigating", OPENED, [INVESTIGATING])})
    h.commit("2026-11-02T10:05:00+01:00", "Resolved", {
        PATH: incident("INC-0001", "resolved", OPENED, [INVESTIGATING, RESOLVED],
                       resolved_at=RESOLVED[0])})
    h.commit("2026-11-03T10:05:00+01:00", "Closed", {
        PATH: incident("INC-0001", "closed", OPENED, [INVESTIGATING, RESOLVED, CLOSED],
                       **DONE)})
    h.checkout()
    return h


def test_a_clean_history_passes(history: History) -> None:
    result = run_itsm("audit", cwd=history.path)
    assert (result.code, result.stdout) == (0, "ok: 4 commits and 1 records audited\n")


def test_a_timestamp_written_days_later_is_backdated(history: History) -> None:
    history.commit("2026-11-10T12:00:00+01:00", "Record an old incident", {
        "records/incidents/2026/11/INC-0002.yaml":
            incident("INC-0002", "investigating", "2026-11-06T08:00:00+01:00",
                     [("2026-11-06T08:30:00+01:00", "investigating")])})
    result = run_itsm("audit", cwd=history.path)
    assert result.code == 1
    oid = str(history.repo.head.target)[:7]
    commit = (f"[commit {oid} by Ada Example <ada@example.com> at 2026-11-10T12:00:00+01:00: "
              "Record an old incident]")
    assert result.lines == [
        "records/incidents/2026/11/INC-0002.yaml:11:12: error: opened_at "
        f"2026-11-06T08:00:00+01:00 was written 4d 4h after that time (tolerance 1d) {commit} "
        "[backdated]",
        "records/incidents/2026/11/INC-0002.yaml:13:9: error: timeline.0.at "
        f"2026-11-06T08:30:00+01:00 was written 4d 3h 30m after that time (tolerance 1d) "
        f"{commit} [backdated]",
        "2 finding(s): 5 commits and 2 records audited",
    ]


def test_the_tolerance_is_configurable(history: History) -> None:
    history.commit("2026-11-10T12:00:00+01:00", "Late record, tolerance a week", {
        "itsm.yaml": CONFIG + "audit:\n  backdate_tolerance: 7d\n",
        "records/incidents/2026/11/INC-0002.yaml":
            incident("INC-0002", "new", "2026-11-06T08:00:00+01:00", [])})
    history.checkout()
    assert run_itsm("audit", cwd=history.path).code == 0


def test_editing_a_closed_record_is_found_reopening_is_not(history: History) -> None:
    history.commit("2026-11-04T09:00:00+01:00", "Fix the assignee", {
        PATH: incident("INC-0001", "closed", OPENED, [INVESTIGATING, RESOLVED, CLOSED],
                       assignee="bob", **DONE)})
    result = run_itsm("audit", "--format", "json", cwd=history.path)
    assert result.code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "changed-after-closure"
    assert (finding["path"], finding["line"], finding["record"]) == (PATH, 12, "INC-0001")
    assert finding["message"].startswith(
        "changed assignee of a closed record without reopening it [commit ")
    reopened = ("2026-11-05T09:00:00+01:00", "investigating")
    history.commit("2026-11-05T09:05:00+01:00", "Reopen", {
        PATH: incident("INC-0001", "investigating", OPENED,
                       [INVESTIGATING, RESOLVED, CLOSED, reopened], assignee="bob")})
    again = json.loads(run_itsm("audit", "--format", "json", cwd=history.path).stdout)
    assert [f["rule"] for f in again["findings"]] == ["changed-after-closure"]


def test_linking_a_closed_incident_to_its_problem_is_no_finding(history: History) -> None:
    """Problem management starts after closure: the links of a closed incident change
    without reopening it (as `itsm validate --base` allows); nothing else does."""
    history.commit("2026-11-04T09:00:00+01:00", "Link INC-0001 to its problem", {
        PATH: incident("INC-0001", "closed", OPENED, [INVESTIGATING, RESOLVED, CLOSED],
                       problem="PRB-0001", category="database", **DONE)})
    result = run_itsm("audit", "--format", "json", cwd=history.path)
    assert json.loads(result.stdout)["findings"] == [], result.stdout
    history.commit("2026-11-04T10:00:00+01:00", "Link, and fix the assignee", {
        PATH: incident("INC-0001", "closed", OPENED, [INVESTIGATING, RESOLVED, CLOSED],
                       problem="PRB-0002", category="database", assignee="bob", **DONE)})
    (finding,) = json.loads(run_itsm("audit", "--format", "json",
                                     cwd=history.path).stdout)["findings"]
    assert finding["message"].startswith(
        "changed assignee of a closed record without reopening it [commit ")


def test_a_rewritten_timeline_entry_is_found(history: History) -> None:
    history.commit("2026-11-04T09:00:00+01:00", "Tidy the timeline", {
        PATH: incident("INC-0001", "closed", OPENED,
                       [("2026-11-02T09:21:00+01:00", "investigating"), RESOLVED, CLOSED],
                       **DONE)})
    result = run_itsm("audit", "--format", "github", cwd=history.path)
    assert result.code == 1
    rules = [line.split("title=")[1].split("::")[0] for line in result.lines[:-1]]
    assert rules == ["changed-after-closure", "timeline-rewritten"]
    assert "line=15,col=5," in result.lines[1]
    assert "timeline entry #1 (at 2026-11-02T09:20:00+01:00) was changed" in result.lines[1]


def test_a_change_made_on_a_branch_is_judged_once_not_again_at_the_merge(
        history: History) -> None:
    history.branch("late", "main~2")
    history.commit("2026-11-09T09:00:00+01:00", "Late record on a branch", {
        "records/incidents/2026/11/INC-0003.yaml":
            incident("INC-0003", "new", "2026-11-02T08:00:00+01:00", [])}, branch="late")
    history.commit("2026-11-09T10:00:00+01:00", "Merge late", {}, merge="late")
    result = run_itsm("audit", cwd=history.path)
    assert [line.rsplit("[", 1)[1] for line in result.lines[:-1]] == ["backdated]"]
    assert "Late record on a branch]" in result.lines[0]


def test_a_force_pushed_branch_is_history_rewritten(history: History) -> None:
    repo = history.repo
    published = repo.references["refs/heads/main"].target
    repo.create_reference_direct("refs/remotes/origin/main", published, False,
                                 message="fetch: storing head")
    repo.create_reference_direct("refs/remotes/origin/main", repo.revparse_single("main~1").id,
                                 True, message="fetch: forced-update")
    result = run_itsm("audit", cwd=history.path)
    assert result.code == 1
    assert result.lines[0] == (
        f"{PATH}:1:1: error: commit {str(published)[:7]} (Ada Example <ada@example.com> at "
        "2026-11-03T10:05:00+01:00: Closed) changed INC-0001 and was on origin/main, which no "
        "longer holds it: the published history was rewritten (force-push); see "
        "`git reflog origin/main` [history-rewritten]")


def test_a_shallow_clone_cannot_be_audited(history: History, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{history.path}",
                    str(clone)], check=True, capture_output=True)
    result = run_itsm("audit", cwd=clone)
    assert result.code == 2
    assert result.stderr == (
        "error: itsm audit: this is a shallow clone, so the history it would audit is "
        "incomplete; fetch the full history first (`git fetch --unshallow`, or "
        "`fetch-depth: 0` in actions/checkout)\n")


def test_an_unknown_ref_is_a_usage_error(history: History) -> None:
    result = run_itsm("audit", "--ref", "nope", cwd=history.path)
    assert result.code == 2
    assert "no commit named 'nope'" in result.stderr


def test_every_audit_rule_is_documented() -> None:
    readme = (Path(__file__).parent.parent.parent / "README.md").read_text(encoding="utf-8")
    for rule in AUDIT_RULES:
        assert f"| `{rule}` |" in readme


def test_a_second_audit_reads_its_findings_back(history: History) -> None:
    history.commit("2026-11-10T12:00:00+01:00", "Late and rewritten", {
        PATH: incident("INC-0001", "closed", OPENED, [INVESTIGATING, CLOSED], **DONE),
        "records/incidents/2026/11/INC-0002.yaml":
            incident("INC-0002", "new", "2026-11-06T08:00:00+01:00", [])})
    first = run_itsm("audit", "--format", "json", cwd=history.path)
    cache = history.path / ".git" / "itsm" / "audit-v3.json"
    assert cache.is_file()
    again = run_itsm("audit", "--format", "json", cwd=history.path)
    cache.write_text('{"version": 1, "settings": 3}')
    rebuilt = run_itsm("audit", "--format", "json", cwd=history.path)
    assert first.stdout == again.stdout == rebuilt.stdout
    assert [f["rule"] for f in json.loads(first.stdout)["findings"]] == [
        "changed-after-closure", "timeline-rewritten", "timeline-rewritten", "backdated"]


def test_the_first_commit_that_writes_records_is_an_import(tmp_path: Path) -> None:
    h = History(tmp_path / "imported")
    h.commit("2026-11-01T09:00:00+01:00", "Settings", {"itsm.yaml": CONFIG,
                                                        "records/.keep": ""})
    h.commit("2026-11-20T09:00:00+01:00", "Import from the old tool", {
        PATH: incident("INC-0001", "investigating", OPENED, [INVESTIGATING])})
    h.checkout()
    assert run_itsm("audit", cwd=h.path).stdout == "ok: 2 commits and 1 records audited\n"


def test_several_processes_find_what_one_finds(history: History) -> None:
    history.commit("2026-11-04T09:00:00+01:00", "Tidy the timeline", {
        PATH: incident("INC-0001", "closed", OPENED,
                       [("2026-11-02T09:21:00+01:00", "investigating"), RESOLVED, CLOSED],
                       **DONE)})
    history.branch("late", "main~3")
    history.commit("2026-11-09T09:00:00+01:00", "Late record on a branch", {
        "records/incidents/2026/11/INC-0003.yaml":
            incident("INC-0003", "new", "2026-11-02T08:00:00+01:00", [])}, branch="late")
    history.commit("2026-11-09T10:00:00+01:00", "Merge late", {}, merge="late")
    config = load_config(history.path)
    source = load_history(config.root, config.records_dir)
    limits = Limits(config.max_file_bytes, config.max_aliases)
    alone = audit(source, [], limits, config.backdate_tolerance, parallel_from=10**9)
    shared = audit(source, [], limits, config.backdate_tolerance, parallel_from=1)
    assert shared == alone
    assert sorted(f.rule for f in shared.findings) == [
        "backdated", "changed-after-closure", "timeline-rewritten"]


def _write(clone: Path, path: str, text: str, message: str) -> str:
    (clone / path).parent.mkdir(parents=True, exist_ok=True)
    (clone / path).write_text(text)
    git(clone, "add", "--all")
    git(clone, "commit", "--quiet", "-m", message)
    return git(clone, "rev-parse", "--short=7", "HEAD")


@pytest.fixture
def remote(tmp_path: Path) -> tuple[Path, Path]:
    """Ada's clone (without origin/HEAD: it was cloned empty) of a bare remote whose main
    holds INC-0001; returns (Ada's clone, a folder for more clones)."""
    files = tmp_path / "files"
    (files / PATH).parent.mkdir(parents=True)
    (files / "itsm.yaml").write_text(CONFIG)
    (files / PATH).write_text(incident("INC-0001", "new", "2026-11-22T08:30:00+01:00", []))
    _, clone = published(tmp_path / "git", files)
    return clone, tmp_path / "git"


OPENED_LATER = "2026-11-22T08:40:00+01:00"
SECOND = "records/incidents/2026/11/INC-0002.yaml"


def _rewrite_main_and_branches(ada: Path) -> str:
    """Push main, a pull request branch and the alerts branch, then amend each and force
    push it. Returns the short oid of the commit the force push dropped from main."""
    dropped = _write(ada, SECOND, incident("INC-0002", "new", OPENED_LATER, []), "INC-0002")
    git(ada, "push", "--quiet", "origin", "main")
    for branch, record in (("fix/typo", "INC-0003"), ("events/alerts", "INC-0004")):
        git(ada, "switch", "--quiet", "-c", branch)
        _write(ada, f"records/incidents/2026/11/{record}.yaml",
               incident(record, "new", OPENED_LATER, []), f"Work on {branch}")
        git(ada, "push", "--quiet", "origin", branch)
        git(ada, "commit", "--quiet", "--amend", "-m", f"Work on {branch}, amended")
        git(ada, "push", "--quiet", "--force", "origin", branch)
        git(ada, "switch", "--quiet", "main")
    git(ada, "reset", "--quiet", "--hard", "HEAD~1")
    _write(ada, SECOND, incident("INC-0002", "new", "2026-11-22T08:45:00+01:00", []),
           "INC-0002, written again")
    git(ada, "push", "--quiet", "--force", "origin", "main")
    return dropped


def test_only_a_force_push_to_a_protected_branch_is_history_rewritten(
        remote: tuple[Path, Path]) -> None:
    ada, _ = remote
    dropped = _rewrite_main_and_branches(ada)
    result = run_itsm("audit", "--format", "json", cwd=ada)
    assert result.code == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["path"]) for f in findings] == [("history-rewritten", SECOND)]
    assert findings[0]["message"].startswith(f"commit {dropped} (Ada Example")
    assert "was on origin/main, which no longer holds it" in findings[0]["message"]


def test_the_remotes_default_branch_is_protected_in_a_fresh_clone(
        remote: tuple[Path, Path]) -> None:
    ada, folder = remote
    _write(ada, SECOND, incident("INC-0002", "new", OPENED_LATER, []), "INC-0002")
    git(ada, "push", "--quiet", "origin", "main")
    bob = folder / "bob"
    git(folder, "clone", "--quiet", f"file://{folder / 'remote.git'}", str(bob))
    assert git(bob, "symbolic-ref", "refs/remotes/origin/HEAD") == "refs/remotes/origin/main"
    git(ada, "switch", "--quiet", "-c", "fix/typo")
    _write(ada, "records/incidents/2026/11/INC-0003.yaml",
           incident("INC-0003", "new", OPENED_LATER, []), "Open INC-0003")
    git(ada, "push", "--quiet", "origin", "fix/typo")
    git(bob, "fetch", "--quiet")
    git(ada, "commit", "--quiet", "--amend", "-m", "Open INC-0003, amended")
    git(ada, "push", "--quiet", "--force", "origin", "fix/typo")
    git(bob, "fetch", "--quiet")
    assert run_itsm("audit", cwd=bob).code == 0
    git(ada, "switch", "--quiet", "main")
    git(ada, "reset", "--quiet", "--hard", "HEAD~1")
    git(ada, "commit", "--quiet", "--allow-empty", "-m", "Replace main")
    git(ada, "push", "--quiet", "--force", "origin", "main")
    git(bob, "fetch", "--quiet")
    git(bob, "reset", "--quiet", "--hard", "origin/main")
    result = run_itsm("audit", "--format", "json", cwd=bob)
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["history-rewritten"]


def test_protected_branches_are_configurable_with_patterns(remote: tuple[Path, Path]) -> None:
    ada, _ = remote
    _rewrite_main_and_branches(ada)
    (ada / "itsm.yaml").write_text(CONFIG + "audit:\n  protected_branches: [events/*]\n")
    result = run_itsm("audit", "--format", "json", cwd=ada)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["message"].split(" was on ")[1].split(",")[0]) for f in findings] == [
        ("history-rewritten", "origin/events/alerts")]
