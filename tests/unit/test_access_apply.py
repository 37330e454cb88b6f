"""Apply with a provider that misbehaves on purpose: order, guard, failures, verification."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import pytest

from itsm_as_code.access import evidence
from itsm_as_code.access.apply import ApplyReport, apply
from itsm_as_code.access.plan import make_plan
from itsm_as_code.access.providers import ChangeFailed, Provider, SystemUnavailable, Target
from itsm_as_code.access.session import Session
from tests.access_records import context, readers_policy, system, write_repo


class Fake:
    """A system in memory that records every call; `broken` writes fail, `silent` ones
    report success without doing anything, and `unreadable` fails the read back."""

    writable = True

    def __init__(self, members: dict[str, set[str]], broken: Sequence[str] = (),
                 silent: Sequence[str] = ()) -> None:
        self.members = members
        self.broken, self.silent = set(broken), set(silent)
        self.calls: list[str] = []
        self.reads = 0
        self.unreadable = False
        self.closed = False

    def read(self, roles: Sequence[str]) -> dict[str, set[str]]:
        self.reads += 1
        if self.unreadable and self.reads > 1:
            raise SystemUnavailable("db", "connection lost")
        return {role: set(self.members[role]) for role in roles if role in self.members}

    def grant(self, role: str, account: str) -> None:
        self._write("grant", role, account, self.members[role].add)

    def revoke(self, role: str, account: str) -> None:
        self._write("revoke", role, account, self.members[role].discard)

    def _write(self, action: str, role: str, account: str, change: Callable[[str], None]
               ) -> None:
        self.calls.append(f"{action} {account}")
        if account in self.broken:
            raise ChangeFailed(f"{account} is locked")
        if account not in self.silent:
            change(account)

    def close(self) -> None:
        self.closed = True


def _apply(tmp_path: Path, fake: Fake, max_removals: int = 10) -> ApplyReport:
    root = write_repo(tmp_path / "r", system("db", "postgres", {"dsn_env": "X"},
                                             break_glass=["dba_emergency"]), readers_policy())
    ctx = context(root)

    def find(name: str, system_id: str) -> Callable[[Target], Provider]:
        return lambda target: fake

    with Session(ctx.config, {}, find) as session:
        plan = make_plan(ctx, session)
        report = apply(plan, session, max_removals)
    assert fake.closed
    return report


@pytest.fixture
def fake() -> Fake:
    return Fake({"app_readers": {"ada", "dan", "mallory", "dba_emergency"}})


def test_grants_go_before_revokes_and_are_read_back_once(tmp_path: Path, fake: Fake) -> None:
    report = _apply(tmp_path, fake)
    assert fake.calls == ["grant ben_ops", "grant eve", "revoke dan", "revoke mallory"]
    assert fake.reads == 2  # the plan's read and the read back
    assert report.succeeded
    assert report.after == {"db": {"app_readers": ["ada", "ben_ops", "dba_emergency", "eve"]}}


def test_a_failing_change_does_not_stop_the_others(tmp_path: Path) -> None:
    fake = Fake({"app_readers": {"dan", "mallory"}}, broken=["ben_ops", "dan"])
    report = _apply(tmp_path, fake)
    assert [(o.change.account, o.status, o.detail) for o in report.outcomes] == [
        ("ada", "applied", ""), ("ben_ops", "failed", "ben_ops is locked"),
        ("eve", "applied", ""), ("dan", "failed", "dan is locked"),
        ("mallory", "applied", "")]
    assert not report.succeeded


def test_a_write_that_did_not_happen_is_an_error(tmp_path: Path) -> None:
    fake = Fake({"app_readers": {"mallory"}}, silent=["eve", "mallory"])
    report = _apply(tmp_path, fake)
    assert [(o.change.account, o.detail) for o in report.having("unverified")] == [
        ("eve", "the write reported success, but eve does not hold app_readers when read back"),
        ("mallory", "the write reported success, but mallory still holds app_readers when "
                    "read back")]
    assert not report.succeeded


def test_a_lost_read_back_leaves_every_write_unverified(tmp_path: Path, fake: Fake) -> None:
    fake.unreadable = True
    report = _apply(tmp_path, fake)
    assert {o.status for o in report.outcomes} == {"unverified"}
    assert report.outcomes[0].detail == "cannot read back: db: connection lost"


def test_the_removal_guard_refuses_before_any_write(tmp_path: Path, fake: Fake) -> None:
    report = _apply(tmp_path, fake, max_removals=1)
    assert fake.calls == []
    assert report.refused is not None and report.refused.startswith(
        "the plan removes 2 member(s), more than the limit of 1: nothing was changed.")
    assert _apply(tmp_path / "again", fake, max_removals=2).succeeded


def test_read_only_systems_are_skipped_not_failed(tmp_path: Path, fake: Fake) -> None:
    fake.writable = False
    report = _apply(tmp_path, fake, max_removals=0)  # their removals are not made by itsm
    assert fake.calls == []
    assert {o.status for o in report.outcomes} == {"skipped"}
    assert report.succeeded


def test_evidence_of_a_second_run_in_the_same_second_is_a_new_file(tmp_path: Path) -> None:
    now = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
    first = evidence.write(tmp_path / "ev", {"run": 1}, now)
    second = evidence.write(tmp_path / "ev", {"run": 2}, now)
    assert (first.name, second.name) == ("access-20261122T090000Z.json",
                                          "access-20261122T090000Z-1.json")
    assert json.loads(first.read_text()) == {"run": 1}
    assert json.loads(second.read_text()) == {"run": 2}
    # Nothing else is left behind: no temporary file.
    assert {path.name for path in (tmp_path / "ev").iterdir()} == {first.name, second.name}
