"""A routine's runs: due times matched with check-ins, evidence rules, the state now."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from itsm_as_code.model.readers.operations import routine as read_routine
from itsm_as_code.model.types.operations import EvidenceRule, Routine
from itsm_as_code.model.types.organisation import Calendar
from itsm_as_code.ops.checkins import CheckIn
from itsm_as_code.ops.evidence import breaches, read_value
from itsm_as_code.ops.runs import judge
from itsm_as_code.timefmt import parse_timestamp


def backup(**overrides: object) -> Routine:
    data = {"id": "backup", "name": "Nightly backup", "service": "web", "team": "ops",
            "schedule": {"cron": "0 2 * * *"}, "timezone": "Europe/Berlin", "grace": "1h",
            "since": "2026-11-18T00:00:00+01:00",
            "evidence": {"size": {"type": "bytes", "min_ratio_of_previous": 0.5}},
            **overrides}
    return read_routine(data)


def run(at: str, status: str = "ok", **evidence: object) -> CheckIn:
    return CheckIn("backup", status, parse_timestamp(at), evidence)  # type: ignore[arg-type]


def nightly(*days: int, size: int = 1000) -> list[CheckIn]:
    return [run(f"2026-11-{day:02d}T02:10:00+01:00", size=size) for day in days]


def at(text: str) -> datetime:
    return parse_timestamp(text)


def test_a_routine_that_checks_in_nightly_stays_ok() -> None:
    runs = judge(backup(), nightly(18, 19, 20, 21, 22), at("2026-11-22T10:00:00+01:00"), {})
    assert [slot.state for slot in runs.slots] == ["ok"] * 5
    assert (runs.state, runs.streak) == ("ok", 5)
    assert runs.next_due == at("2026-11-23T02:00:00+01:00")


def test_a_run_is_pending_within_its_grace_then_missed() -> None:
    checkins = nightly(18, 19, 20, 21)
    within = judge(backup(), checkins, at("2026-11-22T02:59:00+01:00"), {})
    assert ([s.state for s in within.slots][-1], within.state) == ("pending", "ok")
    after = judge(backup(), checkins, at("2026-11-22T03:00:00+01:00"), {})
    assert ([s.state for s in after.slots][-1], after.state) == ("missed", "missed")
    assert after.bad_since == at("2026-11-22T03:00:00+01:00")
    assert after.last_good == checkins[-1]


def test_a_late_run_leaves_the_slot_missed_but_is_the_latest_news() -> None:
    checkins = [*nightly(18, 19, 20, 21), run("2026-11-22T09:30:00+01:00", size=1000)]
    runs = judge(backup(), checkins, at("2026-11-22T10:00:00+01:00"), {})
    assert (runs.slots[-1].state, runs.slots[-1].late, runs.state) == ("missed", True, "ok")
    assert runs.last_good == checkins[-1]
    assert runs.streak == 0


def test_a_failed_run_and_a_run_with_bad_evidence_fail() -> None:
    checkins = [*nightly(18, 19), run("2026-11-20T02:10:00+01:00", "failed"),
                run("2026-11-21T02:10:00+01:00", size=400)]
    runs = judge(backup(), checkins, at("2026-11-21T10:00:00+01:00"), {})
    assert [slot.state for slot in runs.slots] == ["ok", "ok", "failed", "failed"]
    assert [p.message for p in runs.slots[-1].problems] == [
        "size 400 bytes is 40% of the previous run's 1000 bytes (at least 50%)"]
    assert runs.state == "failed"
    assert runs.bad_since == at("2026-11-20T02:10:00+01:00")


def test_a_retry_within_the_grace_decides_the_slot() -> None:
    checkins = [run("2026-11-18T02:05:00+01:00", "failed"),
                run("2026-11-18T02:40:00+01:00", size=1000)]
    runs = judge(backup(), checkins, at("2026-11-18T10:00:00+01:00"), {})
    assert [slot.state for slot in runs.slots] == ["ok"]


def test_without_since_a_routine_is_new_until_its_first_checkin() -> None:
    routine = backup(since=None)
    assert judge(routine, [], at("2026-11-22T10:00:00+01:00"), {}).state == "new"
    runs = judge(routine, nightly(20), at("2026-11-22T10:00:00+01:00"), {})
    assert [slot.state for slot in runs.slots] == ["ok", "missed", "missed"]


def test_with_a_calendar_no_run_is_due_on_a_day_without_working_time() -> None:
    week = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), ("09:00-17:00",))
    office = Calendar("office", "Europe/Berlin", week,
                      holidays=(parse_timestamp("2026-11-20T00:00:00+01:00").date(),))
    routine = backup(timezone=None, calendar="office")
    runs = judge(routine, nightly(18, 19), at("2026-11-23T10:00:00+01:00"), {"office": office})
    assert [slot.due.day for slot in runs.slots] == [18, 19, 23]  # Fri a holiday, a weekend
    assert runs.state == "missed"


def test_only_the_lookback_is_judged() -> None:
    runs = judge(backup(), nightly(*range(18, 23)), at("2026-11-22T10:00:00+01:00"), {},
                 timedelta(days=2))
    assert [slot.due.day for slot in runs.slots] == [21, 22]


@pytest.mark.parametrize(("kind", "text", "value"), [
    ("bytes", "2048", 2048), ("bytes", "1.5GiB", 1610612736), ("bytes", "700MB", 700000000),
    ("number", "12.5", 12.5), ("number", "-3", -3), ("checksum", "SHA256:9F86D081",
                                                     "sha256:9f86d081"),
    ("url", "https://example.com/x", "https://example.com/x"), ("text", " done ", "done"),
])
def test_evidence_values_are_read_by_type(kind: str, text: str, value: object) -> None:
    assert read_value(EvidenceRule("v", kind), text) == value  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "text", "message"), [
    ("bytes", "lots", "v='lots' is not a size in bytes (such as 2048, 700MB or 1.5GiB)"),
    ("number", "1e", "v='1e' is not a number"),
    ("url", "ftp://x", "v='ftp://x' is not an http or https link"),
    ("checksum", "xyz", "v='xyz' is not a checksum (hex digits, optionally after `sha256:`)"),
])
def test_a_value_of_the_wrong_type_is_refused(kind: str, text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        read_value(EvidenceRule("v", kind), text)  # type: ignore[arg-type]
    assert str(raised.value) == message


def test_evidence_rules() -> None:
    rules = (EvidenceRule("size", "bytes", min=100, max_ratio_of_previous=3),
             EvidenceRule("sum", "checksum"), EvidenceRule("log", "url", required=False))
    found = breaches(rules, {"size": 50}, {"size": 10})
    assert [b.message for b in found] == [
        "size 50 bytes is below the least allowed, 100 bytes",
        "size 50 bytes is 500% of the previous run's 10 bytes (at most 300%)",
        "sum was not reported"]
    assert list(breaches(rules, {"size": 2**30, "sum": "abcdef12"}, {})) == []
    assert [b.message for b in breaches(rules, {"size": "x", "sum": 5}, {})] == [
        "size is not a bytes value", "sum is not a checksum value"]
