"""The access rules of `itsm validate`, and the plan refusing invalid access records."""

from __future__ import annotations

from pathlib import Path

from itsm_as_code.access.desired import desired
from itsm_as_code.access.plan import diff
from itsm_as_code.model.approval import unapproved
from tests.access_records import context, grant, policy, system, write_repo
from tests.helpers import run_itsm

DB = system("db", "postgres", {"dsn_env": "X"}, break_glass=["dba_emergency", "ben_ops"])


def test_a_grant_longer_than_max_duration_is_refused(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "r", DB, policy("p", "db", "r", [
        grant("eve", approved_at="2026-10-01T00:00:00Z", expires="2026-12-31T00:00:00Z"),
        grant("dan", approved_at="2026-10-01T00:00:00Z", expires="2026-10-31T00:00:00Z"),
        grant("ada"),
    ], max_duration="30d"))
    result = run_itsm("validate", cwd=repo)
    assert result.code == 1
    assert result.lines[:-1] == [
        "records/access/p.yaml:14:12: error: grants[0] runs 91d from approved_at to expires, "
        "longer than the policy's max_duration 30d: expire it by 2026-10-31T00:00:00Z or "
        "later approve a renewal [grant-duration]",
        "records/access/p.yaml:20:3: error: grants[2] has no `expires`, but the policy's "
        "max_duration is 30d: add an expiry at most 30d after approved_at [grant-duration]",
    ]


def test_a_break_glass_account_may_not_be_granted(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "r", DB, policy("p", "db", "r", [
        grant("ops"), grant("eve")]))
    result = run_itsm("validate", cwd=repo)
    assert result.lines[:-1] == [
        "records/access/p.yaml:10:12: error: grants[0] grants the break-glass account 'ben_ops' "
        "(the account of 'ben') of db: break-glass accounts are never reconciled, so remove "
        "the grant or the account from break_glass [grant-break-glass]",
    ]


def test_access_commands_refuse_invalid_access_records(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "r", DB, policy("p", "db", "r", [grant("ops")]))
    result = run_itsm("access", "plan", cwd=repo)
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "error: 1 error(s) in the access records: fix them (see `itsm validate`) before "
        "planning access")


def test_a_broken_incident_does_not_block_access(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "r", system("e", "file", {"path": "e.json"}),
                      policy("p", "e", "r", [grant("eve")]))
    (repo / "records/e.json").write_text('{"groups": {"r": ["eve"]}}')
    (repo / "records/incidents").mkdir()
    (repo / "records/incidents/INC-0001.yaml").write_text("kind: Incident\nid: INC-0001\n")
    assert run_itsm("validate", cwd=repo).code == 1
    result = run_itsm("access", "plan", cwd=repo)
    assert result.code == 0, result.stderr
    assert result.lines[-1] == "Plan: 0 to grant, 0 to revoke, 0 unmanaged on 1 system(s)."


def test_one_definition_of_approval_for_the_rule_and_the_plan(tmp_path: Path) -> None:
    """The grant-approver rule reports exactly the grants that the desired state lapses as
    unapproved, and the plan revokes what they reach as unauthorised."""
    root = write_repo(tmp_path / "r", system("db", "postgres", {"dsn_env": "X"}),
                      policy("p", "db", "app_readers", [
                          grant("eve", by="dan"),      # not an owner
                          grant("olga", by="olga"),    # their own access
                          grant("ops", by="ada"),      # a member of the team that gets it
                          grant("mallory"),            # by olga, an owner outside it
                      ], owners=["olga", "ada"]), teams={"ops": ["ada", "ben"]})
    ctx = context(root)
    (found,) = ctx.model.policies.values()
    assert [unapproved(found, g, ctx.model.teams) for g in found.grants] == [
        "not-an-owner", "own-access", "team-member", None]
    result = run_itsm("validate", cwd=root)
    assert result.lines[:-1] == [
        "records/access/p.yaml:13:16: error: grants[0] is approved by 'dan', who is not an "
        "owner of this policy (owners: olga, ada): have an owner approve it [grant-approver]",
        "records/access/p.yaml:17:16: error: grants[1]: 'olga' approved their own access: "
        "another owner must approve it [grant-approver]",
        "records/access/p.yaml:21:16: error: grants[2]: 'ada' is a member of the team 'ops' "
        "that gets the access: an owner outside the team must approve it [grant-approver]",
    ]
    state = ctx.shared(desired)["db"]
    role = state.roles["app_readers"]
    assert {account: lapse for account, (lapse, _) in role.lapsed.items()} == {
        "eve": "unapproved", "olga": "unapproved", "ada": "unapproved",
        "ben_ops": "unapproved"}
    assert set(role.desired) == {"mallory"}
    changes, _ = diff(state, {"app_readers": {"eve", "ada"}})
    assert [(c.action, c.account, c.reason, c.grant) for c in changes] == [
        ("grant", "mallory", "missing", 3), ("revoke", "ada", "unauthorised", 2),
        ("revoke", "eve", "unauthorised", 0)]
