"""Alert payloads become Event values; hostile ones are refused with the field named."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from itsm_as_code.errors import UsageError
from itsm_as_code.events.model import Event
from itsm_as_code.events.sources import alertmanager, generic, grafana


def webhook(*alerts: dict[str, Any], **top: Any) -> bytes:
    return json.dumps({"version": "4", "status": "firing", "groupKey": "{}:{}", **top,
                       "alerts": list(alerts)}).encode()


ALERT = {"status": "resolved", "labels": {"alertname": "DiskFull", "severity": "Warning",
                                          "team_service": "db"},
         "annotations": {"summary": "Disk\x07 almost full", "description": "98% used"},
         "startsAt": "2026-11-24T09:14:00.123456789+01:00",
         "endsAt": "2026-11-24T10:00:00Z", "fingerprint": "0a1b"}


def test_an_alertmanager_alert_becomes_an_event() -> None:
    [event] = alertmanager(webhook(ALERT), "p.json", "team_service")
    assert event == Event(
        source="alertmanager", fingerprint="0a1b", name="DiskFull", status="resolved",
        at=datetime(2026, 11, 24, 9, 14, 0, 123456, timezone(timedelta(hours=1))),
        ended_at=datetime(2026, 11, 24, 10, tzinfo=timezone.utc), service="db",
        severity="Warning", summary="Disk almost full", description="98% used")
    assert event.moment == event.ended_at


def test_common_labels_fill_in_and_a_firing_alert_has_no_end() -> None:
    alert = {**ALERT, "status": "firing", "labels": {"alertname": "DiskFull"},
             "annotations": {}, "endsAt": "0001-01-01T00:00:00Z"}
    [event] = alertmanager(webhook(alert, commonLabels={"service": "db", "severity": "page"}),
                           "p.json", "service")
    assert (event.service, event.severity, event.ended_at, event.summary) == (
        "db", "page", None, "DiskFull")
    assert event.moment == event.at


def test_generic_events_come_alone_or_in_a_list() -> None:
    one = {"source": "pingdom", "service": "web", "severity": "critical", "summary": "Down",
           "fingerprint": "web-down", "status": "resolved", "at": "2026-11-24T09:14:00Z"}
    [event] = generic(json.dumps(one).encode(), "e.json", "service")
    assert (event.name, event.resolved, event.ended_at) == ("pingdom", True, event.at)
    assert len(generic(json.dumps([one, one]).encode(), "e.json", "service")) == 2
    with pytest.raises(UsageError) as refused:
        generic(json.dumps([one, {**one, "service": ""}]).encode(), "e.json", "service")
    assert str(refused.value) == ("e.json: [1].service must be a non-empty string (str ''); "
                                  "nothing was written")


@pytest.mark.parametrize(("change", "message"), [
    ({"fingerprint": "has space"}, "alerts[0].fingerprint must be 1 to 200 printable ASCII "
     "characters without spaces"),
    ({"startsAt": "yesterday"}, "alerts[0].startsAt 'yesterday' is not an RFC 3339 timestamp "
     "with an offset, such as 2026-11-24T09:14:00Z"),
    ({"annotations": ["x"]}, "alerts[0].annotations must be an object of string values"),
    ({"annotations": {"summary": "x" * 20_001}},
     "alerts[0].annotations must be an object of string values"),
    ({"startsAt": 5}, "alerts[0].startsAt must be a non-empty string (int 5)"),
])
def test_wrong_fields_are_named(change: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as refused:
        alertmanager(webhook({**ALERT, **change}), "p.json", "service")
    assert str(refused.value) == f"p.json: {message}; nothing was written"


def test_bytes_that_are_not_utf8_and_too_many_alerts_are_refused() -> None:
    with pytest.raises(UsageError, match=r"^p.json: byte 1 is not UTF-8$"):
        alertmanager(b"{\xff}", "p.json", "service")
    with pytest.raises(UsageError, match=r"^p.json: 10,001 alerts in one payload"):
        alertmanager(webhook(*[ALERT] * 10_001), "p.json", "service")
    with pytest.raises(UsageError, match=r"^p.json: JSON nested too deeply$"):
        alertmanager(b"[" * 100_000, "p.json", "service")


def test_grafanas_webhook_is_alertmanagers_shape_with_version_1() -> None:
    raw = webhook(ALERT, version="1", orgId=1, state="alerting", title="[FIRING:1]",
                  message="Value: null")
    [event] = grafana(raw, "g.json", "team_service")
    [same] = alertmanager(raw, "g.json", "team_service")
    assert (event.source, same.source) == ("grafana", "alertmanager")
    assert event.fingerprint == same.fingerprint == "0a1b"
    with pytest.raises(UsageError, match=r"version is '2'; only version \"4\""):
        grafana(webhook(ALERT, version="2"), "g.json", "team_service")
