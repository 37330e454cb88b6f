"""The JSON API, read over HTTP by an existing Statuspage client.

statuspage-prometheus-exporter (PyPI) polls Atlassian Statuspage `summary.json` pages and
turns them into metrics; here it reads the demo site, served on 127.0.0.1. The key-by-key
comparison with a real Statuspage payload is in tests/unit/test_site_statuspage.py.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.site_helpers import build_demo, serve


def consumer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The exporter's checker; it reads its services.json and writes its cache in the
    current folder, so both go to `tmp_path`."""
    (tmp_path / "services.json").write_text(json.dumps({"demo": {"url": "unused"}}))
    monkeypatch.setenv("SERVICES_JSON_PATH", str(tmp_path / "services.json"))
    monkeypatch.chdir(tmp_path)
    pytest.importorskip("statuspage_prometheus_exporter",
                        reason="the exporter needs Python 3.11 or newer")
    return importlib.import_module("statuspage_prometheus_exporter.service_checker")


def test_a_statuspage_client_reads_the_summary(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    site = build_demo(tmp_path / "site")
    checker = consumer(tmp_path, monkeypatch)
    with serve(site) as url:
        result = checker.check_status_page_service(
            "northwind", {"url": f"{url}api/v2/summary.json", "name": "Northwind"})
    assert result["success"] is True, result
    # Four open incidents; the worst (a partial outage of settlement reports) is `major`.
    assert result["raw_status"] == "major"
    assert result["status"] == 0
    incidents = {i["name"]: i for i in result["incident_metadata"]}
    assert sorted(incidents) == [
        "Merchant Dashboard CSV export times out for large date ranges",
        "SEPA Direct Debit return files from partner bank not received",
        "Settlement reports for 20 November not yet available",
        "Webhook delivery delayed, retry queue growing",
    ]
    settlement = incidents["Settlement reports for 20 November not yet available"]
    assert settlement["affected_components"] == ["Settlement Reports"]
    assert settlement["started_at"] == "2026-11-21T06:05:00.000Z"
    assert settlement["shortlink"] == (
        "https://status.northwind-payments.example/incidents/INC-0025.html")
    components = {c["name"]: c["status"] for c in result["component_metadata"]}
    assert components["Settlement Reports"] == "partial_outage"
    assert components["Payments API"] == "operational"
    assert [m["name"] for m in result["maintenance_metadata"]] == [
        "Reporting database migration for the Merchant Dashboard"]
    assert result["maintenance_metadata"][0]["scheduled_start"] == "2026-11-28T00:00:00.000Z"


def test_every_endpoint_is_served_as_json(tmp_path: Path) -> None:
    import urllib.request

    site = build_demo(tmp_path / "site")
    with serve(site) as url:
        for path in ("summary", "status", "components", "incidents", "incidents/unresolved",
                     "scheduled-maintenances", "scheduled-maintenances/upcoming",
                     "scheduled-maintenances/active"):
            with urllib.request.urlopen(f"{url}api/v2/{path}.json") as response:
                assert response.headers["Content-Type"] == "application/json"
                assert json.load(response)["page"]["name"] == "Northwind Payments"
