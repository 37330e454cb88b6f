"""The service catalogue page's content: what each build lists, by service, with the
approval it needs, the time it usually takes as people read it, and the form to ask."""

from __future__ import annotations

from typing import Any

from itsm_as_code.site.catalogue import Catalogue, Offer, Offering, catalogue
from tests.helpers import calendar, context, person, service, sla, team

REPO = "https://github.com/acme/itsm"


def request_type(record_id: str, **overrides: Any) -> dict[str, Any]:
    return {"apiVersion": "itsm/v1", "kind": "RequestType", "id": record_id,
            "name": record_id.replace("-", " ").capitalize(),
            "description": f"About {record_id}.", "service": "web",
            "approval": {"standard": True}, "fulfilment": {"team": "ops"}, **overrides}


RECORDS = [
    person("ada"), person("ben"), team("ops", members=["ada", "ben"]), calendar("office"),
    sla("standard", targets={"P2": {"resolution": "1d"}}),
    sla("office-hours", calendar="office",
        targets={"P3": {"resolution": "8h"}, "P4": {"resolution": "2bd4h"},
                 "P5": {"resolution": "1bd"}}),
    sla("incidents-only", applies_to=["Incident"], targets={"P4": {"resolution": "1h"}}),
    service("web", name="Website", sla="standard"),
    service("workplace", name="Workplace IT", visibility="internal", sla="office-hours"),
    request_type("password-reset", priority="P2"),
    request_type("laptop", service="workplace", priority="P4",
                 approval={"stages": [
                     {"name": "Team lead", "approvers": {"requester_lead": True}},
                     {"name": "IT", "approvers": {"team": "ops"}}]}),
    request_type("monitor", service="workplace", priority="P3",
                 fulfilment={"team": "ops", "sla": "office-hours"}),
    request_type("chair", service="workplace", priority="P5"),
    request_type("question", fulfilment={"team": "ops", "sla": "incidents-only"}),
]


def offer(record_id: str, expected: str | None, ask: str | None, *stages: str) -> Offer:
    return Offer(record_id, record_id.replace("-", " ").capitalize(), f"About {record_id}.",
                 not stages, stages, expected, ask)


def test_the_public_catalogue_leaves_internal_services_out() -> None:
    assert catalogue(context(*RECORDS), False, REPO) == Catalogue(
        (Offering("web", "Website", False, (
            offer("password-reset", "1 d", f"{REPO}/issues/new?template=password-reset.yml"),
            # its SLA does not cover requests: no time is promised
            offer("question", None, f"{REPO}/issues/new?template=question.yml"),
        )),),
        f"{REPO}/issues/new?template=incident.yml")


def test_the_internal_catalogue_reads_business_days_and_working_time() -> None:
    found = catalogue(context(*RECORDS), True, "")
    assert [(o.service, o.internal) for o in found.services] == [
        ("web", False), ("workplace", True)]
    assert found.services[1].offers == (
        offer("chair", "1 business day", None),
        offer("laptop", "2 business days and 4 h", None, "Team lead", "IT"),
        offer("monitor", "8 h of working time", None),
    )
    assert found.report is None


def test_no_request_types_no_catalogue() -> None:
    assert catalogue(context(*RECORDS[:8]), True, REPO).empty
