"""`itsm problems detect` as a user meets it: the demo's recurring webhook delays, the
output formats, --fail-on, --write making valid Problem records, and bad options."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from itsm_as_code.yamlsafe import load
from tests.helpers import DEMO, NOW_TEXT, run_itsm

WEBHOOKS = ["INC-0018", "INC-0019", "INC-0021", "INC-0023"]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO / "records", target / "records")
    shutil.copy(DEMO / "itsm.yaml", target / "itsm.yaml")
    return target


def test_the_demo_has_four_webhook_delays_in_a_fortnight() -> None:
    result = run_itsm("problems", "detect", "--now", NOW_TEXT, cwd=DEMO)
    assert result.code == 0, result.stderr
    assert result.lines == [
        "records/incidents/2026/11/INC-0023.yaml:5:8: notice: 4 incidents on webhooks between "
        "2026-11-06 and 2026-11-19 are not linked to a problem and share category "
        "webhook-delivery; title words delay, delivery, merchant, webhook: "
        f"{', '.join(WEBHOOKS)} [problem-candidate]",
        "1 candidate problem(s) among 9 incident(s) not linked to a problem, opened "
        "2026-10-23T10:00:00+01:00 to 2026-11-22T10:00:00+01:00",
    ]


def test_json_lists_each_candidate_for_machines() -> None:
    result = run_itsm("problems", "detect", "--now", NOW_TEXT, "--format", "json", cwd=DEMO)
    [candidate] = json.loads(result.stdout)["summary"]["candidates"]
    assert candidate == {
        "services": ["webhooks"], "incidents": WEBHOOKS, "fingerprints": [],
        "categories": ["webhook-delivery"], "title_words": ["delay", "delivery", "merchant",
                                                             "webhook"],
        "first": "2026-11-06T10:20:00+01:00", "last": "2026-11-19T14:20:00+01:00",
    }


def test_window_and_threshold_narrow_it_down() -> None:
    # Ten days back reach only INC-0021 and INC-0023 of the four.
    short = run_itsm("problems", "detect", "--now", NOW_TEXT, "--window", "10d", cwd=DEMO)
    assert short.lines[-1].startswith("no candidate problems among ")
    high = run_itsm("problems", "detect", "--now", NOW_TEXT, "--threshold", "5", cwd=DEMO)
    assert high.lines[-1].startswith("no candidate problems among 9 incident(s)")


def test_fail_on_candidate_exits_1() -> None:
    result = run_itsm("problems", "detect", "--now", NOW_TEXT, "--fail-on", "candidate",
                      "--format", "github", cwd=DEMO)
    assert result.code == 1
    assert result.lines[0].startswith(
        "::notice file=records/incidents/2026/11/INC-0023.yaml,line=5,col=8,"
        "title=problem-candidate::4 incidents on webhooks")


def test_write_creates_a_valid_problem_and_then_nothing_is_left(demo: Path) -> None:
    result = run_itsm("problems", "detect", "--now", NOW_TEXT, "--write", cwd=demo)
    assert result.code == 0, result.stderr
    assert result.lines[-1].endswith("; written: records/problems/PRB-0004.yaml")
    data = load((demo / "records/problems/PRB-0004.yaml").read_text(encoding="utf-8"), 10)
    assert data == {
        "apiVersion": "itsm/v1", "kind": "Problem", "id": "PRB-0004",
        "title": "Recurring on Webhook Delivery: Webhook delivery delayed, retry queue growing",
        "status": "new", "opened_at": NOW_TEXT, "incidents": WEBHOOKS, "services": ["webhooks"],
        "owner": "anna-keller", "priority": "P3",
    }
    assert run_itsm("validate", cwd=demo).code == 0
    again = run_itsm("problems", "detect", "--now", NOW_TEXT, "--write", cwd=demo)
    assert again.lines == ["no candidate problems among 5 incident(s) not linked to a problem, "
                           "opened 2026-10-23T10:00:00+01:00 to 2026-11-22T10:00:00+01:00"]
    assert sorted(p.name for p in (demo / "records/problems").iterdir()) == [
        "PRB-0001.yaml", "PRB-0002.yaml", "PRB-0003.yaml", "PRB-0004.yaml"]


@pytest.mark.parametrize(("option", "message"), [
    (("--window", "a month"), "duration 'a month' is not like 45s, 15m, 4h, 2d or 1h30m"),
    (("--window", "0d"), "the window must be longer than 0s"),
    (("--threshold", "1"), "1 is not in the range x>=2"),
    (("--now", "2026-11-22"), "'2026-11-22' is not a time: give an RFC 3339 timestamp "
                              "(2026-12-06T04:40:00+01:00), a date and time in Europe/Berlin "
                              "(2026-12-06 04:40), a time today (04:40) or a time ago "
                              "(-15m, -2h, -1d)"),
])
def test_bad_options_are_usage_errors(option: tuple[str, str], message: str) -> None:
    result = run_itsm("problems", "detect", *option, cwd=DEMO)
    assert result.code == 2
    assert message in result.stderr


def test_run_reports_candidates_without_failing() -> None:
    result = run_itsm("run", "--now", NOW_TEXT, cwd=DEMO)
    assert result.code == 0, result.stdout
    assert "      problems: ok: 1 candidate problem(s) among 9 incident(s)" in result.stderr
    assert any(line.endswith("[problem-candidate]") for line in result.lines)


def test_the_readme_example_is_the_demos_real_output() -> None:
    result = run_itsm("problems", "detect", "--now", NOW_TEXT, cwd=DEMO)
    example = "\n".join([f"$ itsm problems detect --now {NOW_TEXT}", *result.lines])
    assert example in (DEMO / "README.md").read_text(encoding="utf-8")
