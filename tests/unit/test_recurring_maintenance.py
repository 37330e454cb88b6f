"""Recurring maintenance windows: each occurrence is a window of its own for every reader."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from itsm_as_code.config import DEFAULT_WEIGHTS, load_config
from itsm_as_code.model.impact import maintenance_spans, spans_by_service
from itsm_as_code.model.model import Model
from itsm_as_code.model.recurrence import MAX_OCCURRENCES, following, occurrences, problem
from itsm_as_code.model.types.itil import Maintenance, Recurrence
from itsm_as_code.model.types.timeline import Entry
from itsm_as_code.site.records import select
from itsm_as_code.site.statuspage import Api
from itsm_as_code.site.views import build_views
from itsm_as_code.store.repository import load_repository
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import example_repo, maintenance, run_itsm, write

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
WEEKLY = "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=30"


def at(text: str) -> datetime:
    return parse_timestamp(text).astimezone(UTC)


def window(rule: str = WEEKLY, **changes: object) -> Maintenance:
    """Sundays 02:30 to 04:30 Berlin time from 1 March 2026."""
    base = Maintenance("MNT-0007", "Patching", ("web",), at("2026-03-01T02:30:00+01:00"),
                       at("2026-03-01T04:30:00+01:00"), "scheduled",
                       recurrence=Recurrence(rule, "Europe/Berlin"))
    return replace(base, **changes)  # type: ignore[arg-type]


def starts(found: list[Maintenance]) -> list[str]:
    return [w.scheduled_start.astimezone(BERLIN).strftime("%d %b %H:%M %Z") for w in found]


def test_occurrences_keep_local_time_across_daylight_saving() -> None:
    found = occurrences(window(), at("2026-11-01T12:00:00Z"), at("2026-04-06T00:00:00Z"))
    # 29 March: 02:30 does not exist in Berlin; it happens when the clocks jump.
    assert starts(found) == ["01 Mar 02:30 CET", "08 Mar 02:30 CET", "15 Mar 02:30 CET",
                             "22 Mar 02:30 CET", "29 Mar 03:00 CEST", "05 Apr 02:30 CEST"]
    assert all(w.scheduled_end - w.scheduled_start == timedelta(hours=2) for w in found)
    assert [w.id for w in found[:2]] == ["MNT-0007.20260301T0130Z", "MNT-0007.20260308T0130Z"]
    assert {w.series for w in found} == {"MNT-0007"}
    # 25 October: 02:30 happens twice; the window starts at the first.
    autumn = following(window(), at("2026-10-24T12:00:00Z"))
    assert autumn is not None and starts([autumn]) == ["25 Oct 02:30 CEST"]


def test_each_occurrence_is_under_maintenance_while_it_runs() -> None:
    now = at("2026-03-15T02:45:00+01:00")
    spans = maintenance_spans(window(), now)
    assert [(s.record, s.ongoing) for s in spans] == [
        ("MNT-0007.20260301T0130Z", False), ("MNT-0007.20260308T0130Z", False),
        ("MNT-0007.20260315T0130Z", True)]
    assert spans[0].end - spans[0].start == timedelta(hours=2)
    between = spans_by_service([], [window()], at("2026-03-16T12:00:00Z"))["web"]
    assert not any(span.covers(at("2026-03-16T12:00:00Z")) for span in between)


def test_count_until_and_the_end_of_the_series() -> None:
    late = at("2027-01-01T00:00:00Z")
    assert len(occurrences(window(WEEKLY + ";COUNT=3"), late, late)) == 3
    assert len(occurrences(window(WEEKLY + ";UNTIL=20260315T235959Z"), late, late)) == 3
    # Canceled on 10 March: no occurrence starts later.
    canceled = window(timeline=(Entry(at("2026-03-10T09:00:00Z"), "No more.", "canceled"),))
    assert len(occurrences(canceled, late, late)) == 2
    assert following(canceled, late) is None


def test_an_extension_moves_only_the_occurrence_under_way() -> None:
    extended = window(recurrence=Recurrence(WEEKLY, "Europe/Berlin", (
        (at("2026-03-08T04:00:00+01:00"), at("2026-03-08T05:30:00+01:00")),)))
    found = occurrences(extended, at("2026-04-01T00:00:00Z"), at("2026-03-20T00:00:00Z"))
    lengths = [w.scheduled_end - w.scheduled_start for w in found]
    assert lengths == [timedelta(hours=2), timedelta(hours=3), timedelta(hours=2)]


def test_a_rule_that_could_run_without_end_is_refused_and_expansion_is_bounded() -> None:
    assert problem(window("FREQ=MINUTELY")) == (
        "FREQ=MINUTELY: a maintenance window repeats DAILY, WEEKLY, MONTHLY or YEARLY "
        "(several times a day: FREQ=DAILY;BYHOUR=2,14)")
    assert problem(window("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")) == (
        "BYMONTHDAY=30 falls in no month of BYMONTH=2: no occurrence would ever start")
    assert problem(window("FREQ=WEEKLY;UNTIL=20270101")) == (
        "UNTIL is a time in UTC, such as UNTIL=20271231T230000Z")
    assert problem(window("FREQ=DAILY;INTERVAL=0")) == (
        "INTERVAL is a whole number from 1 to 1000")
    assert problem(window("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=7")) is not None
    assert problem(window("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")) is None
    assert problem(window("FREQ=MONTHLY;BYDAY=6MO")) is not None
    # Refused or not, a reader never expands more than the bound, nor fails.
    many = window("FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,"
                  "21,22,23")
    far = at("2030-01-01T00:00:00Z")
    assert len(occurrences(many, far, far)) == MAX_OCCURRENCES
    assert len(occurrences(window("FREQ=MINUTELY"), far, far)) == 1


RECURRING = maintenance(
    "MNT-0007", services=["web"], scheduled_start="2026-11-01T02:30:00+01:00",
    scheduled_end="2026-11-01T04:30:00+01:00",
    recurrence={"rule": WEEKLY, "timezone": "Europe/Berlin"})


def build(tmp_path: Path, now: str) -> Api:
    root = example_repo(tmp_path / "repo")
    write(root, RECURRING)
    repo = load_repository(load_config(root))
    view = build_views(select(Model(repo), False, parse_timestamp(now)), BERLIN,
                       DEFAULT_WEIGHTS)
    return Api(view, "Example", "", "Europe/Berlin")


def test_the_site_and_the_api_show_occurrences(tmp_path: Path) -> None:
    api = build(tmp_path, "2026-11-22T03:00:00+01:00")
    view = api.view
    assert view.services["web"].status == "under_maintenance"
    assert [w.id for w in view.maintenance_active] == ["MNT-0007.20261122T0130Z"]
    assert [w.id for w in view.maintenance_upcoming] == ["MNT-0007.20261129T0130Z"]
    assert [w.status for w in view.selection.maintenance] == [
        "completed", "completed", "completed", "in_progress", "scheduled"]
    files = api.files()
    active = files["api/v2/scheduled-maintenances/active.json"].decode()
    assert '"id": "MNT-0007.20261122T0130Z"' in active
    assert '"scheduled_for": "2026-11-22T01:30:00.000Z"' in active
    assert '"scheduled_until": "2026-11-22T03:30:00.000Z"' in active


@pytest.mark.parametrize(("rule", "message"), [
    ("FREQ=HOURLY", "recurrence.rule: FREQ=HOURLY: a maintenance window repeats DAILY, "
                    "WEEKLY, MONTHLY or YEARLY (several times a day: FREQ=DAILY;BYHOUR=2,14)"),
    ("FREQ=WEEKLY;BYDAY=XX", "recurrence.rule: FREQ=WEEKLY;BYDAY=XX cannot be read: "
                             "invalid 'BYDAY': XX"),
])
def test_validate_names_the_file_and_line_of_a_bad_rule(tmp_path: Path, rule: str,
                                                        message: str) -> None:
    root = example_repo(tmp_path / "repo")
    write(root, {**RECURRING, "recurrence": {"rule": rule, "timezone": "Europe/Berlin"}})
    result = run_itsm("validate", "--now", "2026-11-22T10:00:00+01:00", cwd=root)
    assert result.code == 1
    line = next(n for n, text in enumerate(
        (root / "records/maintenance/MNT-0007.yaml").read_text().splitlines(), 1)
        if text.strip().startswith("rule:"))
    assert result.lines[0] == (f"records/maintenance/MNT-0007.yaml:{line}:9: error: {message} "
                               "[maintenance-recurrence]")


def test_validate_suggests_a_time_zone(tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo")
    write(root, {**RECURRING, "recurrence": {"rule": WEEKLY, "timezone": "Europe/Berlim"}})
    result = run_itsm("validate", "--now", "2026-11-22T10:00:00+01:00", cwd=root)
    assert "recurrence.timezone: unknown time zone 'Europe/Berlim' (did you mean " \
           "Europe/Berlin?): write an IANA name such as Europe/Berlin " \
           "[maintenance-recurrence]" in result.stdout
