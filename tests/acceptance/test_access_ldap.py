"""`itsm access` against a real OpenLDAP slapd: groupOfNames membership."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.access_records import RECONCILED_AT, grant, policy, readers_policy, system, write_repo
from tests.helpers import run_itsm
from tests.servers import LDAP_ADMIN, LDAP_PASSWORD, Ldap, free_port

LEGACY = "cn=legacy-sync,ou=robots,dc=example,dc=org"


def _dir(url: str) -> dict[str, object]:
    return system("dir", "ldap", {
        "url": url, "bind_dn": LDAP_ADMIN, "password_env": "ITSM_TEST_LDAP_PASSWORD",
        "group_base": "ou=groups,dc=example,dc=org",
        "member_template": "uid={account},ou=people,dc=example,dc=org",
    }, break_glass=["breakglass"])


@pytest.fixture
def repo(tmp_path: Path, ldap: Ldap, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ITSM_TEST_LDAP_PASSWORD", LDAP_PASSWORD)
    ldap.group("app_readers", "ada", "dan", "cleo", "mallory", "breakglass", LEGACY)
    ldap.group("auditors", "mallory")
    return write_repo(tmp_path / "repo", _dir(ldap.url), readers_policy("dir"),
                      policy("auditors", "dir", "auditors", []))


def test_plan_reads_accounts_from_member_dns(repo: Path) -> None:
    result = run_itsm("access", "plan", "--format", "json", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [(c["action"], c["role"], c["account"], c["reason"]) for c in document["changes"]] == [
        ("grant", "app_readers", "ben", "missing"),
        ("grant", "app_readers", "eve", "missing"),
        ("revoke", "app_readers", "cleo", "left"),
        ("revoke", "app_readers", LEGACY, "unauthorised"),
        ("revoke", "app_readers", "dan", "expired"),
        ("revoke", "app_readers", "mallory", "unauthorised"),
        ("revoke", "auditors", "mallory", "unauthorised"),
    ]
    assert [(u["account"], u["reason"]) for u in document["unmanaged"]] == [
        ("breakglass", "break-glass")]


def test_apply_converges_keeps_break_glass_and_never_empties_a_group(
    repo: Path, ldap: Ldap
) -> None:
    result = run_itsm("access", "apply", "--yes", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    assert result.lines[-1] == "Apply: 7 applied, 0 failed, 0 unverified, 0 skipped."
    assert ldap.members("app_readers") == sorted(
        ldap.dn(account) for account in ("ada", "ben", "eve", "breakglass"))
    # groupOfNames must keep a member: the placeholder holds the emptied group.
    assert ldap.members("auditors") == ["cn=nobody"]
    again = run_itsm("access", "plan", "--detailed-exitcode", "--now", RECONCILED_AT, cwd=repo)
    assert again.code == 0, again.stdout
    assert again.lines[-1] == "Plan: 0 to grant, 0 to revoke, 1 unmanaged on 1 system(s)."


def test_a_grant_to_an_emptied_group_replaces_the_placeholder(repo: Path, ldap: Ldap) -> None:
    assert run_itsm("access", "apply", "--yes", "--now", RECONCILED_AT, cwd=repo).code == 0
    write_repo(repo, _dir(ldap.url), readers_policy("dir"),
               policy("auditors", "dir", "auditors", [grant("eve")]))
    result = run_itsm("access", "apply", "--yes", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 0, result.stdout
    assert ldap.members("auditors") == [ldap.dn("eve")]


def test_wrong_password_exits_2(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITSM_TEST_LDAP_PASSWORD", "guess")
    result = run_itsm("access", "plan", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 2
    assert result.stderr == (
        "error: dir: the LDAP server refused the bind: invalidCredentials: check the bind DN "
        "and the password in the environment variable connection.password_env names\n")


def test_unreachable_server_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITSM_TEST_LDAP_PASSWORD", LDAP_PASSWORD)
    repo = write_repo(tmp_path / "repo", _dir(f"ldap://127.0.0.1:{free_port()}"),
                      readers_policy("dir"))
    result = run_itsm("access", "review", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 2
    assert result.stderr.startswith("error: dir: cannot reach the LDAP server: ")
    assert result.stderr.endswith("check connection.url and that the server is up\n")
