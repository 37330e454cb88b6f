"""One evidence chain from the ask to verified access, on a real PostgreSQL: a request
made from the catalogue, approved by the policy's owner, a grant that cites it, applied
and read back, and the evidence file naming the request beside the change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import helpers
from tests.access_records import RECONCILED_AT, system, write_repo
from tests.desk_repos import form_event
from tests.helpers import run_itsm
from tests.servers import Postgres

NOW = helpers.parse_timestamp("2026-11-22T10:00:00+01:00")
POLICY = "records/access/readers.yaml"
ACCESS_TYPE = {
    "apiVersion": "itsm/v1", "kind": "RequestType", "id": "db-read-access",
    "name": "Read access to the database", "description": "Read-only queries.",
    "service": "web", "access_policy": "readers",
    "form": [{"id": "purpose", "label": "What for", "type": "textarea", "required": True}],
    "approval": {"stages": [{"name": "Owners", "approvers": {"policy_owners": "readers"}}]},
    "fulfilment": {"team": "ops", "steps": [{"id": "grant", "text": "Add the grant"}]},
}


def _policy(*grants: dict[str, object]) -> dict[str, object]:
    return helpers.policy("readers", system="db", role="app_readers", owners=["olga"],
                          exclusive=True, grants=list(grants))


@pytest.fixture
def repo(tmp_path: Path, postgres: Postgres, monkeypatch: pytest.MonkeyPatch) -> Path:
    """eve, who has no access yet, and olga, who owns the readers policy."""
    for module in ("itsm_as_code.cli.common", "itsm_as_code.cli.stepoptions"):
        monkeypatch.setattr(f"{module}.wall_clock", lambda: NOW)
    postgres.roles("app_readers", logins=("eve", "olga"))
    monkeypatch.setenv("ITSM_TEST_DSN", postgres.dsn)
    return write_repo(tmp_path / "repo", system("db", "postgres", {"dsn_env": "ITSM_TEST_DSN"}),
                      _policy(), helpers.service("web"), ACCESS_TYPE)


def _run(repo: Path, *args: str) -> list[str]:
    result = run_itsm(*args, cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    return result.lines


def test_a_request_approved_granted_and_applied_is_named_in_the_evidence(
        repo: Path, postgres: Postgres, tmp_path: Path) -> None:
    _run(repo, "new", "request", "--type", "db-read-access", "--requested-by", "eve",
         "--title", "Read access for the refunds report", "--answer",
         "purpose=The monthly refunds report.", "--at", "08:00")
    # A grant may not cite the request before an owner approves it.
    helpers.write(repo, _policy(helpers.grant("eve", approved_by="olga", ticket="REQ-0001")))
    refused = run_itsm("validate", "--now", RECONCILED_AT, cwd=repo)
    assert refused.lines[0] == (
        f"{POLICY}:13:11: error: grants[0].ticket: REQ-0001 is submitted: a grant cites a "
        "request once it is approved (itsm approve REQ-0001 --by PERSON) [grant-ticket]")
    assert _run(repo, "approve", "REQ-0001", "--by", "olga", "--author", "olga",
                "--at", "08:30")[0] == (
        'REQ-0001 "Read access for the refunds report": submitted -> approved at '
        "2026-11-22 08:30 UTC by Olga (olga)")
    assert run_itsm("validate", "--now", RECONCILED_AT, cwd=repo).lines == [
        "ok: 13 records valid"]
    _run(repo, "access", "apply", "--yes", "--evidence", str(tmp_path / "evidence"),
         "--now", RECONCILED_AT)
    assert postgres.members("app_readers") == {"eve"}
    (written,) = (tmp_path / "evidence").iterdir()
    evidence = json.loads(written.read_text())
    assert [(result["action"], result["account"], result["ticket"], result["status"])
            for result in evidence["results"]] == [("grant", "eve", "REQ-0001", "applied")]
    assert evidence["plan"]["changes"][0]["ticket"] == "REQ-0001"
    _run(repo, "update", "REQ-0001", "--done", "grant", "--at", "09:00")
    _run(repo, "fulfil", "REQ-0001", "--at", "09:05")
    assert run_itsm("validate", "--now", RECONCILED_AT, cwd=repo).code == 0


def test_from_an_issue_to_a_verified_grant_with_one_evidence_chain(
        repo: Path, postgres: Postgres, tmp_path: Path) -> None:
    """Eve asks on GitHub, from the form `itsm desk forms` wrote; the desk records her
    request and names who approves; Olga approves; the grant cites the request; apply
    grants it on the server, the evidence names the request, and the plan is clean."""
    helpers.write(repo, helpers.person("eve", email="eve@example.com", github="eve-gh"))
    _run(repo, "desk", "forms")
    data = form_event(repo, "db-read-access", "Read access for the refunds report",
                      {"purpose": "The monthly refunds report."}, login="eve-gh", number=7)
    path = tmp_path / "event.json"
    path.write_text(json.dumps(data))
    answer = _run(repo, "desk", "intake", "--github-event", str(path), "--now",
                  "2026-11-22T08:00:00+01:00")
    assert answer[:7] == [
        "<!-- itsm-desk:REQ-0001 -->", "Thank you, Eve.", "",
        "Your request is recorded as **REQ-0001**: Read access for the refunds report.", "",
        "What happens next:", "- Approval (Owners) by Olga."]
    _run(repo, "approve", "REQ-0001", "--by", "olga", "--author", "olga", "--at", "08:30")
    helpers.write(repo, _policy(helpers.grant("eve", approved_by="olga", ticket="REQ-0001")))
    assert run_itsm("validate", "--now", RECONCILED_AT, cwd=repo).code == 0
    _run(repo, "access", "apply", "--yes", "--evidence", str(tmp_path / "evidence"),
         "--now", RECONCILED_AT)
    assert postgres.members("app_readers") == {"eve"}
    (written,) = (tmp_path / "evidence").iterdir()
    evidence = json.loads(written.read_text())
    assert [(result["account"], result["ticket"], result["status"])
            for result in evidence["results"]] == [("eve", "REQ-0001", "applied")]
    plan = run_itsm("access", "plan", "--detailed-exitcode", "--now", RECONCILED_AT,
                    cwd=repo)
    assert plan.code == 0, plan.stdout
