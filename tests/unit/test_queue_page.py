"""The service desk queue's content: open requests and user-reported incidents by team,
the most urgent first, with age, SLA state, assignee and the approval a request waits
for."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from itsm_as_code.site.queue import Waiting, queue
from tests.helpers import context, incident, person, request, service, sla, team

UTC = timezone.utc
ORIGIN = {"channel": "github", "github_issue": 7, "github_user": "ben-gh"}


def stamp(hour: int) -> str:
    return f"2026-11-22T{hour:02d}:00:00+01:00"


def entry(hour: int, status: str) -> dict[str, Any]:
    return {"at": stamp(hour), "status": status, "message": f"Now {status}."}


RECORDS = [
    person("ada"), person("ben"), person("cleo"),
    team("ops", name="Operations", members=["ada", "ben"], lead="ada"),
    team("dev", name="Development", members=["cleo"]),
    sla("standard", targets={"P2": {"response": "1h", "resolution": "1d"},
                             "P3": {"response": "4h", "resolution": "2d"}}),
    service("web", name="Website", sla="standard"),
    {"apiVersion": "itsm/v1", "kind": "RequestType", "id": "laptop", "name": "New laptop",
     "description": "A laptop.", "service": "web", "fulfilment": {"team": "dev"},
     "approval": {"stages": [
         {"name": "Lead", "approvers": {"team": "ops"}},
         {"name": "Finance", "approvers": {"people": ["cleo"]}}]}},
    request("REQ-0001", opened_at=stamp(9)),
    request("REQ-0002", priority="P2", opened_at=stamp(8), assignee="ben",
            status="in_fulfilment", timeline=[entry(8, "in_fulfilment")]),
    request("REQ-0003", opened_at=stamp(7), requested_by="ben"),
    request("REQ-0004", opened_at=stamp(6), status="fulfilled", resolved_at=stamp(7),
            timeline=[entry(7, "fulfilled")]),
    # typed: its fulfilment team is dev; ada requested it, so only ben approves the lead
    request("REQ-0005", opened_at=stamp(5), type="laptop", requested_by="ada"),
    incident("INC-0001", origin=ORIGIN, opened_at=stamp(9)),
    incident("INC-0002", opened_at=stamp(9)),  # not reported by a user: not queued
]


def test_open_work_by_team_the_most_urgent_and_oldest_first() -> None:
    found = queue(context(*RECORDS))
    assert [(t.team, t.name, [i.id for i in t.items]) for t in found.teams] == [
        ("dev", "Development", ["REQ-0005"]),
        ("ops", "Operations", ["REQ-0002", "REQ-0003", "INC-0001", "REQ-0001"]),
    ]
    assert found.count == 5


def test_each_item_says_its_age_sla_state_and_people() -> None:
    items = {i.id: i for t in queue(context(*RECORDS)).teams for i in t.items}
    first = items["REQ-0002"]
    assert (first.kind, first.status, first.age, first.requester, first.assignee) == (
        "ServiceRequest", "in fulfilment", "2 h", "Ada", "Ben")
    # its 1h response clock broke at 09:00
    assert (first.sla_state, first.sla_tone, first.due) == (
        "breached", "bad", datetime(2026, 11, 22, 8, 0, tzinfo=UTC))
    reported = items["INC-0001"]
    assert (reported.kind, reported.status, reported.requester, reported.assignee,
            reported.sla_state, reported.due, reported.waiting) == (
        "Incident", "investigating", None, None, "within",
        datetime(2026, 11, 22, 12, 0, tzinfo=UTC), None)  # its 4h response clock


def test_a_request_waiting_for_approval_says_whose_is_missing() -> None:
    items = {i.id: i for t in queue(context(*RECORDS)).teams for i in t.items}
    assert items["REQ-0005"].type == "New laptop"
    assert items["REQ-0005"].waiting == Waiting("Lead", 1, ("Ben",))
    approved = [r for r in RECORDS if r.get("id") != "REQ-0005"] + [request(
        "REQ-0005", opened_at=stamp(5), type="laptop", requested_by="ada",
        approvals=[{"by": "ben", "at": stamp(6), "decision": "approved"}])]
    items = {i.id: i for t in queue(context(*approved)).teams for i in t.items}
    assert items["REQ-0005"].waiting == Waiting("Finance", 1, ("Cleo",))
    assert items["REQ-0001"].waiting is None  # no type: no stages to wait for
