"""`itsm report`: KPIs worked out by hand on a small repository, the formats (the HTML
page self-contained and escaped), and usage errors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.sla.kpi import DEFINITIONS, OVERALL_NOTE
from tests.helpers import DEMO, Data, affected, example_repo, incident, problem, run_itsm, write

WINDOW = ("--since", "2026-11-01", "--until", "2026-11-30", "--now",
          "2026-12-01T00:00:00+01:00")


def resolved(record_id: str, timeline: list[tuple[str, str]], **fields: Any) -> Data:
    """A resolved incident whose timeline has one entry per (at, status)."""
    return incident(record_id, status="resolved", timeline=[
        {"at": at, "status": status, "message": "update"} for at, status in timeline], **fields)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The base example (INC-0001 on `web`, whose SLA counts Monday and Tuesday 09-17 in
    Berlin), plus a major outage on Tuesday evening that repeats INC-0001's problem, and
    a reopened incident on `api`, which has no SLA."""
    repo = example_repo(tmp_path / "repo")
    write(repo, resolved(
        "INC-0002", [("2026-11-03T16:30:00+01:00", "investigating"),
                     ("2026-11-03T17:30:00+01:00", "resolved")],
        title="Website down", services=[affected("web", "major_outage")], impact="high",
        priority="P2", opened_at="2026-11-03T16:00:00+01:00",
        acknowledged_at="2026-11-03T16:30:00+01:00", resolved_at="2026-11-03T17:30:00+01:00"))
    write(repo, resolved(
        "INC-0003", [("2026-11-04T10:10:00+01:00", "investigating"),
                     ("2026-11-04T11:00:00+01:00", "resolved"),
                     ("2026-11-04T12:00:00+01:00", "investigating"),
                     ("2026-11-04T13:00:00+01:00", "resolved")],
        title="API slow", services=[affected("api", "degraded_performance")],
        opened_at="2026-11-04T10:00:00+01:00", acknowledged_at="2026-11-04T10:10:00+01:00",
        resolved_at="2026-11-04T13:00:00+01:00"))
    write(repo, problem(title="Website errors", opened_at="2026-11-03T18:00:00+01:00",
                        incidents=["INC-0001", "INC-0002"]))
    assert run_itsm("validate", cwd=repo).code == 0
    return repo


def report(repo: Path, *args: str) -> dict[str, Any]:
    result = run_itsm("report", *WINDOW, "--format", "json", *args, cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_kpis_worked_out_by_hand(repo: Path) -> None:
    document = report(repo)
    api, web = document["services"]  # sorted by id
    month = 30 * 86400
    assert web == {
        "service": "web", "name": "Website", "sla": "standard",
        "incidents_opened": 2, "incidents_resolved": 2,
        # INC-0001: 6m and 48m inside Monday's hours; INC-0002: 30m, then 60 of its 90
        # minutes before the office closes at 17:00.
        "mtta_working_seconds": 18 * 60, "mtta_wall_seconds": 18 * 60,
        "mttr_working_seconds": 54 * 60, "mttr_wall_seconds": 69 * 60,
        "response_compliance_percent": 100.0, "response_clocks": 2,
        "resolution_compliance_percent": 100.0, "resolution_clocks": 2,
        # 48m of partial outage at 0.3 and 90m of major outage at 1.0 in 30 days.
        "availability_percent": round(100 * (1 - 6264 / month), 3),
        "downtime_seconds": 6264,
        "mtbf_seconds": (month - 48 * 60 - 90 * 60) // 2,
        "backlog": 0, "backlog_mean_age_seconds": None, "backlog_oldest_age_seconds": None,
        "reopened": 0, "reopen_rate_percent": 0.0,
        "repeat_incidents": 1, "repeat_rate_percent": 50.0,
    }
    assert (api["mttr_working_seconds"], api["mttr_wall_seconds"]) == (3 * 3600, 3 * 3600)
    assert (api["availability_percent"], api["reopened"], api["reopen_rate_percent"]) == (
        100.0, 1, 100.0)
    overall = document["overall"]
    assert (overall["incidents_opened"], overall["mtta_wall_seconds"],
            overall["mttr_working_seconds"], overall["mttr_wall_seconds"]) == (
        3, 920, 96 * 60, 106 * 60)
    assert overall["availability_percent"] == round((100 * (1 - 6264 / month) + 100) / 2, 3)
    # INC-0003 was open 10:00-11:00 and, reopened, 12:00-13:00: between its resolution and
    # the reopening the service was restored, so 120 of its 180 minutes disturb.
    assert overall["mtbf_seconds"] == (month - (48 + 90 + 120) * 60) // 3
    assert api["mtbf_seconds"] == month - 120 * 60
    assert (overall["reopen_rate_percent"], overall["repeat_incidents"]) == (33.33, 1)
    assert set(document["definitions"]) >= {"mtta", "mttr", "availability", "mtbf"}


def test_one_service(repo: Path) -> None:
    document = report(repo, "--service", "api")
    assert [s["service"] for s in document["services"]] == ["api"]
    assert document["overall"]["incidents_opened"] == 1


def test_text_prints_the_definitions_next_to_the_figures(repo: Path) -> None:
    result = run_itsm("report", *WINDOW, cwd=repo)
    lines = result.lines
    assert lines[0].split()[:3] == ["SERVICE", "OPENED", "RESOLVED"]
    width = max(map(len, DEFINITIONS))
    start = lines.index("Definitions")
    assert lines[start:] == [
        "Definitions", f"  {OVERALL_NOTE}", "  " + "FIGURE".ljust(width) + "  DEFINITION",
        *(f"  {name.ljust(width)}  {text}" for name, text in DEFINITIONS.items()),
        "KPIs from 2026-11-01T00:00:00+01:00 to 2026-12-01T00:00:00+01:00 "
        "(as of 2026-12-01T00:00:00+01:00)"]


def test_markdown_is_a_table(repo: Path) -> None:
    result = run_itsm("report", *WINDOW, "--format", "markdown", cwd=repo)
    lines = result.lines
    assert lines[:5] == [
        "### itsm report", "",
        "KPIs from 2026-11-01T00:00:00+01:00 to 2026-12-01T00:00:00+01:00 "
        "(as of 2026-12-01T00:00:00+01:00)", "",
        "| service | opened | resolved | MTTA work/wall | MTTR work/wall | response met | "
        "resolution met | availability | MTBF | backlog (oldest) | reopened | repeats |"]
    assert any(line.startswith("| overall | 3 | 3 |") for line in lines)
    start = lines.index("#### Definitions")
    assert lines[start:] == [
        "#### Definitions", "", OVERALL_NOTE, "", "| figure | definition |", "| --- | --- |",
        *(f"| {name} | {text} |" for name, text in DEFINITIONS.items())]


def test_html_is_one_self_contained_page_with_escaped_text(repo: Path) -> None:
    service = repo / "records/services/web.yaml"
    service.write_text(service.read_text().replace("name: Website",
                                                   'name: "<script>alert(1)</script>"'))
    result = run_itsm("report", *WINDOW, "--format", "html", cwd=repo)
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 3
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched
    assert "Example Ltd" in page


def test_the_demo_report_has_every_chart() -> None:
    result = run_itsm("report", "--now", "2026-11-22T10:00:00+01:00", "--since", "2026-08-01",
                      "--format", "html", cwd=DEMO)
    assert result.code == 0
    assert result.stdout.count("<polyline") == 2
    assert "No data in this window." not in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--service", "nope"), "error: no Service with id 'nope'"),
    (("--since", "2026-12-01", "--until", "2026-11-01"), "error: --since (2026-12-01) must "
                                                         "be before --until (2026-11-01)"),
    (("--since", "last week"), "error: 'last week' is neither a date like 2026-11-01 nor"),
])
def test_usage_errors(repo: Path, args: tuple[str, ...], message: str) -> None:
    result = run_itsm("report", "--now", "2026-12-01T00:00:00+01:00", *args, cwd=repo)
    assert result.code == 2
    assert result.stderr.startswith(message)


def test_the_readme_defines_every_kpi_as_the_report_does() -> None:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    for name, text in DEFINITIONS.items():
        assert f"| `{name}` | {text} |" in readme
