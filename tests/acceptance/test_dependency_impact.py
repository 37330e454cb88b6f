"""Impact through dependencies: a service that depends on one in outage is shown as
affected (derived, not its own incident) on the site and in the Statuspage API, and its
alerts join the incident of the service it depends on."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from itsm_as_code.model.impact import affected_by
from tests.helpers import DEMO, copy_demo, example_repo, run_itsm, service, write
from tests.site_helpers import build, serve

# The demo on the evening of the card processing outage: Card Processing and the
# Payments API in major outage (INC-0011). Webhooks depend on the Payments API.
OUTAGE = "2026-09-29T19:00:00+02:00"


def test_affected_by_follows_dependencies_transitively_and_survives_a_cycle() -> None:
    depends = {"shop": ["api"], "api": ["db"], "db": [], "report": ["shop"],
               "a": ["b"], "b": ["a", "db"]}
    assert affected_by(depends, {"db": "major_outage"}) == {
        "api": ("db",), "shop": ("db",), "report": ("db",), "a": ("db",), "b": ("db",)}
    assert affected_by(depends, {"api": "partial_outage", "db": "degraded_performance"}) == {
        "shop": ("api",), "report": ("api",)}
    assert affected_by(depends, {"api": "under_maintenance"}) == {}


def test_a_dependency_outage_marks_its_dependents_on_the_site(tmp_path: Path) -> None:
    site = build(DEMO, tmp_path / "site", "--now", OUTAGE)
    index = (site / "index.html").read_text()
    note = ('Affected by the <a href="services/card-processing.html">Card Processing</a> and '
            '<a href="services/payments-api.html">Payments API</a> outage: it depends on them.')
    assert note in index
    webhooks = (site / "services/webhooks.html").read_text()
    assert "Degraded performance" in webhooks
    assert note.replace('href="', 'href="../') in webhooks
    # Not an incident of its own: the outage's incident does not name it.
    components = json.loads((site / "api/v2/components.json").read_text())["components"]
    found = {c["id"]: c for c in components}
    assert found["webhooks"]["status"] == "degraded_performance"
    assert found["webhooks"]["description"].startswith(
        "Affected by the Card Processing and Payments API outage (derived: no incident of "
        "its own). ")
    assert found["payments-api"]["status"] == "major_outage"
    assert not found["payments-api"]["description"].startswith("Affected")
    incidents = json.loads((site / "api/v2/incidents/unresolved.json").read_text())
    assert all("webhooks" not in [c["id"] for c in i["components"]]
               for i in incidents["incidents"])
    # A day later, the outage is over and so is the derived status.
    later = build(DEMO, tmp_path / "later", "--now", "2026-09-30T19:00:00+02:00")
    assert "Affected by" not in (later / "index.html").read_text()


def test_a_statuspage_client_reads_the_derived_status(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site = build(DEMO, tmp_path / "site", "--now", OUTAGE)
    (tmp_path / "services.json").write_text(json.dumps({"demo": {"url": "unused"}}))
    monkeypatch.setenv("SERVICES_JSON_PATH", str(tmp_path / "services.json"))
    monkeypatch.chdir(tmp_path)
    pytest.importorskip("statuspage_prometheus_exporter",
                        reason="the exporter needs Python 3.11 or newer")
    checker = importlib.import_module("statuspage_prometheus_exporter.service_checker")
    with serve(site) as url:
        result = checker.check_status_page_service(
            "northwind", {"url": f"{url}api/v2/summary.json", "name": "Northwind"})
    assert result["success"] is True, result
    components = {c["name"]: c["status"] for c in result["component_metadata"]}
    assert components["Webhook Delivery"] == "degraded_performance"
    assert components["Payments API"] == "major_outage"


def test_an_alert_of_a_dependent_service_joins_the_incident_of_its_cause(
        tmp_path: Path) -> None:
    demo = copy_demo(tmp_path / "demo")
    opened = run_itsm("event", "ingest", str(DEMO / "examples/alerts/firing-critical.json"),
                      cwd=demo)
    incident = opened.lines[0].split("opened ")[1].split(" ")[0]
    alert = {"status": "firing", "labels": {"alertname": "WebhookDeliveryFailing",
                                            "service": "webhooks", "severity": "critical"},
             "annotations": {"summary": "Webhook deliveries fail"},
             "startsAt": "2026-11-24T09:20:00Z", "endsAt": "0001-01-01T00:00:00Z",
             "fingerprint": "wh01"}
    payload = json.dumps({"version": "4", "status": "firing", "alerts": [alert]})
    result = run_itsm("event", "ingest", "-", cwd=demo, stdin=payload)
    assert result.lines[0].endswith(
        f"WebhookDeliveryFailing joined {incident} (its service payments-api, which webhooks "
        "depends on, within 30m) [joined]")
    # Outside the correlation window it opens an incident of its own.
    alert.update(startsAt="2026-11-24T11:20:00Z", fingerprint="wh02")
    later = run_itsm("event", "ingest", "-", cwd=demo, stdin=json.dumps(
        {"version": "4", "status": "firing", "alerts": [alert]}))
    assert "[opened]" in later.lines[0]


def test_a_dependency_cycle_is_a_finding(tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo")
    write(root, service("web", depends_on=["api"]))
    result = run_itsm("validate", "--now", "2026-11-22T10:00:00+01:00", cwd=root)
    assert result.code == 1
    assert [line for line in result.lines if "service-dependency" in line] == [
        "records/services/api.yaml:7:13: error: depends_on: api -> web -> api is a cycle: a "
        "service cannot depend on itself; remove one of these dependencies "
        "[service-dependency]",
        "records/services/web.yaml:7:1: error: depends_on: web -> api -> web is a cycle: a "
        "service cannot depend on itself; remove one of these dependencies "
        "[service-dependency]"]
