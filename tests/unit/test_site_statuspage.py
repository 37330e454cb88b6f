"""The JSON API has the keys, value types and enums of a real Statuspage payload."""

from __future__ import annotations

import json
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.model.model import Model
from itsm_as_code.site.records import select
from itsm_as_code.site.statuspage import Api, short_id, stamp
from itsm_as_code.site.views import build_views
from itsm_as_code.store.repository import load_repository
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import DEMO
from tests.site_helpers import SITE_EXAMPLES

REFERENCE = json.loads((SITE_EXAMPLES / "reference/statuspage-summary.json").read_text())
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
ENUMS = {  # Statuspage's documented values; the reference shows some of each
    "component": {"operational", "degraded_performance", "partial_outage", "major_outage",
                  "under_maintenance"},
    "incident": {"investigating", "identified", "monitoring", "resolved", "postmortem"},
    "maintenance": {"scheduled", "in_progress", "verifying", "completed"},
    "impact": {"none", "minor", "major", "critical", "maintenance"},
    "indicator": {"none", "minor", "major", "critical"},
}
TIMES = {"created_at", "updated_at", "monitoring_at", "resolved_at", "started_at",
         "display_at", "scheduled_for", "scheduled_until"}


def _types(objects: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Key -> the JSON types it has across `objects` of the reference."""
    found: dict[str, set[str]] = {}
    for item in objects:
        for key, value in item.items():
            found.setdefault(key, set()).add(type(value).__name__)
    return found


REF_INCIDENT = _types(REFERENCE["incidents"])
REF_UPDATE = _types([u for i in REFERENCE["incidents"] for u in i["incident_updates"]])
REF_AFFECTED = _types([a for i in REFERENCE["incidents"] for u in i["incident_updates"]
                       for a in u["affected_components"] or []])
REF_COMPONENT = _types(REFERENCE["components"])
# Fields the reference happens to show only as null, and the types Statuspage gives them.
REF_COMPONENT["group_id"] |= {"str"}
REF_INCIDENT["monitoring_at"] |= {"str"}
REF_INCIDENT["resolved_at"] |= {"str"}
REF_UPDATE["custom_tweet"] |= {"str"}
REF_UPDATE["tweet_id"] |= {"str"}


def check(item: dict[str, Any], reference: dict[str, set[str]], extra: dict[str, str],
          where: str) -> None:
    """Same keys as the reference (plus `extra`: key -> type), each of a known type."""
    assert list(item) == [*reference, *(k for k in extra if k not in reference)], where
    for key, value in item.items():
        allowed = reference.get(key, {extra.get(key, "")})
        assert type(value).__name__ in allowed, f"{where}.{key}: {value!r}"
        if key in TIMES and value is not None:
            assert STAMP.match(value), f"{where}.{key}: {value!r}"


def check_component(component: dict[str, Any], where: str) -> None:
    extra = {"components": "list"} if component["group"] else {}
    check(component, REF_COMPONENT, extra, where)
    assert component["status"] in ENUMS["component"], where


def check_incident(incident: dict[str, Any], kind: str, where: str) -> None:
    extra = {"scheduled_for": "str", "scheduled_until": "str"} if kind == "maintenance" else {}
    check(incident, REF_INCIDENT, extra, where)
    assert incident["status"] in ENUMS[kind], where
    assert incident["impact"] in ENUMS["impact"], where
    for update in incident["incident_updates"]:
        check(update, REF_UPDATE, {}, f"{where}.update")
        assert update["status"] in ENUMS[kind], where
        assert update["incident_id"] == incident["id"]
        for affected in update["affected_components"] or []:
            check(affected, REF_AFFECTED, {}, f"{where}.affected")
            assert {affected["old_status"], affected["new_status"]} <= ENUMS["component"]
    for component in incident["components"]:
        check_component(component, f"{where}.component")


def check_payload(path: str, payload: dict[str, Any]) -> None:
    assert list(payload["page"]) == list(REFERENCE["page"]), path
    assert STAMP.match(payload["page"]["updated_at"])
    for component in payload.get("components", []):
        check_component(component, f"{path} component")
    for incident in payload.get("incidents", []):
        check_incident(incident, "incident", f"{path} incident {incident['id']}")
    for window in payload.get("scheduled_maintenances", []):
        check_incident(window, "maintenance", f"{path} maintenance {window['id']}")
    if "status" in payload:
        assert list(payload["status"]) == ["indicator", "description"]
        assert payload["status"]["indicator"] in ENUMS["indicator"]


def api_files(now: str) -> dict[str, dict[str, Any]]:
    repo = load_repository(load_config(DEMO))
    view = build_views(select(Model(repo), False, parse_timestamp(now)),
                       ZoneInfo("Europe/Berlin"), repo.config.availability_weights,
                       list(repo.config.site.groups))
    files = Api(view, "Northwind Payments", "https://status.example", "Europe/Berlin").files()
    return {path: json.loads(data) for path, data in files.items()}


@pytest.mark.parametrize("now", [
    "2026-11-22T12:00:00+01:00",  # four open incidents, a window ahead
    "2026-11-28T01:30:00+01:00",  # the reporting database migration under way
    "2026-09-29T19:00:00+02:00",  # the major card outage
])
def test_every_endpoint_has_the_shape_of_a_real_statuspage(now: str) -> None:
    files = api_files(now)
    assert sorted(files) == sorted(f"api/v2/{p}" for p in (
        "summary.json", "status.json", "components.json", "incidents.json",
        "incidents/unresolved.json", "scheduled-maintenances.json",
        "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json"))
    for path, payload in files.items():
        check_payload(path, payload)
    summary = files["api/v2/summary.json"]
    assert list(summary) == list(REFERENCE)


def test_summary_tells_what_is_going_on() -> None:
    summary = api_files("2026-11-22T12:00:00+01:00")["api/v2/summary.json"]
    assert summary["status"] == {"indicator": "minor", "description": "Minor Service Outage"}
    assert [i["id"] for i in summary["incidents"]] == ["INC-0026", "INC-0025", "INC-0024",
                                                      "INC-0023"]
    settlement = summary["incidents"][1]
    assert (settlement["status"], settlement["impact"]) == ("identified", "major")
    assert settlement["shortlink"] == "https://status.example/incidents/INC-0025.html"
    first = settlement["incident_updates"][-1]
    assert first["affected_components"] == [{"code": "settlement-reports",
                                             "name": "Settlement Reports",
                                             "old_status": "operational",
                                             "new_status": "partial_outage"}]
    components = {c["id"]: c for c in summary["components"]}
    assert components["settlement-reports"]["status"] == "partial_outage"
    assert "data-warehouse" not in components  # internal
    groups = [c for c in summary["components"] if c["group"]]
    assert [g["name"] for g in groups] == ["Payments", "Merchant tools", "Platform"]  # itsm.yaml
    assert all(components[m]["group_id"] == g["id"] for g in groups for m in g["components"])
    assert [m["id"] for m in summary["scheduled_maintenances"]] == ["MNT-0002"]


def test_a_maintenance_under_way_and_a_major_outage() -> None:
    during = api_files("2026-11-28T01:30:00+01:00")
    active = during["api/v2/scheduled-maintenances/active.json"]["scheduled_maintenances"]
    assert [(m["id"], m["status"]) for m in active] == [("MNT-0002", "in_progress")]
    # Both services of the window still have an open incident, which is worse.
    components = {c["id"]: c["status"] for c in during["api/v2/components.json"]["components"]}
    assert components["settlement-reports"] == "partial_outage"
    summary = during["api/v2/summary.json"]["scheduled_maintenances"]
    assert [(m["id"], m["impact"]) for m in summary] == [("MNT-0002", "maintenance")]
    outage = api_files("2026-09-29T19:00:00+02:00")["api/v2/status.json"]["status"]
    assert outage == {"indicator": "major", "description": "Partial System Outage"}


def test_times_and_ids_in_statuspage_form() -> None:
    assert stamp(parse_timestamp("2022-11-25T16:50:05+01:00")) == "2022-11-25T15:50:05.000Z"
    ids = {short_id("update", str(n)) for n in range(500)}
    assert len(ids) == 500
    assert all(re.fullmatch(r"[0-9a-z]{12}", i) for i in ids)
