"""The `events:` section of itsm.yaml, the open-incident index and the snapshot's shortcut."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.errors import ConfigError
from itsm_as_code.events.correlate import Index, OpenIncident
from itsm_as_code.events.snapshot import WorkTree, load_snapshot
from itsm_as_code.model.types.itil import Incident
from itsm_as_code.model.types.timeline import Affected, Alert
from itsm_as_code.settings.events import EventSettings, Levels

CONFIG = "organization: Example\n"


def settings(tmp_path: Path, events: str) -> EventSettings:
    (tmp_path / "records").mkdir(exist_ok=True)
    (tmp_path / "itsm.yaml").write_text(CONFIG + events)
    return load_config(tmp_path).events


def test_defaults_follow_itil(tmp_path: Path) -> None:
    found = settings(tmp_path, "")
    assert [found.classify(s) for s in ("critical", "ERROR", "page", "warning", "info",
                                        "none", "sev1")] == [
        "exception", "exception", "exception", "warning", "informational", "informational",
        None]
    assert (found.open_for, found.window, found.resolved_status, found.resolve_incident) == (
        ("exception",), timedelta(minutes=30), "monitoring", False)
    assert found.levels_for("custom") == Levels("medium", "medium", "partial_outage")


def test_itsm_yaml_overrides_each_setting(tmp_path: Path) -> None:
    found = settings(tmp_path, """events:
  classes: {P1: exception, warning: exception}
  unknown_class: informational
  open_incidents_for: [exception, warning]
  service_label: app
  correlation_window: 1h30m
  resolved_status: identified
  resolve_incident: true
  levels:
    P1: {impact: high, urgency: medium}
""")
    assert (found.classify("p1"), found.classify("warning"), found.classify("info")) == (
        "exception", "exception", "informational")
    assert (found.unknown_class, found.open_for, found.service_label, found.window) == (
        "informational", ("exception", "warning"), "app", timedelta(hours=1, minutes=30))
    assert found.levels_for("P1") == Levels("high", "medium", "partial_outage")


@pytest.mark.parametrize(("events", "message"), [
    ("events:\n  classes: {page: urgent}\n",
     "3:19: events.classes.page: 'urgent' is not one of exception, warning, informational"),
    ("events:\n  correlation_window: soon\n",
     "3:23: events.correlation_window: 'soon' is not valid: expected a duration such as `45s`, "
     "`15m`, `4h`, `2d` or `1h30m` (units d, h, m, s in that order)."),
    ("events:\n  resolved_status: closed\n",
     "3:20: events.resolved_status: 'closed' is not one of investigating, identified, "
     "monitoring, on_hold"),
])
def test_wrong_settings_are_refused_with_their_line(tmp_path: Path, events: str,
                                                    message: str) -> None:
    with pytest.raises(ConfigError) as refused:
        settings(tmp_path, events)
    assert str(refused.value) == f"{tmp_path / 'itsm.yaml'}:{message}"


def at(minutes: int) -> datetime:
    return datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc) + timedelta(minutes=minutes)


def incident(record_id: str, service: str, started: datetime, *fingerprints: str,
             ) -> OpenIncident:
    alerts = tuple(Alert(f, started_at=started) for f in fingerprints)
    return OpenIncident(Incident(record_id, "x", (Affected(service, "major_outage"),), "high",
                                 "high", "P1", "investigating", started, alerts=alerts),
                        f"{record_id}.yaml", {})


def test_the_index_finds_by_fingerprint_and_by_service_within_the_window() -> None:
    first, second = incident("INC-1", "api", at(0), "a"), incident("INC-2", "api", at(20))
    index = Index([first, second, incident("INC-3", "web", at(5), "b")])
    assert (index.carrying("a"), index.carrying("zzz")) == (first, None)
    assert index.near("api", at(12), timedelta(minutes=30)) is second
    assert index.near("api", at(-25), timedelta(minutes=30)) is first
    assert index.near("api", at(51), timedelta(minutes=30)) is None
    assert index.near("db", at(0), timedelta(minutes=30)) is None


def test_the_snapshot_reads_open_incidents_and_skips_finished_ones_unparsed(tmp_path: Path,
                                                                             ) -> None:
    (tmp_path / "itsm.yaml").write_text(CONFIG)
    folder = tmp_path / "records/incidents/2026/11"
    folder.mkdir(parents=True)
    base = "apiVersion: itsm/v1\nkind: Incident\nid: {id}\n"
    (folder / "INC-1.yaml").write_text(base.format(id="INC-1") + "status: investigating\n")
    # Broken YAML after a finished status: skipped without being read as YAML.
    (folder / "INC-2.yaml").write_text(base.format(id="INC-2") + "status: 'closed'  # done\n"
                                       "title: [unclosed\n")
    (folder / "INC-3.yaml").write_text(base.format(id="INC-3") + "status: monitoring\n"
                                       "notes: |\n  status: closed\n")
    (folder / "INC-4.yaml").write_text("title: [unclosed\n")
    snapshot = load_snapshot(load_config(tmp_path), WorkTree(tmp_path))
    assert sorted(record.id for record in snapshot.open_incidents) == ["INC-1", "INC-3"]
    assert snapshot.incident_ids == {"INC-1", "INC-2", "INC-3", "INC-4"}
    assert [finding.path for finding in snapshot.findings] == [
        "records/incidents/2026/11/INC-4.yaml"]
