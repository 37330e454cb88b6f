"""`itsm access` against a real PostgreSQL: plan, apply, read back, guards, failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itsm_as_code.access.apply import apply
from itsm_as_code.access.plan import make_plan
from itsm_as_code.access.session import Session
from tests.access_records import (
    RECONCILED_AT,
    context,
    grant,
    policy,
    readers_policy,
    system,
    write_repo,
)
from tests.helpers import run_itsm
from tests.servers import Postgres, free_port

LOGINS = ("olga", "ada", "ben_ops", "cleo", "dan", "eve", "mallory", "dba_emergency")
DB = system("db", "postgres", {"dsn_env": "ITSM_TEST_DSN"}, break_glass=["dba_emergency"])
WRITERS = policy("writers", "db", "app_writers", [grant("dan")], exclusive=False)


@pytest.fixture
def repo(tmp_path: Path, postgres: Postgres, monkeypatch: pytest.MonkeyPatch) -> Path:
    postgres.roles("app_readers", "app_writers", logins=LOGINS)
    postgres.add("app_readers", "ada", "dan", "cleo", "mallory", "dba_emergency")
    postgres.add("app_writers", "mallory")
    monkeypatch.setenv("ITSM_TEST_DSN", postgres.dsn)
    return write_repo(tmp_path / "repo", DB, readers_policy(), WRITERS)


def _plan(repo: Path, *args: str) -> dict[str, object]:
    result = run_itsm("access", "plan", "--format", "json", "--now", RECONCILED_AT, *args, cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def _short(changes: object) -> list[tuple[object, ...]]:
    assert isinstance(changes, list)
    return [(c["action"], c["role"], c["account"], c.get("subject"), c["reason"], c["policy"])
            if "action" in c else (c["role"], c["account"], c["reason"], c["policy"])
            for c in changes]


def test_plan_names_missing_unauthorised_expired_and_leavers(repo: Path) -> None:
    document = _plan(repo)
    assert _short(document["changes"]) == [
        ("grant", "app_readers", "ben_ops", "ops", "missing", "readers"),
        ("grant", "app_readers", "eve", "eve", "missing", "readers"),
        ("revoke", "app_readers", "cleo", "cleo", "left", "readers"),
        ("revoke", "app_readers", "dan", "dan", "expired", "readers"),
        ("revoke", "app_readers", "mallory", "mallory", "unauthorised", "readers"),
        ("grant", "app_writers", "dan", "dan", "missing", "writers"),
    ]
    assert _short(document["unmanaged"]) == [
        ("app_readers", "dba_emergency", "break-glass", "readers"),
        ("app_writers", "mallory", "unauthorised", "writers"),
    ]


def test_plan_exit_codes(repo: Path) -> None:
    assert run_itsm("access", "plan", "--now", RECONCILED_AT, cwd=repo).code == 0
    detailed = run_itsm("access", "plan", "--detailed-exitcode", "--now", RECONCILED_AT, cwd=repo)
    assert detailed.code == 2
    assert detailed.lines[-1] == ("Plan: 3 to grant, 3 to revoke, 2 unmanaged on 1 "
                                  "system(s).")


def test_apply_converges_and_a_second_apply_changes_nothing(
    repo: Path, postgres: Postgres
) -> None:
    result = run_itsm("access", "apply", "--yes", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    assert result.lines[-1] == "Apply: 6 applied, 0 failed, 0 unverified, 0 skipped."
    assert postgres.members("app_readers") == {"ada", "ben_ops", "eve", "dba_emergency"}
    assert postgres.members("app_writers") == {"dan", "mallory"}
    again = run_itsm("access", "apply", "--yes", "--now", RECONCILED_AT, cwd=repo)
    assert again.code == 0
    assert again.lines == ["Apply: 0 applied, 0 failed, 0 unverified, 0 skipped."]
    assert run_itsm("access", "plan", "--detailed-exitcode", "--now", RECONCILED_AT,
                    cwd=repo).code == 0


def test_without_yes_apply_only_plans(repo: Path, postgres: Postgres) -> None:
    result = run_itsm("access", "apply", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 0
    assert "This was a plan only: rerun with --yes to apply it." in result.stderr
    assert postgres.members("app_readers") == {"ada", "dan", "cleo", "mallory", "dba_emergency"}


def test_removal_guard_refuses_and_changes_nothing(repo: Path, postgres: Postgres) -> None:
    result = run_itsm("access", "apply", "--yes", "--max-removals", "2", "--now", RECONCILED_AT,
                      cwd=repo)
    assert result.code == 1
    assert result.stderr == (
        "error: the plan removes 3 member(s), more than the limit of 2: nothing was changed. "
        "Check the plan; if it is right, rerun with --max-removals 3 (or raise "
        "access.max_removals in itsm.yaml)\n")
    assert postgres.members("app_readers") == {"ada", "dan", "cleo", "mallory", "dba_emergency"}
    assert postgres.members("app_writers") == {"mallory"}


def test_removal_limit_comes_from_itsm_yaml(repo: Path, postgres: Postgres) -> None:
    (repo / "itsm.yaml").write_text("organization: Test Ltd\naccess:\n  max_removals: 1\n")
    assert run_itsm("access", "apply", "--yes", "--now", RECONCILED_AT, cwd=repo).code == 1
    assert postgres.members("app_writers") == {"mallory"}
    assert run_itsm("access", "apply", "--yes", "--max-removals", "3", "--now", RECONCILED_AT,
                    cwd=repo).code == 0


def test_break_glass_account_is_never_revoked(repo: Path, postgres: Postgres) -> None:
    loaded = context(repo)
    with Session(loaded.config, {"ITSM_TEST_DSN": postgres.dsn}) as session:
        plan = make_plan(loaded, session)
        # A plan tampered with (or built by another tool) that revokes the emergency account.
        forged = plan.systems[0].changes[2]
        plan.systems[0].changes.append(
            type(forged)("db", "readers", "revoke", "app_readers", "dba_emergency", None, None,
                         "unauthorised"))
        report = apply(plan, session, max_removals=10)
    refused = report.having("failed")
    assert [(o.change.account, o.detail) for o in refused] == [
        ("dba_emergency", "a break-glass account is never revoked")]
    assert "dba_emergency" in postgres.members("app_readers")


def test_a_role_dropped_between_plan_and_apply_fails_alone(
    repo: Path, postgres: Postgres
) -> None:
    loaded = context(repo)
    with Session(loaded.config, {"ITSM_TEST_DSN": postgres.dsn}) as session:
        plan = make_plan(loaded, session)
        postgres.execute("DROP ROLE app_writers")
        report = apply(plan, session, max_removals=10)
    assert not report.succeeded
    assert [(o.change.role, o.change.account, o.detail) for o in report.having("failed")] == [
        ("app_writers", "dan", 'role "app_writers" does not exist')]
    assert len(report.having("applied")) == 5
    assert postgres.members("app_readers") == {"ada", "ben_ops", "eve", "dba_emergency"}
    assert report.after["db"] == {"app_readers": ["ada", "ben_ops", "dba_emergency", "eve"]}


def test_a_revoke_the_server_ignores_is_a_failure(repo: Path, postgres: Postgres) -> None:
    loaded = context(repo)
    with Session(loaded.config, {"ITSM_TEST_DSN": postgres.dsn}) as session:
        plan = make_plan(loaded, session)
        postgres.execute("REVOKE app_readers FROM mallory")  # meanwhile, by hand
        report = apply(plan, session, max_removals=10)
    (failed,) = report.having("failed")
    assert failed.change.account == "mallory"
    # The server's own words (they differ between versions), and no success claimed.
    assert failed.detail.startswith('PostgreSQL did not make the change: role "mallory" ')
    assert "app_readers" in failed.detail


def test_apply_reports_a_failure_and_exits_1(repo: Path, postgres: Postgres) -> None:
    postgres.execute("DROP ROLE eve")  # the account a grant names is gone
    result = run_itsm("access", "apply", "--yes", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 1
    assert result.lines == [
        "RESULT   CHANGE    SYSTEM  ROLE         ACCOUNT  PERSON   VIA  REASON        DETAIL",
        "applied  + grant   db      app_readers  ben_ops  ben      ops  missing       -",
        'failed   + grant   db      app_readers  eve      eve      -    missing       role "eve" '
        "does not exist",
        "applied  + grant   db      app_writers  dan      dan      -    missing       -",
        "applied  - revoke  db      app_readers  cleo     cleo     -    left          -",
        "applied  - revoke  db      app_readers  dan      dan      -    expired       -",
        "applied  - revoke  db      app_readers  mallory  mallory  -    unauthorised  -",
        "Apply: 5 applied, 1 failed, 0 unverified, 0 skipped.",
    ]
    assert postgres.members("app_readers") == {"ada", "ben_ops", "dba_emergency"}


def test_evidence_file_tells_an_auditor_what_happened(repo: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTOR", "access-bot")
    result = run_itsm("access", "apply", "--yes", "--evidence", str(tmp_path / "evidence"),
                      "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 0, result.stderr
    (written,) = (tmp_path / "evidence").iterdir()
    assert written.name == "access-20261122T100000Z.json"
    evidence = json.loads(written.read_text())
    assert (evidence["format"], evidence["time"], evidence["actor"], evidence["applied"]) == (
        "itsm-access-evidence/v1", "2026-11-22T10:00:00Z", "access-bot", True)
    assert evidence["before"]["db"]["app_readers"] == [
        "ada", "cleo", "dan", "dba_emergency", "mallory"]
    assert evidence["after"]["db"]["app_readers"] == ["ada", "ben_ops", "dba_emergency", "eve"]
    assert len(evidence["plan"]["changes"]) == 6
    assert {r["status"] for r in evidence["results"]} == {"applied"}
    assert evidence["succeeded"] is True
    run_itsm("access", "apply", "--yes", "--evidence", str(tmp_path / "evidence"),
             "--now", RECONCILED_AT, cwd=repo)
    assert len(list((tmp_path / "evidence").iterdir())) == 2  # a run never overwrites one


def test_review_lists_every_member_with_its_grant(repo: Path) -> None:
    result = run_itsm("access", "review", "--format", "csv", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 0, result.stderr
    assert result.lines == [
        "system,role,account,person,status,policy,grant,subject,approved_by,approved_at,"
        "age_days,expires",
        "db,app_readers,ada,ada,granted,readers,0,ops,olga,2026-10-01T00:00:00Z,52,",
        "db,app_readers,cleo,cleo,left,readers,2,cleo,olga,2026-10-01T00:00:00Z,52,",
        "db,app_readers,dan,dan,expired,readers,1,dan,olga,2026-10-01T00:00:00Z,52,"
        "2026-11-01T00:00:00Z",
        "db,app_readers,dba_emergency,,break-glass,readers,,,,,,",
        "db,app_readers,mallory,mallory,unauthorised,readers,,,,,,",
        "db,app_writers,mallory,mallory,unauthorised,writers,,,,,,",
    ]


def test_missing_environment_variable_exits_2_naming_system_and_variable(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ITSM_TEST_DSN")
    result = run_itsm("access", "plan", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 2
    assert result.stderr == (
        "error: db: the environment variable ITSM_TEST_DSN (connection.dsn_env) is not set: "
        "set it where itsm runs (in CI, from a repository secret)\n")


def test_refused_connection_exits_2_and_other_systems_are_still_planned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = write_repo(tmp_path / "repo", DB, readers_policy(),
                      system("export", "file", {"path": "access/export.json"}),
                      policy("export-readers", "export", "readers", [grant("eve")]))
    (repo / "records/access/export.json").write_text('{"groups": {"readers": ["mallory"]}}')
    monkeypatch.setenv("ITSM_TEST_DSN", f"host=127.0.0.1 port={free_port()} dbname=x "
                                        "user=itsm_bot password=secret connect_timeout=5")
    result = run_itsm("access", "plan", "--format", "json", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 2
    assert result.stderr.startswith("error: db: cannot connect to PostgreSQL: ")
    assert "Connection refused" in result.stderr
    assert result.stderr.endswith("check that ITSM_TEST_DSN names a reachable server, the "
                                  "database, and the right user and password\n")
    assert "secret" not in result.stderr
    document = json.loads(result.stdout)
    assert [(c["system"], c["action"], c["account"]) for c in document["changes"]] == [
        ("export", "grant", "eve"), ("export", "revoke", "mallory")]


def test_wrong_password_exits_2(repo: Path, postgres: Postgres,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITSM_TEST_DSN", postgres.dsn.replace("bot-secret", "guess"))
    result = run_itsm("access", "plan", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 2
    assert 'password authentication failed for user "itsm_bot"' in result.stderr
    assert "guess" not in result.stderr


def test_itsm_run_plans_access_without_failing_on_drift(repo: Path) -> None:
    result = run_itsm("run", "--now", RECONCILED_AT, cwd=repo)
    assert "access: ok: 3 to grant, 3 to revoke, 2 unmanaged on 1 system(s)" in result.stderr
    assert ("records/access/readers.yaml:14:3: warning: revoke app_readers from dan "
            "[expired] [access-plan]") in result.lines


def test_itsm_run_fails_on_a_configured_system_it_cannot_reach(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ITSM_TEST_DSN", f"host=127.0.0.1 port={free_port()} connect_timeout=5")
    result = run_itsm("run", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 2
    assert "access: FAILED" in result.stderr
