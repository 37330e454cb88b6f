"""SLA escalation levels: which levels a running clock has reached, when, and whom each
names; what `itsm sla check` says of them in every format; the rule that levels rise."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from itsm_as_code.reporters import render
from itsm_as_code.sla.check import check, reached_levels
from itsm_as_code.sla.check_report import CHECK_OVERRIDES, clock_report
from itsm_as_code.validation.registry import RULES
from itsm_as_code.validation.rules.base import Judged
from tests.helpers import context, incident, person, request, service, sla, team

UTC = timezone.utc
LEVELS = [{"at": 50, "notify": "assignee"}, {"at": 75, "notify": "team_lead"},
          {"at": 100, "notify": ["team", {"person": "carol"}]}]


def records(**sla_fields: Any) -> list[dict[str, Any]]:
    """A 24x7 SLA with LEVELS on `web`, and a P1 incident of team `ops` assigned to ben,
    opened three hours before NOW and never acknowledged: its response clock (1h) is at
    300%, its resolution clock (4h) at 75%."""
    return [
        sla(targets={"P1": {"response": "1h", "resolution": "4h"}},
            escalations=LEVELS, **sla_fields),
        service("web", sla="standard"),
        team("ops", members=["ada", "ben", "dan"], lead="ada"),
        person("ada"), person("ben"), person("carol"),
        person("dan", status="left", left_at="2026-11-01T00:00:00Z"),
        incident(opened_at="2026-11-22T07:00:00+01:00", impact="high", urgency="high",
                 priority="P1", team="ops", assignee="ben",
                 timeline=[{"at": "2026-11-22T07:00:00+01:00", "status": "investigating",
                            "message": "Looking."}]),
    ]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_every_level_reached_with_its_moment_and_its_people() -> None:
    found = [(r.record, r.clock.metric, r.level, r.escalation.at, r.reached_at,
              [p.id for p in r.people]) for r in reached_levels(context(*records()))]
    assert found == [
        ("INC-0001", "response", 1, 50, at("2026-11-22T07:30:00+01:00"), ["ben"]),
        ("INC-0001", "response", 2, 75, at("2026-11-22T07:45:00+01:00"), ["ada"]),
        # the record's team (dan has left: never named), then carol
        ("INC-0001", "response", 3, 100, at("2026-11-22T08:00:00+01:00"),
         ["ada", "ben", "carol"]),
        ("INC-0001", "resolution", 1, 50, at("2026-11-22T09:00:00+01:00"), ["ben"]),
        # 75% of 4h is exactly now: reached
        ("INC-0001", "resolution", 2, 75, at("2026-11-22T10:00:00+01:00"), ["ada"]),
    ]


def test_a_level_for_one_metric_leaves_the_other_clock_alone() -> None:
    levels = [{"at": 50, "notify": "assignee", "metric": "resolution"}]
    found = [(r.clock.metric, r.level) for r in reached_levels(
        context(*[sla(targets={"P1": {"response": "1h", "resolution": "4h"}},
                      escalations=levels), *records()[1:]]))]
    assert found == [("resolution", 1)]


def test_without_a_team_the_services_owner_team_is_told() -> None:
    unassigned = request(priority="P1", opened_at="2026-11-22T07:00:00+01:00")
    ctx = context(*records()[:-1], unassigned)
    found = [(r.clock.metric, r.level, r.notify, [p.id for p in r.people])
             for r in reached_levels(ctx) if r.clock.metric == "response"]
    assert found == [
        ("response", 1, ["assignee"], []),  # nobody is assigned
        ("response", 2, ["team_lead"], ["ada"]),  # web's owner team, ops
        ("response", 3, ["team", "person:carol"], ["ada", "ben", "carol"]),
    ]


def test_stopped_clocks_reach_no_level() -> None:
    data = records()
    data[-1] = {**data[-1], "acknowledged_at": "2026-11-22T07:10:00+01:00",
                "timeline": [{"at": "2026-11-22T07:00:00+01:00", "status": "investigating",
                              "message": "Looking."},
                             {"at": "2026-11-22T07:10:00+01:00", "acknowledged": True,
                              "message": "Ben is on it."}]}
    assert [r.clock.metric for r in reached_levels(context(*data))] == [
        "resolution", "resolution"]


def test_json_gives_each_running_clock_its_highest_level_without_e_mails() -> None:
    ctx = context(*records())
    document = json.loads(render(clock_report(check(ctx), "never", ctx.model), "json",
                                 CHECK_OVERRIDES))
    assert [(c["metric"], c["escalation"]) for c in document["clocks"]] == [
        ("response", {"level": 3, "at": 100, "reached_at": "2026-11-22T07:00:00Z",
                      "notify": ["team", "person:carol"],
                      "people": [{"id": "ada", "name": "Ada"}, {"id": "ben", "name": "Ben"},
                                 {"id": "carol", "name": "Carol"}]}),
        ("resolution", {"level": 2, "at": 75, "reached_at": "2026-11-22T09:00:00Z",
                        "notify": ["team_lead"], "people": [{"id": "ada", "name": "Ada"}]}),
    ]
    assert "@example.org" not in json.dumps(document)


def test_text_and_markdown_show_the_level_and_the_names() -> None:
    ctx = context(*records())
    report = clock_report(check(ctx), "never", ctx.model)
    lines = render(report, "text", CHECK_OVERRIDES).splitlines()
    assert lines[0].split()[-1] == "ESCALATION"
    assert lines[1].endswith("3 at 100%: Ada, Ben, Carol")
    assert lines[2].endswith("2 at 75%: Ada")
    markdown = render(report, "markdown", CHECK_OVERRIDES)
    assert "| % | When | Escalation |" in markdown
    assert "| 3 at 100%: Ada, Ben, Carol |" in markdown


def test_without_levels_the_table_has_no_escalation_column() -> None:
    ctx = context(*[sla(targets={"P1": {"response": "1h", "resolution": "4h"}}),
                    *records()[1:]])
    report = clock_report(check(ctx), "never", ctx.model)
    assert "ESCALATION" not in render(report, "text", CHECK_OVERRIDES)
    document = json.loads(render(report, "json", CHECK_OVERRIDES))
    assert [clock["escalation"] for clock in document["clocks"]] == [None, None]


def rule_findings(*data: dict[str, Any]) -> list[str]:
    ctx = context(*data)
    judged = Judged(ctx.model, ctx.repo.records)
    return [f"{f.line}:{f.column}: {f.message}" for f in RULES["sla-escalation"].run(judged)]


def test_levels_of_a_clock_rise_in_the_order_written() -> None:
    levels = [{"at": 75, "notify": "team_lead"}, {"at": 50, "notify": "assignee"},
              {"at": 90, "notify": "team", "metric": "response"},
              {"at": 80, "notify": "team", "metric": "resolution"},
              {"at": 80, "notify": "team", "metric": "response"}]
    assert rule_findings(sla(escalations=levels)) == [
        "16:7: escalations[1]: 50% does not rise above escalations[0] (75%) for the "
        "response clock: write the levels of a clock from the smallest share of the "
        "target to the largest",
        "24:7: escalations[4]: 80% does not rise above escalations[2] (90%) for the "
        "response clock: write the levels of a clock from the smallest share of the "
        "target to the largest",
    ]


def test_rising_levels_and_levels_of_different_clocks_pass() -> None:
    levels = [{"at": 50, "notify": "assignee", "metric": "response"},
              {"at": 50, "notify": "assignee", "metric": "resolution"},
              {"at": 200, "notify": {"team": "ops"}}]
    assert rule_findings(sla(escalations=levels)) == []
