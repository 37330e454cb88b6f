"""The service desk's KPIs of `itsm report`, worked out by hand on a small repository:
request volume by type, time to approve, time to fulfil against its target, and
first-contact resolution; and the same figures in every format of the report."""

from __future__ import annotations

import json
from typing import Any

from itsm_as_code.reporters import render
from itsm_as_code.sla.desk_kpis import DeskFigures
from itsm_as_code.sla.kpi import DEFINITIONS, report
from itsm_as_code.sla.kpi_report import KPI_OVERRIDES, figures_report
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import context, incident, person, request, service, sla, team

NOW = parse_timestamp("2026-12-01T00:00:00Z")
WINDOW = ("2026-11-01", "2026-11-30")


def entry(at: str, status: str | None = None, **fields: Any) -> dict[str, Any]:
    found = {"at": at, "message": "A step.", **fields}
    return {**found, "status": status} if status else found


RECORDS = [
    person("ada"), person("ben"), person("cleo"), team("ops", members=["ada", "ben"]),
    sla("standard", targets={"P3": {"resolution": "1d"}}),
    service("web", sla="standard"),
    {"apiVersion": "itsm/v1", "kind": "RequestType", "id": "laptop", "name": "Laptop",
     "description": "A laptop.", "service": "web", "fulfilment": {"team": "ops"},
     "approval": {"stages": [{"name": "Lead", "approvers": {"people": ["ben"]}}]}},
    # untyped: approved after 2h, fulfilled after 12h (met), never handed on
    request("REQ-0001", opened_at="2026-11-02T09:00:00Z", status="fulfilled",
            resolved_at="2026-11-02T21:00:00Z",
            approvals=[{"by": "ben", "at": "2026-11-02T11:00:00Z", "decision": "approved"}],
            timeline=[entry("2026-11-02T11:00:00Z", "approved"),
                      entry("2026-11-02T12:00:00Z", "in_fulfilment"),
                      entry("2026-11-02T21:00:00Z", "fulfilled")]),
    # typed: the requester's own approval does not count; ben's after 4h completes the
    # stage; handed on to cleo; fulfilled after 48h (breached)
    request("REQ-0002", type="laptop", opened_at="2026-11-03T09:00:00Z", status="fulfilled",
            resolved_at="2026-11-05T09:00:00Z",
            approvals=[{"by": "ada", "at": "2026-11-03T10:00:00Z", "decision": "approved"},
                       {"by": "ben", "at": "2026-11-03T13:00:00Z", "decision": "approved"}],
            timeline=[entry("2026-11-03T13:00:00Z", "approved"),
                      entry("2026-11-04T09:00:00Z", "in_fulfilment", assignee="cleo"),
                      entry("2026-11-05T09:00:00Z", "fulfilled")]),
    # typed, still waiting: its running resolution clock breached on 7 November
    request("REQ-0003", type="laptop", opened_at="2026-11-06T09:00:00Z"),
    # opened before the window: not counted as opened, not approved in it
    request("REQ-0004", opened_at="2026-10-20T09:00:00Z", status="canceled",
            resolved_at="2026-10-21T09:00:00Z",
            timeline=[entry("2026-10-21T09:00:00Z", "canceled")]),
    incident("INC-0001", opened_at="2026-11-10T09:00:00Z", status="resolved",
             resolved_at="2026-11-10T10:00:00Z",
             timeline=[entry("2026-11-10T09:00:00Z", "investigating"),
                       entry("2026-11-10T10:00:00Z", "resolved")]),
]


def test_the_desk_figures_worked_out_by_hand() -> None:
    result = report(context(*RECORDS, now=NOW), *WINDOW)
    assert result.desk == DeskFigures(
        requests_opened=3, requests_by_type={"(no type)": 1, "laptop": 2},
        requests_approved=2, time_to_approve_seconds=3 * 3600,  # (2h + 4h) / 2
        requests_fulfilled=2, time_to_fulfil_seconds=30 * 3600,  # (12h + 48h) / 2
        fulfilment_clocks=3, fulfilment_met_percent=33.33,  # REQ-0001 met of 3 decided
        first_contact_total=3, first_contact_resolved=2,  # REQ-0002 was handed on
        first_contact_resolution_percent=66.67)


def test_one_service_counts_only_its_requests() -> None:
    records = [*RECORDS, service("api", sla="standard")]
    desk = report(context(*records, now=NOW), *WINDOW, service="api").desk
    assert desk is not None
    assert (desk.requests_opened, desk.first_contact_total) == (0, 0)
    assert desk.first_contact_resolution_percent is None


def rendered(output: str) -> str:
    result = report(context(*RECORDS, now=NOW), *WINDOW)
    return render(figures_report(result, "Example"), output, KPI_OVERRIDES)


def test_every_format_shows_the_desk_figures() -> None:
    text = rendered("text").splitlines()
    start = text.index("Service desk")
    assert text[start:start + 6] == [
        "Service desk",
        "  FIGURE                    VALUE",
        "  requests_by_type          3 opened: (no type) 1, laptop 2",
        "  time_to_approve           3h (2 approved)",
        "  time_to_fulfil            1d 6h (2 fulfilled); 33.3% met (3 clocks)",
        "  first_contact_resolution  66.7% (2 of 3)"]
    markdown = rendered("markdown")
    assert "| first_contact_resolution | 66.7% (2 of 3) |" in markdown
    document = json.loads(rendered("json"))
    assert document["desk"]["time_to_fulfil_seconds"] == 108000
    assert set(document["definitions"]) >= {"requests_by_type", "time_to_approve",
                                            "time_to_fulfil", "first_contact_resolution"}
    page = rendered("html")
    assert "<td>first_contact_resolution</td><td>66.7% (2 of 3)</td>" in page
    assert DEFINITIONS["first_contact_resolution"] in page
