"""What a build sees (records.py) and what it computes from it (views.py, uptime.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from itsm_as_code.config import DEFAULT_WEIGHTS, load_config
from itsm_as_code.model.impact import Span
from itsm_as_code.model.model import Model
from itsm_as_code.site.records import Selection
from itsm_as_code.site.records import select as select_model
from itsm_as_code.site.uptime import days, uptime
from itsm_as_code.site.views import build_views, overall
from itsm_as_code.store.repository import Repository, load_repository
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import Data, affected, example_repo, maintenance, write
from tests.helpers import incident as incident_data
from tests.site_helpers import BUILT_AT, SITE_EXAMPLES

BERLIN = ZoneInfo("Europe/Berlin")
NOW = parse_timestamp(BUILT_AT)


def incident(id: str, opened: str, entries: list[tuple[str, str | None, bool]], *,
             component: str = "partial_outage", visibility: str = "public",
             title: str = "Website errors") -> Data:
    """An incident on `web` whose timeline has one entry per (at, status or None, public)."""
    statuses = [status for _, status, _ in entries if status]
    status = statuses[-1] if statuses else "new"
    resolved = {}
    if status in ("resolved", "closed"):
        resolved = {"resolved_at": next(a for a, s, _ in entries if s == "resolved")}
    timeline = [{"at": at, **({"status": s} if s else {}), "public": public,
                 "message": f"Update at {at}."} for at, s, public in entries]
    return incident_data(id, title=title, services=[affected("web", component)],
                         impact="high", priority="P2", status=status, opened_at=opened,
                         visibility=visibility, timeline=timeline, **resolved)


def select(repo: Repository, internal: bool, now: datetime) -> Selection:
    return select_model(Model(repo), internal, now)


def repository(tmp_path: Path, *records: Data) -> Repository:
    """The base example without its incident, with these records."""
    root = example_repo(tmp_path / "repo")
    (root / "records/incidents/INC-0001.yaml").unlink()
    write(root, *records)
    return load_repository(load_config(root))


def test_status_and_updates_are_those_in_force_at_now(tmp_path: Path) -> None:
    repo = repository(tmp_path, incident(
        "INC-0002", "2026-11-22T09:00:00+01:00", [
            ("2026-11-22T09:05:00+01:00", "investigating", True),
            ("2026-11-22T11:00:00+01:00", "monitoring", True),
            ("2026-11-22T13:00:00+01:00", "resolved", True)]))
    at_ten = select(repo, False, parse_timestamp("2026-11-22T10:00:00+01:00")).incidents[0]
    assert (at_ten.status, at_ten.active, len(at_ten.entries)) == ("investigating", True, 1)
    later = select(repo, False, parse_timestamp("2026-11-22T14:00:00+01:00")).incidents[0]
    assert (later.status, later.active, len(later.entries)) == ("resolved", False, 3)
    assert later.ended == parse_timestamp("2026-11-22T13:00:00+01:00")
    assert select(repo, False, parse_timestamp("2026-11-22T08:00:00+01:00")).incidents == []


def test_a_public_build_sees_public_records_and_entries_only(tmp_path: Path) -> None:
    repo = repository(
        tmp_path,
        incident("INC-0002", "2026-11-21T09:00:00+01:00", [
            ("2026-11-21T09:05:00+01:00", "investigating", True),
            ("2026-11-21T09:10:00+01:00", None, False),
            ("2026-11-21T10:00:00+01:00", "resolved", False)]),
        incident("INC-0003", "2026-11-21T09:00:00+01:00", [
            ("2026-11-21T09:05:00+01:00", "investigating", True)], visibility="internal"),
    )
    public = select(repo, False, NOW)
    assert [i.id for i in public.incidents] == ["INC-0002"]
    shown = public.incidents[0]
    assert [e.message for e in shown.entries] == ["Update at 2026-11-21T09:05:00+01:00."]
    # The status comes from every entry: an internal entry resolved it.
    assert (shown.status, shown.details, public.people, public.problems) == (
        "resolved", None, {}, [])
    internal = select(repo, True, NOW)
    assert [len(i.entries) for i in internal.incidents] == [3, 1]
    assert internal.incidents[0].details is not None


def test_views_current_status_overall_and_months(tmp_path: Path) -> None:
    repo = repository(
        tmp_path,
        incident("INC-0002", "2026-11-22T09:00:00+01:00", [
            ("2026-11-22T09:05:00+01:00", "investigating", True)], component="major_outage"),
        incident("INC-0003", "2026-10-02T09:00:00+02:00", [
            ("2026-10-02T09:05:00+02:00", "investigating", True),
            ("2026-10-02T11:00:00+02:00", "resolved", True)]),
    )
    view = build_views(select(repo, False, NOW), BERLIN, DEFAULT_WEIGHTS)
    assert view.services["web"].status == "major_outage"
    # The API depends on the web service: affected by its outage, not an incident of its own.
    assert view.services["api"].status == "degraded_performance"
    assert view.services["api"].affected_by == ("web",)
    assert view.services["web"].affected_by == ()
    assert view.overall.indicator == "major"
    assert [i.id for i in view.active] == ["INC-0002"]
    assert [(m.slug, [i.id for i in m.incidents]) for m in view.months] == [
        ("2026-11", ["INC-0002"]), ("2026-10", ["INC-0003"])]
    assert [g.name for g in view.groups] == ["Customer-facing"]
    assert view.recent[0][0] == NOW.date() and len(view.recent) == 14
    # 2 h of a 0.3-weighted outage and 3 h of a major one, over 90 days.
    expected = 100 * (1 - (2 * 3600 * 0.3 + 3 * 3600) / (90 * 86400))
    assert view.services["web"].uptime_90 == pytest.approx(expected)


def test_maintenance_moves_along_by_the_clock(tmp_path: Path) -> None:
    window = maintenance(services=["api"], scheduled_start="2026-11-22T11:00:00+01:00",
                         scheduled_end="2026-11-22T13:00:00+01:00")
    repo = repository(tmp_path, window)
    before = build_views(select(repo, False, _at("2026-11-22T10:00:00+01:00")), BERLIN,
                         DEFAULT_WEIGHTS)
    assert [w.id for w in before.maintenance_upcoming] == ["MNT-0001"]
    during = build_views(select(repo, False, NOW), BERLIN, DEFAULT_WEIGHTS)
    assert [w.id for w in during.maintenance_active] == ["MNT-0001"]
    assert during.services["api"].status == "under_maintenance"
    assert during.overall.description == "Service Under Maintenance"
    after = build_views(select(repo, False, _at("2026-11-22T14:00:00+01:00")), BERLIN,
                        DEFAULT_WEIGHTS)
    assert after.services["api"].status == "operational"
    assert after.selection.maintenance[0].status == "completed"


@pytest.mark.parametrize(("statuses", "indicator", "description"), [
    (["operational"], "none", "All Systems Operational"),
    (["operational", "under_maintenance"], "none", "Service Under Maintenance"),
    (["degraded_performance", "operational"], "minor", "Partially Degraded Service"),
    (["partial_outage", "degraded_performance"], "minor", "Minor Service Outage"),
    (["major_outage", "operational"], "major", "Partial System Outage"),
    (["major_outage", "major_outage"], "critical", "Major System Outage"),
])
def test_overall_status_as_statuspage_says_it(statuses: list[str], indicator: str,
                                              description: str) -> None:
    found = overall(statuses)
    assert (found.indicator, found.description) == (indicator, description)


def _at(text: str) -> datetime:
    return parse_timestamp(text)


def span(start: datetime, end: datetime, status: str, record: str,
         ongoing: bool = False) -> Span:
    return Span("web", start, end, status, record, ongoing)


def test_uptime_weights_outages_and_leaves_maintenance_out() -> None:
    start, end = _at("2026-11-01T00:00:00Z"), _at("2026-11-11T00:00:00Z")
    spans = [span(_at("2026-11-02T00:00:00Z"), _at("2026-11-02T10:00:00Z"), "partial_outage",
                  "a"),
             span(_at("2026-11-02T05:00:00Z"), _at("2026-11-02T06:00:00Z"), "major_outage",
                  "b"),
             span(_at("2026-11-05T00:00:00Z"), _at("2026-11-06T00:00:00Z"),
                  "under_maintenance", "m"),
             span(_at("2026-11-07T00:00:00Z"), _at("2026-11-07T05:00:00Z"),
                  "degraded_performance", "c")]
    agreed = 9 * 86400
    down = 9 * 3600 * 0.3 + 3600 * 1.0
    assert uptime(spans, start, end, DEFAULT_WEIGHTS) == pytest.approx(100 * (1 - down / agreed))
    assert uptime([], start, end, DEFAULT_WEIGHTS) == 100.0


def test_days_are_local_show_the_worst_status_and_name_the_records() -> None:
    now = _at("2026-10-27T12:00:00+01:00")
    spans = [  # 23:30 UTC on 24 Oct is 01:30 on 25 Oct in Berlin (CEST)
        span(_at("2026-10-24T23:30:00Z"), _at("2026-10-25T00:30:00Z"), "partial_outage", "a"),
        span(_at("2026-10-25T08:00:00Z"), _at("2026-10-25T09:00:00Z"), "major_outage", "b"),
        span(_at("2026-10-27T10:00:00Z"), now, "degraded_performance", "c", ongoing=True),
    ]
    found = days(spans, now, BERLIN, 5)
    assert [d.day.isoformat() for d in found] == [
        "2026-10-23", "2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"]
    assert [d.status for d in found] == [
        "operational", "operational", "major_outage", "operational", "degraded_performance"]
    assert [d.records for d in found][2] == ("a", "b")


def test_a_day_is_cut_at_now() -> None:
    now = _at("2026-11-22T12:00:00+01:00")
    later = span(now + timedelta(hours=1), now + timedelta(hours=2), "major_outage", "x")
    assert days([later], now, BERLIN, 1)[0].status == "operational"


OLD_MACRO = """{% macro incident_line(incident, site, view, root) -%}
<div class="list-item">
<a href="{{ root }}incidents/{{ incident.id }}.html">{{ incident.title }}</a>
{% if incident.internal %}<span class="tag">Internal</span>{% endif %}
{{ site.status(incident.severity) }}
<span class="when">{{ incident.opened | time }}, {{ "ongoing for " if incident.active else \
"lasted " }}{{ site.duration(incident) | duration }} · {{ site.incident_label(incident.status) \
}}</span>
</div>
{%- endmacro %}
{{ incident_line(incident, site, None, root) }}"""


@pytest.mark.parametrize("example", ["hostile", "planted"])
def test_an_incident_line_is_what_the_template_macro_wrote(tmp_path: Path, example: str,
                                                           ) -> None:
    from itsm_as_code.site.pages import SiteInfo
    from itsm_as_code.templating import environment

    repo = load_repository(load_config(example_repo(tmp_path / "r", SITE_EXAMPLES / example)))
    info = SiteInfo("t", "", "o", True, "", NOW, [], zone="Europe/Berlin")
    macro = environment("site/templates", zone="Europe/Berlin").from_string(OLD_MACRO)
    incidents = select(repo, True, NOW).incidents
    assert len(incidents) >= (1 if example == "hostile" else 3)
    assert example == "hostile" or {i.internal for i in incidents} == {True, False}
    for incident in incidents:
        for root in ("", "../"):
            assert info.incident_line(incident, root) == macro.render(
                incident=incident, site=info, root=root)


RECOVERING = incident_data(
    "INC-0002", title="Website errors", services=[affected("web", "major_outage")],
    impact="high", priority="P2", status="resolved", opened_at="2026-11-22T09:00:00+01:00",
    resolved_at="2026-11-22T11:30:00+01:00", timeline=[
        {"at": "2026-11-22T09:00:00+01:00", "status": "investigating",
         "message": "The website is down."},
        {"at": "2026-11-22T10:00:00+01:00", "status": "monitoring",
         "services": [affected("web", "degraded_performance")],
         "message": "A fix is rolling out; pages load, slowly."},
        {"at": "2026-11-22T10:30:00+01:00", "message": "Still slow."},
        {"at": "2026-11-22T11:30:00+01:00", "status": "resolved", "message": "Back to normal."},
    ])


def test_component_status_follows_the_updates_over_time(tmp_path: Path) -> None:
    repo = repository(tmp_path, RECOVERING)
    during = build_views(select(repo, False, _at("2026-11-22T10:15:00+01:00")), BERLIN,
                         DEFAULT_WEIGHTS)
    web = during.services["web"]
    assert (web.status, during.overall.description) == (
        "degraded_performance", "Partially Degraded Service")
    # One hour of a major outage; degraded performance is not downtime.
    assert web.uptime_30 == pytest.approx(100 * (1 - 3600 / (30 * 86400)))
    incident = during.incidents[0]
    assert [(a.service, a.status) for a in incident.services] == [
        ("web", "degraded_performance")]
    assert incident.severity == "major_outage"
    assert [[(c.service, c.old, c.new) for c in e.changes] for e in incident.entries] == [
        [], [("web", "major_outage", "degraded_performance")]]
    after = build_views(select(repo, False, NOW), BERLIN, DEFAULT_WEIGHTS)
    assert after.services["web"].status == "operational"
    assert after.services["web"].changed == _at("2026-11-22T11:30:00+01:00")
    assert after.services["web"].uptime_30 == web.uptime_30
    assert [d.status for d in after.services["web"].days[-1:]] == ["major_outage"]


def test_each_update_tells_the_components_it_changed(tmp_path: Path) -> None:
    from itsm_as_code.site.statuspage import Api

    repo = repository(tmp_path, RECOVERING)
    view = build_views(select(repo, False, NOW), BERLIN, DEFAULT_WEIGHTS)
    api = Api(view, "Example", "", "Europe/Berlin")
    updates = api.incident(view.incidents[0])["incident_updates"][::-1]
    moves = [None if u["affected_components"] is None else
             [(a["code"], a["name"], a["old_status"], a["new_status"])
              for a in u["affected_components"]] for u in updates]
    assert moves == [[("web", "Website", "operational", "major_outage")],
                     [("web", "Website", "major_outage", "degraded_performance")],
                     None,
                     [("web", "Website", "degraded_performance", "operational")]]
    component = {c["id"]: c for c in api.all_components}["web"]
    assert component["status"] == "operational"


def test_incident_pages_and_feeds_show_the_status_change(tmp_path: Path) -> None:
    from itsm_as_code.model.context import RunContext
    from itsm_as_code.site.build import BuildOptions, build_site

    repo = repository(tmp_path, RECOVERING)
    out = tmp_path / "site"
    assert build_site(RunContext(repo, NOW), BuildOptions(out)).built
    change = "Website: major outage → degraded performance"
    page = (out / "incidents/INC-0002.html").read_text()
    assert f'<p class="entry-changes">{change}</p>' in page
    assert page.count("entry-changes") == 1
    feed = (out / "feed.atom").read_text()
    assert f"&lt;p class=&#34;entry-changes&#34;&gt;{change}&lt;/p&gt;" in feed
