"""A time of what happened that lies ahead of the run's now is refused by the command that
would write it (`itsm new`, an ingest) or act on it (an access plan), as `itsm validate`
refuses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import NOW_TEXT, copy_demo, run_itsm

FUTURE = "(2062-12-06T04:40:00+01:00) is later than now"
HAPPENED = ("by more than 5m: it says when something happened, so write the time it "
            "happened; check the year [time-future]")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path)


def test_a_new_incident_opened_in_the_future_is_not_written(demo: Path) -> None:
    result = run_itsm("new", "incident", "--title", "Checkout fails", "--service",
                      "payments-api:partial_outage", "--impact", "high", "--urgency", "high",
                      "--message", "Investigating.", "--at", "2062-12-06 04:40", cwd=demo)
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == ("error: records/incidents/2062/12/INC-0028.yaml was not written, it "
                        "would be invalid:")
    assert lines[1].startswith(f"  opened_at {FUTURE} (")
    assert lines[1].endswith(HAPPENED)
    assert lines[2].startswith(f"  timeline[0].at {FUTURE} (")
    assert not (demo / "records/incidents/2062").exists()


def test_an_alert_from_the_future_is_taken_as_happening_now(demo: Path) -> None:
    """A monitoring host whose clock runs ahead does not lose its whole batch: its alert
    opens an incident at the run's now, which validates."""
    payload = {"version": "4", "status": "firing", "alerts": [{
        "status": "firing", "fingerprint": "f00d", "startsAt": "2062-12-06T03:40:00Z",
        "labels": {"alertname": "CheckoutErrors", "service": "payments-api",
                   "severity": "critical"},
        "annotations": {"summary": "Checkout errors above 5%"}}]}
    result = run_itsm("event", "ingest", "-", "--now", NOW_TEXT, cwd=demo,
                      stdin=json.dumps(payload))
    assert result.code == 0, result.stderr
    assert not (demo / "records/incidents/2062").exists()
    opened = (demo / "records/incidents/2026/11/INC-0028.yaml").read_text()
    assert "opened_at: 2026-11-22T10:00:00+01:00\n" in opened
    assert run_itsm("validate", "--now", NOW_TEXT, cwd=demo).code == 0


def test_access_is_not_planned_from_a_leaving_date_ahead(demo: Path) -> None:
    person = demo / "records/people/anna-keller.yaml"
    person.write_text(person.read_text().replace(
        "status: active\n", "status: left\nleft_at: 2062-12-06T04:40:00+01:00\n"))
    result = run_itsm("access", "plan", "--now", NOW_TEXT, cwd=demo)
    assert result.code == 1
    assert result.stderr.splitlines() == [
        f"records/people/anna-keller.yaml:8:10: error: left_at {FUTURE} "
        f"(2026-11-22T10:00:00+01:00) {HAPPENED}",
        "error: 1 error(s) in the access records: fix them (see `itsm validate`) before "
        "planning access"]
