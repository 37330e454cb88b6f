"""Alerts during a recurring maintenance window: recorded against the window, no incident;
an alert that outlives the window opens one. On a copy of the demo, whose MNT-0003 patches
the Data Warehouse every Sunday from 03:00 to 04:00 Berlin time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.store.cache import RecordCache
from itsm_as_code.store.repository import load_repository
from tests.helpers import copy_demo, run_itsm
from tests.site_helpers import build

# Sunday 29 November 2026: the occurrence runs 02:00Z to 03:00Z (03:00 to 04:00 CET).
DURING, LATER = "2026-11-29T02:20:00Z", "2026-11-29T03:30:00Z"
UPDATES = "records/maintenance/MNT-0003.updates"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "demo")


def alert(status: str = "firing", **changes: Any) -> str:
    base = {"status": status, "labels": {"alertname": "WarehouseDown",
                                         "service": "data-warehouse", "severity": "critical"},
            "annotations": {"summary": "Warehouse database is not answering"},
            "startsAt": "2026-11-29T02:05:00Z",
            "endsAt": "2026-11-29T02:40:00Z" if status == "resolved" else "0001-01-01T00:00:00Z",
            "fingerprint": "dw01"}
    base.update(changes)
    return json.dumps({"version": "4", "status": status, "alerts": [base]})


def ingest(root: Path, payload: str, now: str, *options: str) -> Any:
    return run_itsm("event", "ingest", "-", "--now", now, *options, cwd=root, stdin=payload)


def incidents(root: Path) -> set[str]:
    return {p.as_posix() for p in (root / "records/incidents").rglob("*.yaml")}


def window(root: Path) -> dict[str, Any]:
    found = load_repository(load_config(root), cache=RecordCache(None, (1 << 20, 100))).get(
        "MNT-0003")
    assert found is not None
    return found.data


def test_an_alert_during_an_occurrence_opens_no_incident_and_is_listed(demo: Path) -> None:
    before = incidents(demo)
    result = ingest(demo, alert(), DURING)
    assert result.code == 0, result.stdout
    assert result.lines[0] == (
        "records/maintenance/MNT-0003.yaml:1:1: notice: WarehouseDown on data-warehouse is "
        "during maintenance MNT-0003.20261129T0200Z (until 2026-11-29T03:00:00Z): recorded "
        "there, no incident opened [silenced]")
    assert incidents(demo) == before
    [update] = sorted((demo / UPDATES).glob("2026112[89]*.yaml"))
    recorded = window(demo)["alerts"][-1]
    assert recorded == {"fingerprint": "dw01", "name": "WarehouseDown", "source": "alertmanager",
                        "started_at": "2026-11-29T02:05:00Z", "resolved_at": None,
                        "service": "data-warehouse"}
    assert "no incident opened" in update.read_text()
    assert run_itsm("validate", "--now", DURING, cwd=demo).code == 0

    # Alertmanager repeats it while it fires: nothing changes.
    again = ingest(demo, alert(), DURING)
    assert "already recorded on maintenance MNT-0003, still under way" in again.stdout
    assert incidents(demo) == before

    # The internal site lists it under that occurrence; the public one shows no window.
    site = build(demo, demo.parent / "site", "--now", DURING, "--internal")
    page = (site / "maintenance/MNT-0003.20261129T0200Z.html").read_text()
    assert "Alerts during this window" in page
    assert "WarehouseDown on Data Warehouse" in page
    public = build(demo, demo.parent / "public", "--now", DURING)
    assert not list((public / "maintenance").glob("MNT-0003*"))


def test_its_resolution_is_recorded_on_the_window(demo: Path) -> None:
    ingest(demo, alert(), DURING)
    result = ingest(demo, alert("resolved"), "2026-11-29T02:45:00Z")
    assert result.lines[0].endswith(
        "WarehouseDown resolved: recorded on maintenance MNT-0003 [silenced]")
    assert window(demo)["alerts"][-1]["resolved_at"] == "2026-11-29T02:40:00Z"


def test_an_alert_that_outlives_the_window_opens_an_incident(demo: Path) -> None:
    before = incidents(demo)
    ingest(demo, alert(), DURING)
    result = ingest(demo, alert(), LATER)
    assert result.code == 0, result.stdout
    [opened] = incidents(demo) - before
    assert "(it outlived maintenance MNT-0003)" in result.lines[0]
    assert "[opened]" in result.lines[0]
    found = load_repository(load_config(demo)).get(Path(opened).stem)
    assert found is not None
    assert [a["fingerprint"] for a in found.data["alerts"]] == ["dw01"]


def test_an_alert_outside_any_window_opens_an_incident(demo: Path) -> None:
    before, updates = incidents(demo), sorted((demo / UPDATES).iterdir())
    result = ingest(demo, alert(startsAt="2026-11-28T02:05:00Z"), "2026-11-28T02:20:00Z")
    assert "[opened]" in result.lines[0]
    assert len(incidents(demo) - before) == 1
    assert sorted((demo / UPDATES).iterdir()) == updates
