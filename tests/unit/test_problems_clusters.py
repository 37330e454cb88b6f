"""Trend detection: which incidents make a candidate problem and which do not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from itsm_as_code.model.context import RunContext
from itsm_as_code.problems.detect import detect
from itsm_as_code.problems.report import candidate_findings, summary
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import Data, affected, context
from tests.helpers import incident as incident_data
from tests.helpers import problem as problem_data


def incident(record_id: str, day: int, title: str = "Webhook delivery delayed", *,
             service: str = "webhooks", **fields: Any) -> Data:
    """A resolved incident on `service` opened on that day of November."""
    return incident_data(record_id, title=title, status="resolved",
                         services=[affected(service, "degraded_performance")],
                         opened_at=f"2026-11-{day:02d}T09:00:00+01:00", timeline=[], **fields)


def problem(record_id: str, *incidents: str) -> Data:
    return problem_data(record_id, incidents=list(incidents))


def clusters(ctx: RunContext, **options: Any) -> list[list[str]]:
    return [[item.id for item in candidate.incidents]
            for candidate in detect(ctx, **options).candidates]


FOUR_IN_A_FORTNIGHT = [
    incident("INC-1", 6, "Webhook delivery delayed for some merchants"),
    incident("INC-2", 9, "Webhook delivery delayed by up to 20 minutes"),
    incident("INC-3", 13, "Webhook delivery delayed for merchants with slow endpoints"),
    incident("INC-4", 19, "Webhooks delivery delays for 2 merchants"),
]


def test_four_similar_incidents_in_a_fortnight_are_a_candidate() -> None:
    detection = detect(context(*FOUR_IN_A_FORTNIGHT))
    [candidate] = detection.candidates
    assert [item.id for item in candidate.incidents] == ["INC-1", "INC-2", "INC-3", "INC-4"]
    assert candidate.services == ("webhooks",)
    assert candidate.words == ("delay", "delivery", "merchant", "webhook")
    assert (candidate.categories, candidate.fingerprints) == ((), ())
    assert (candidate.first.day, candidate.last.day) == (6, 19)
    [finding] = candidate_findings(detection)
    assert (finding.path, finding.record, finding.level) == (
        "records/incidents/INC-4.yaml", "INC-4", "notice")
    assert finding.message == (
        "4 incidents on webhooks between 2026-11-06 and 2026-11-19 are not linked to a "
        "problem and share title words delay, delivery, merchant, webhook: "
        "INC-1, INC-2, INC-3, INC-4")
    assert summary(detection).text == (
        "1 candidate problem(s) among 4 incident(s) not linked to a problem, opened "
        "2026-10-23T10:00:00+01:00 to 2026-11-22T10:00:00+01:00")


def test_a_shared_fingerprint_or_category_links_unlike_titles() -> None:
    alert = [{"fingerprint": "abc123", "name": "QueueBacklog"}]
    repo = context(
        incident("INC-1", 10, "Queue backlog", alerts=alert),
        incident("INC-2", 11, "Customers complain", alerts=alert),
        incident("INC-3", 12, "Something else entirely", category="queues"),
        incident("INC-4", 13, "Yet another thing", category="queues", alerts=alert),
    )
    [candidate] = detect(repo).candidates
    assert [item.id for item in candidate.incidents] == ["INC-1", "INC-2", "INC-3", "INC-4"]
    assert (candidate.fingerprints, candidate.categories) == (("abc123",), ("queues",))


def test_linked_and_canceled_incidents_do_not_count() -> None:
    repo = context(
        *FOUR_IN_A_FORTNIGHT[:2],
        {**FOUR_IN_A_FORTNIGHT[2], "problem": "PRB-1"},
        {**FOUR_IN_A_FORTNIGHT[3], "status": "canceled"},
        problem("PRB-1", "INC-1"),
    )
    assert clusters(repo) == []
    assert detect(repo).considered == 1
    assert clusters(repo, threshold=2) == []


def test_a_problem_listing_an_incident_links_it_without_the_incident_naming_it() -> None:
    # The one definition of "linked to a problem" (Model.problem_links): a link made from
    # the problem's side alone counts, as it does for the SLA report.
    alone = context(*FOUR_IN_A_FORTNIGHT)
    assert detect(alone).considered == 4
    listed = context(*FOUR_IN_A_FORTNIGHT, problem("PRB-1", "INC-2", "INC-3"))
    assert all("problem" not in record for record in FOUR_IN_A_FORTNIGHT)
    assert detect(listed).considered == 2
    assert clusters(listed) == []
    assert clusters(listed, threshold=2) == [["INC-1", "INC-4"]]


def test_below_the_threshold_is_no_candidate() -> None:
    repo = context(*FOUR_IN_A_FORTNIGHT)
    assert clusters(repo, threshold=5) == []
    assert clusters(repo, threshold=4) == [["INC-1", "INC-2", "INC-3", "INC-4"]]


def test_incidents_outside_the_window_do_not_count() -> None:
    repo = context(*FOUR_IN_A_FORTNIGHT)
    # A week back from the 22nd reaches the 19th only; two weeks reach the 9th.
    assert clusters(repo, window=timedelta(days=7)) == []
    assert clusters(repo, window=timedelta(days=14)) == [["INC-2", "INC-3", "INC-4"]]
    # Incidents opened after `now` are not counted either.
    earlier = context(*FOUR_IN_A_FORTNIGHT, now=parse_timestamp("2026-11-12T00:00:00+01:00"))
    assert detect(earlier).considered == 2


def test_different_services_are_never_one_candidate() -> None:
    repo = context(*[{**record, "services": [{"id": f"svc-{index}", "status": "major_outage"}]}
                        for index, record in enumerate(FOUR_IN_A_FORTNIGHT)])
    assert clusters(repo, threshold=2) == []


def test_an_incident_on_two_services_is_one_candidate_naming_both() -> None:
    both = [{"id": "webhooks", "status": "major_outage"}, {"id": "api", "status": "major_outage"}]
    repo = context(*[{**record, "services": both} for record in FOUR_IN_A_FORTNIGHT])
    [candidate] = detect(repo).candidates
    assert candidate.services == ("api", "webhooks")


def test_candidates_come_largest_first_then_oldest_first() -> None:
    repo = context(
        *(incident(f"INC-{n}", n, "Refunds stuck", service="refunds") for n in (15, 16, 17)),
        *FOUR_IN_A_FORTNIGHT,
        *(incident(f"INC-{n}", n, "Login fails", service="identity") for n in (10, 11, 12)),
    )
    assert clusters(repo) == [["INC-1", "INC-2", "INC-3", "INC-4"],
                              ["INC-10", "INC-11", "INC-12"], ["INC-15", "INC-16", "INC-17"]]


def test_broken_records_are_left_out_not_fatal() -> None:
    repo = context(
        *FOUR_IN_A_FORTNIGHT[:3],
        {**FOUR_IN_A_FORTNIGHT[3], "opened_at": "yesterday", "services": "webhooks"},
        {**incident("INC-9", 20), "title": None, "services": [None, {"id": 4}],
         "alerts": [{"fingerprint": 7}, "x"]},
        {**problem("PRB-9"), "incidents": "INC-1"},
    )
    assert clusters(repo) == [["INC-1", "INC-2", "INC-3"]]
