"""`itsm event ingest` on real and hostile payloads: Zabbix's severities, alerts
Alertmanager dropped, storms beyond what one incident holds, numbers Python will not
convert, text JSON allows and UTF-8 cannot hold, and ten ingests at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.authoring.ids import next_id
from itsm_as_code.config import load_config
from itsm_as_code.store.cache import RecordCache
from itsm_as_code.store.repository import load_repository
from itsm_as_code.yamlsafe import load
from tests.helpers import DEMO, copy_demo, run_itsm

FIRST = next_id("INC", [p.stem for p in (DEMO / "records/incidents").rglob("*.yaml")])
SECOND = next_id("INC", [FIRST])
THIRD = next_id("INC", [SECOND])
FOLDER = "records/incidents/2026/11"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "demo")


def alert(fingerprint: str = "f00d", **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "status": "firing", "labels": {"alertname": "QueueBacklog", "service": "webhooks",
                                       "severity": "critical"},
        "annotations": {"summary": "Webhook queue backlog above 10k"},
        "startsAt": "2026-11-24T09:14:00Z", "endsAt": "0001-01-01T00:00:00Z",
        "fingerprint": fingerprint}
    base.update(fields)
    return base


def webhook(*alerts: dict[str, Any], **top: Any) -> str:
    return json.dumps({"version": "4", "status": "firing", "alerts": list(alerts), **top})


def ingest(root: Path, text: str, *options: str) -> Any:
    return run_itsm("event", "ingest", "-", *options, cwd=root, stdin=text)


def incident(root: Path, record_id: str) -> dict[str, Any]:
    """The incident as every command reads it: its file with its update files folded in."""
    found = load_repository(load_config(root), cache=RecordCache(None, (1 << 20, 100))).get(
        record_id)
    assert found is not None
    return found.data


def test_a_zabbix_severity_with_a_space_can_be_mapped(demo: Path) -> None:
    config = demo / "itsm.yaml"
    config.write_text(config.read_text() + "events:\n  classes:\n    Not classified: exception\n"
                      "  levels:\n    Not classified: {impact: low, urgency: low}\n")
    event = {"source": "zabbix", "fingerprint": "zbx-1", "name": "Disk full",
             "status": "firing", "at": "2026-11-24T09:14:00Z", "service": "webhooks",
             "severity": "Not classified", "summary": "Disk almost full on wh-1"}
    result = ingest(demo, json.dumps(event), "--source", "generic")
    assert result.code == 0, result.stderr
    assert result.lines[0] == (f"{FOLDER}/{FIRST}.yaml:1:1: notice: opened {FIRST} (P5) for "
                               "Disk full on webhooks [opened]")
    assert run_itsm("validate", cwd=demo).code == 0


def test_alerts_alertmanager_dropped_are_said(demo: Path) -> None:
    result = ingest(demo, webhook(alert(), truncatedAlerts=12))
    assert result.code == 0, result.stderr
    assert result.lines[0] == (
        "<stdin>:1:1: warning: Alertmanager left 12 alert(s) out of this notification "
        "(truncatedAlerts): they were not ingested; raise max_alerts in the receiver's "
        "webhook_configs, or set it to 0 (no limit) [truncated]")
    quiet = ingest(demo, webhook(alert("beef"), truncatedAlerts=0))
    assert "truncated" not in quiet.stdout


def test_a_storm_beyond_what_one_incident_holds_goes_on_in_new_incidents(demo: Path) -> None:
    storm = [alert(f"fp{index:04d}") for index in range(1001)]
    result = ingest(demo, webhook(*storm))
    assert result.code == 0, result.stderr[:300]
    assert result.lines[-1] == "1001 alert(s): 3 opened, 998 joined; wrote 3 file(s)"
    assert result.lines[500] == (
        f"{FOLDER}/{SECOND}.yaml:1:1: notice: opened {SECOND} (P1) for QueueBacklog on "
        f"webhooks: {FIRST} holds 500 alerts, the most an incident holds [opened]")
    held = [len(incident(demo, record_id)["alerts"]) for record_id in (FIRST, SECOND, THIRD)]
    assert held == [500, 500, 1]
    assert max(len(line) for line in result.lines) < 300
    assert run_itsm("validate", cwd=demo).code == 0
    # The next storm alert joins the incident with room, not a full one.
    more = ingest(demo, webhook(alert("fp9999")))
    assert more.lines[0].startswith(f"{FOLDER}/{THIRD}.yaml:1:1: notice: QueueBacklog joined")


def test_a_storm_on_an_incident_that_exists_is_one_update_that_validates(demo: Path) -> None:
    ingest(demo, webhook(alert()))
    record = (demo / FOLDER / f"{FIRST}.yaml").read_bytes()
    result = ingest(demo, webhook(*(alert(f"fp{index:04d}") for index in range(499))))
    assert result.lines[-1] == "499 alert(s): 499 joined; wrote 1 file(s)"
    [update] = (demo / FOLDER / f"{FIRST}.updates").iterdir()
    entry = load(update.read_text(encoding="utf-8"), 100)
    # Its message names the first alerts and counts the rest, within what a message holds.
    assert len(entry["message"]) <= 20000
    assert entry["message"].endswith(" more alert update(s): the alerts of this update list "
                                     "them all.")
    assert len(entry["alerts"]) == 499
    assert len(incident(demo, FIRST)["alerts"]) == 500
    assert (demo / FOLDER / f"{FIRST}.yaml").read_bytes() == record
    assert run_itsm("validate", cwd=demo).code == 0


def test_an_update_file_that_does_not_load_is_said_and_left_alone(demo: Path) -> None:
    ingest(demo, webhook(alert()))
    broken = demo / FOLDER / f"{FIRST}.updates/20261124T091500Z-update-000000.yaml"
    broken.parent.mkdir()
    broken.write_bytes(b"at: [unclosed\n")
    result = ingest(demo, webhook(alert("beef", startsAt="2026-11-24T09:20:00Z")))
    assert result.code == 0, result.stderr
    assert result.lines[0].startswith(f"{FOLDER}/{FIRST}.updates/{broken.name}:")
    assert result.lines[0].endswith("[yaml-syntax]")
    assert ": warning: " in result.lines[0]
    assert result.lines[1].endswith(f"QueueBacklog joined {FIRST} (same service webhooks, "
                                    "within 30m) [joined]")
    assert broken.read_bytes() == b"at: [unclosed\n"
    assert len(list(broken.parent.iterdir())) == 2


def test_a_refusal_quotes_no_value_at_length(demo: Path) -> None:
    ingest(demo, webhook(alert()))
    path = demo / FOLDER / f"{FIRST}.yaml"
    # An incident whose timeline is full: one more entry makes it invalid.
    entries = "".join(f"- at: '2026-11-24T09:{14 + i // 60:02d}:{i % 60:02d}Z'\n"
                      f"  public: false\n  message: {'update ' * 40}{i}\n"
                      for i in range(1, 1000))
    path.write_text(path.read_text(encoding="utf-8") + entries, encoding="utf-8")
    before = path.read_bytes()
    result = ingest(demo, webhook(alert("beef", startsAt="2026-11-24T09:40:00Z")))
    assert result.code == 1
    assert result.stderr.startswith(
        "error: nothing was written, the ingest would leave invalid incidents:\n"
        f"  {FOLDER}/{FIRST}.yaml:")
    assert len(result.stderr) < 800
    assert path.read_bytes() == before


def test_a_number_longer_than_python_converts_is_refused_with_its_place(demo: Path) -> None:
    text = webhook(alert())[:-1] + ',\n "values": {"B": ' + "9" * 5000 + "}}"
    result = ingest(demo, text)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == ("error: <stdin>:2:18: a number of 5,000 digits; at most 4,300 are "
                             "read; nothing was written\n")
    assert not list((demo / "records/incidents/2026").rglob(f"{FIRST}.yaml"))


def test_lone_surrogates_and_control_characters_never_reach_a_record(demo: Path) -> None:
    summary = "Queue \\ud800backlog\\u0085 above\\u009b 10k\\u0007"
    text = webhook(alert()).replace("Webhook queue backlog above 10k", summary)
    result = ingest(demo, text)
    assert result.code == 0, result.stderr
    written = incident(demo, FIRST)
    assert written["title"] == "Queue \ufffdbacklog above 10k"
    assert run_itsm("validate", cwd=demo).code == 0


def test_ten_ingests_at_once_keep_every_alert(demo: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(DEMO)}
    payloads = [tmp_path / f"alert-{index}.json" for index in range(10)]
    for index, path in enumerate(payloads):
        path.write_text(webhook(alert(f"fp{index:02d}")), encoding="utf-8")
    # Ten processes at once (each takes most of a second to start, so they overlap).
    runs = [subprocess.Popen([sys.executable, "-m", "itsm_as_code", "event", "ingest",
                              str(path)], cwd=demo, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT) for path in payloads]
    said = [run.communicate(timeout=120)[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0] * 10, said
    assert all(out.endswith("; wrote 1 file(s)\n") for out in said)
    fingerprints = sorted(a["fingerprint"] for a in incident(demo, FIRST)["alerts"])
    assert fingerprints == [f"fp{index:02d}" for index in range(10)]


def test_an_alert_without_a_severity_label_is_not_called_severity_none(demo: Path) -> None:
    # Grafana's alert rules often carry no severity label at all.
    labels = {"alertname": "QueueBacklog", "service": "webhooks"}
    result = ingest(demo, webhook(alert(labels=labels)))
    assert result.code == 0, result.stderr
    assert result.lines[:2] == [
        "<stdin>:1:1: warning: QueueBacklog has no severity label: treated as warning "
        "(events.unknown_class); map it in events.classes [unknown-severity]",
        "<stdin>:1:1: notice: QueueBacklog is warning (no severity label): opens no incident "
        "[ignored]"]
