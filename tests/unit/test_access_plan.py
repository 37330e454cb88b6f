"""The desired state and the plan, without servers: who should hold what, and why not."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.access.desired import SystemState, desired
from itsm_as_code.access.plan import Change, Unmanaged, diff, make_plan
from itsm_as_code.access.session import Session
from itsm_as_code.model.model import Model
from tests.access_records import (
    FUTURE,
    PAST,
    context,
    grant,
    policy,
    readers_policy,
    system,
    write_repo,
)

DB = system("db", "postgres", {"dsn_env": "X"}, break_glass=["dba_emergency"])
EXPORT = system("export", "file", {"path": "e.json"})


def _plan(tmp_path: Path, actual: dict[str, set[str]], *policies: dict[str, Any],
          teams: dict[str, list[str]] | None = None) -> tuple[list[Change], list[Unmanaged]]:
    ctx = context(write_repo(tmp_path / "r", DB, *policies, teams=teams))
    state = ctx.shared(desired)["db"]
    return diff(state, actual)


def _short(changes: list[Change]) -> list[tuple[str, str, str]]:
    return [(c.action, c.account, c.reason) for c in changes]


def test_team_subject_stands_for_its_members_under_their_accounts(tmp_path: Path) -> None:
    changes, _ = _plan(tmp_path, {"app_readers": set()}, readers_policy())
    assert _short(changes) == [("grant", "ada", "missing"), ("grant", "ben_ops", "missing"),
                               ("grant", "eve", "missing")]
    assert (changes[1].subject, changes[1].person, changes[1].grant) == ("ops", "ben", 0)


def test_revoke_reasons_expired_left_unauthorised(tmp_path: Path) -> None:
    changes, unmanaged = _plan(
        tmp_path, {"app_readers": {"ada", "ben_ops", "eve", "dan", "cleo", "mallory", "zed",
                                   "dba_emergency"}}, readers_policy())
    assert _short(changes) == [("revoke", "cleo", "left"), ("revoke", "dan", "expired"),
                               ("revoke", "mallory", "unauthorised"),
                               ("revoke", "zed", "unauthorised")]
    assert changes[1].grant == 1 and changes[3].person is None
    assert [(u.account, u.reason) for u in unmanaged] == [("dba_emergency", "break-glass")]


def test_a_leaver_in_a_team_loses_access_as_a_leaver(tmp_path: Path) -> None:
    changes, _ = _plan(tmp_path, {"app_readers": {"ada", "cleo"}},
                       policy("p", "db", "app_readers", [grant("ops")]),
                       teams={"ops": ["ada", "cleo"]})
    assert _short(changes) == [("revoke", "cleo", "left")]
    assert changes[0].grant == 0


def test_grants_that_are_not_properly_approved_give_nothing(tmp_path: Path) -> None:
    changes, _ = _plan(tmp_path, {"app_readers": {"eve", "olga", "ada"}},
                       policy("p", "db", "app_readers", [
                           grant("eve", by="dan"),     # not an owner
                           grant("olga", by="olga"),   # self-approved
                           grant("ops", by="olga"),
                       ]), teams={"ops": ["ada", "olga"]})  # ...and olga is in ops
    assert _short(changes) == [("revoke", "ada", "unauthorised"),
                               ("revoke", "eve", "unauthorised"),
                               ("revoke", "olga", "unauthorised")]


def test_the_longest_of_several_grants_counts(tmp_path: Path) -> None:
    changes, _ = _plan(tmp_path, {"app_readers": {"eve"}}, policy("p", "db", "app_readers", [
        grant("eve", expires=PAST), grant("eve", expires=FUTURE)]))
    assert changes == []


def test_non_exclusive_policies_report_but_never_revoke(tmp_path: Path) -> None:
    changes, unmanaged = _plan(
        tmp_path, {"app_readers": {"dan", "cleo", "mallory"}},
        policy("p", "db", "app_readers", [grant("dan", expires=PAST), grant("cleo")],
               exclusive=False))
    assert changes == []
    assert [(u.account, u.reason, u.policy) for u in unmanaged] == [
        ("cleo", "left", "p"), ("dan", "expired", "p"), ("mallory", "unauthorised", "p")]


def test_two_policies_on_one_role_add_up(tmp_path: Path) -> None:
    changes, _ = _plan(tmp_path, {"app_readers": {"eve", "dan"}},
                       policy("a", "db", "app_readers", [grant("eve")], exclusive=False),
                       policy("b", "db", "app_readers", [grant("ada")]))
    assert [(c.action, c.account, c.reason, c.policy) for c in changes] == [
        ("grant", "ada", "missing", "b"), ("revoke", "dan", "unauthorised", "b")]


def test_a_role_missing_on_the_system_is_planned_as_empty(tmp_path: Path) -> None:
    changes, _ = _plan(tmp_path, {}, policy("p", "db", "app_readers", [grant("eve")]))
    assert _short(changes) == [("grant", "eve", "missing")]


def test_the_plan_and_the_site_review_share_one_desired_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from itsm_as_code.access import desired as module
    from itsm_as_code.access.site import account_rows

    computed: list[str] = []
    real = module.desired_state

    def counted(model: Model, now: datetime) -> dict[str, SystemState]:
        computed.append("once")
        return real(model, now)

    monkeypatch.setattr(module, "desired_state", counted)
    ctx = context(write_repo(tmp_path / "r", EXPORT, readers_policy("export")))
    (ctx.repo.root / "records/e.json").write_text('{"groups": {"app_readers": ["eve"]}}')
    with Session(ctx.config, {}) as session:
        plan = make_plan(ctx, session)
    rows = account_rows(ctx)
    assert computed == ["once"]
    assert plan.states["export"] is ctx.shared(desired)["export"]
    assert [(row.account, row.status) for row in rows] == [
        ("ada", "granted"), ("ben", "granted"), ("cleo", "left"), ("dan", "expired"),
        ("eve", "granted")]
