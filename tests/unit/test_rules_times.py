"""The record rules about times and steps: timestamps the timeline determines agree with it
(`timestamps-timeline`), times of what happened are not in the future (`time-future`), and a
request moves to approved on an approval (`request-approval`)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from itsm_as_code.timefmt import format_timestamp
from itsm_as_code.validation.runner import validate
from tests.helpers import (
    NOW,
    Data,
    example_repo,
    grant,
    incident,
    maintenance,
    person,
    policy,
    repository,
    request,
    run_itsm,
    service,
    system,
    team,
)

OPENED = "2026-11-06T04:30:00+01:00"


def findings(*records: Data, now: Any = NOW) -> list[tuple[str, int, str]]:
    """(rule, line, message) of every finding on these records and the ones they name."""
    people = [person("ada"), person("ben"), person("cy"), team("ops"), service("web"),
              system("db")]
    repo = repository(*people, *records)
    return [(finding.rule, finding.line, finding.message)
            for finding in validate(repo, now=now).findings]


def entry(at: str, status: str | None = None, **fields: Any) -> Data:
    return {"at": at, **({"status": status} if status else {}), "message": "An update.",
            **fields}


def resolved(**overrides: Any) -> Data:
    """An incident opened at 04:30, resolved by its third entry at 05:40."""
    fields: Data = {"status": "resolved", "opened_at": OPENED,
                    "resolved_at": "2026-11-06T05:40:00+01:00",
                    "timeline": [entry(OPENED, "investigating"),
                                 entry("2026-11-06T04:40:00+01:00", "identified"),
                                 entry("2026-11-06T05:40:00+01:00", "resolved")]}
    return incident(**{**fields, **overrides})


# -- timestamps-timeline -----------------------------------------------------------------

def test_resolved_at_is_the_time_of_the_entry_that_resolved_the_incident() -> None:
    assert findings(resolved()) == []
    assert findings(resolved(resolved_at="2026-11-06T05:45:00+01:00")) == [(
        "timestamps-timeline", 23,
        "resolved_at is 2026-11-06T05:45:00+01:00 but timeline[2] resolved it at "
        "2026-11-06T05:40:00+01:00: set resolved_at: 2026-11-06T05:40:00+01:00")]


def test_the_same_instant_in_another_offset_agrees() -> None:
    assert findings(resolved(resolved_at="2026-11-06T04:40:00Z")) == []


def test_closed_at_is_the_time_of_the_closing_entry_and_a_reopening_resolves_anew() -> None:
    steps = [entry(OPENED, "investigating"), entry("2026-11-06T05:00:00+01:00", "resolved"),
             entry("2026-11-06T05:10:00+01:00", "monitoring"),
             entry("2026-11-06T05:40:00+01:00", "resolved"),
             entry("2026-11-06T06:00:00+01:00", "closed")]
    closed = incident(status="closed", opened_at=OPENED, reopen_count=1, timeline=steps,
                      resolved_at="2026-11-06T05:40:00+01:00",
                      closed_at="2026-11-06T06:00:00+01:00")
    assert findings(closed) == []
    early = {**closed, "resolved_at": "2026-11-06T05:00:00+01:00",
             "closed_at": "2026-11-06T06:01:00+01:00"}
    assert findings(early) == [
        ("timestamps-timeline", 30,
         "resolved_at is 2026-11-06T05:00:00+01:00 but timeline[3] resolved it at "
         "2026-11-06T05:40:00+01:00: set resolved_at: 2026-11-06T05:40:00+01:00"),
        ("timestamps-timeline", 31,
         "closed_at is 2026-11-06T06:01:00+01:00 but timeline[4] closed it at "
         "2026-11-06T06:00:00+01:00: set closed_at: 2026-11-06T06:00:00+01:00"),
    ]


def test_acknowledged_at_is_the_first_entry_that_acknowledged() -> None:
    steps = [entry(OPENED, "investigating"),
             entry("2026-11-06T04:40:00+01:00", acknowledged=True),
             entry("2026-11-06T04:50:00+01:00", acknowledged=True)]
    first = "2026-11-06T04:40:00+01:00"
    assert findings(incident(opened_at=OPENED, acknowledged_at=first, timeline=steps)) == []
    assert findings(incident(opened_at=OPENED, timeline=steps)) == [(
        "timestamps-timeline", 19,
        "acknowledged_at is missing but timeline[1] acknowledged it at "
        "2026-11-06T04:40:00+01:00: add acknowledged_at: 2026-11-06T04:40:00+01:00")]
    late = incident(opened_at=OPENED, acknowledged_at="2026-11-06T04:50:00+01:00",
                    timeline=steps)
    assert [message for _, _, message in findings(late)] == [
        "acknowledged_at is 2026-11-06T04:50:00+01:00 but timeline[1] acknowledged it at "
        "2026-11-06T04:40:00+01:00: set acknowledged_at: 2026-11-06T04:40:00+01:00"]


def test_acknowledged_at_without_an_acknowledging_entry_stands() -> None:
    assert findings(incident(opened_at=OPENED, acknowledged_at="2026-11-06T04:33:00+01:00",
                             timeline=[entry(OPENED, "investigating")])) == []


def test_a_request_ends_at_the_entry_that_fulfilled_it() -> None:
    fulfilled = request(status="fulfilled", resolved_at="2026-11-22T09:30:00+01:00", timeline=[
        entry("2026-11-22T09:10:00+01:00", "in_fulfilment"),
        entry("2026-11-22T09:20:00+01:00", "fulfilled")])
    assert [message for _, _, message in findings(fulfilled)] == [
        "resolved_at is 2026-11-22T09:30:00+01:00 but timeline[1] fulfilled it at "
        "2026-11-22T09:20:00+01:00: set resolved_at: 2026-11-22T09:20:00+01:00"]


# -- time-future ---------------------------------------------------------------------------

def test_a_year_typo_is_a_time_in_the_future() -> None:
    typo = incident(acknowledged_at="2027-11-22T09:20:00+01:00")
    assert findings(typo) == [(
        "time-future", 17,
        "acknowledged_at (2027-11-22T09:20:00+01:00) is later than now "
        "(2026-11-22T10:00:00+01:00) by more than 5m: it says when something happened, so "
        "write the time it happened; check the year")]


def test_a_few_minutes_ahead_is_clock_skew_and_more_is_a_finding() -> None:
    def at(minutes: int) -> str:
        return format_timestamp(NOW + timedelta(minutes=minutes))

    skewed = incident(timeline=[entry("2026-11-22T09:00:00+01:00", "investigating"),
                                entry(at(5))])
    assert findings(skewed) == []
    ahead = incident(timeline=[entry("2026-11-22T09:00:00+01:00", "investigating"),
                               entry(at(6))])
    assert findings(ahead) == [(
        "time-future", 17,
        "timeline[1].at (2026-11-22T10:06:00+01:00) is later than now (2026-11-22T10:00:00+01:00) "
        "by "
        "more than 5m: it says when something happened, so write the time it happened")]


def test_planned_times_may_lie_ahead_but_approvals_may_not() -> None:
    window = maintenance(scheduled_start="2027-01-10T22:00:00+01:00",
                         scheduled_end="2027-01-11T02:00:00+01:00")
    grants = [grant("ben", approved_by="ada", expires="2027-06-30T00:00:00Z"),
              grant("cy", approved_by="ada", approved_at="2026-12-22T10:00:00+01:00")]
    assert findings(window, policy(grants=grants)) == [(
        "time-future", 17,
        "grants[1].approved_at (2026-12-22T10:00:00+01:00) is later than now "
        "(2026-11-22T10:00:00+01:00) by more than 5m: it says when something happened, so "
        "write the time it happened")]


def test_without_a_now_no_time_is_judged_against_the_clock() -> None:
    assert findings(incident(acknowledged_at="2027-11-22T09:20:00+01:00"), now=None) == []


def test_validate_takes_now_as_people_type_it(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")  # INC-0001 was resolved at 10:02 on 2 November
    refused = run_itsm("validate", "--now", "2026-11-02 09:50", cwd=repo)
    assert (refused.code, refused.lines[0]) == (1, (
        "records/incidents/INC-0001.yaml:13:14: error: resolved_at (2026-11-02T10:02:00+01:00) "
        "is later than now (2026-11-02T09:50:00+01:00) by more than 5m: it says when "
        "something happened, so write the time it happened [time-future]"))
    assert run_itsm("validate", "--now", "2026-11-02 09:58", cwd=repo).code == 0


# -- request-approval ------------------------------------------------------------------------

def approved(approvals: list[Data]) -> Data:
    return request(status="approved", approvals=approvals, timeline=[
        entry("2026-11-22T09:20:00+01:00", "approved")])


def test_a_request_moves_to_approved_on_an_approval() -> None:
    by_ben = {"by": "ben", "decision": "approved", "at": "2026-11-22T09:15:00+01:00"}
    assert findings(approved([by_ben])) == []
    assert findings(approved([])) == [(
        "request-approval", 13,
        "timeline[0] moves REQ-0001 to approved at 2026-11-22T09:20:00+01:00, but no approval "
        "in approvals says 'approved' by then: approve it with itsm approve REQ-0001 --by "
        "PERSON")]
    late = {**by_ben, "at": "2026-11-22T09:25:00+01:00"}
    rejected = {**by_ben, "decision": "rejected"}
    for approvals in ([late], [rejected]):
        assert [rule for rule, _, _ in findings(approved(approvals))] == ["request-approval"]


def test_the_requester_does_not_approve_their_own_request() -> None:
    own = {"by": "ada", "decision": "approved", "at": "2026-11-22T09:15:00+01:00"}
    assert findings(approved([own])) == [
        ("request-approval", 11,
         "approvals[0]: ada requested REQ-0001 and cannot approve it: another person approves "
         "it with itsm approve REQ-0001 --by PERSON"),
        ("request-approval", 16,
         "timeline[0] moves REQ-0001 to approved at 2026-11-22T09:20:00+01:00, but no approval "
         "in approvals says 'approved' by then: approve it with itsm approve REQ-0001 --by "
         "PERSON"),
    ]
