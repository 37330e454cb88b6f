"""`itsm new calendar --hours`: repeated options add up, commas join ranges, named days
take their own, and a malformed option is refused with the form to write."""

from __future__ import annotations

from pathlib import Path

import pytest

from itsm_as_code.yamlsafe import load
from tests.helpers import example_repo, run_itsm

ZONE = ["--timezone", "Europe/Berlin"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return example_repo(tmp_path / "repo")


def hours(repo: Path, *options: str) -> object:
    """The `hours` of a calendar made with these `--hours` options."""
    args = [arg for option in options for arg in ("--hours", option)]
    result = run_itsm("new", "calendar", "shop", *ZONE, *args, cwd=repo)
    assert (result.code, result.stdout) == (0, "created shop: records/calendars/shop.yaml\n"), (
        result.stderr)
    assert run_itsm("validate", cwd=repo).code == 0
    text = (repo / "records/calendars/shop.yaml").read_text(encoding="utf-8")
    assert "&" not in text  # each day its own list, never a YAML anchor and aliases
    return load(text, 0)["hours"]


def week(*ranges: str, **days: list[str]) -> dict[str, list[str]]:
    found = {day: list(ranges) for day in ("mon", "tue", "wed", "thu", "fri")} | days
    return {day: value for day, value in found.items() if value}


def test_without_hours_it_is_nine_to_five_on_weekdays(repo: Path) -> None:
    assert hours(repo) == week("09:00-17:00")


def test_two_options_keep_both_ranges(repo: Path) -> None:
    assert hours(repo, "08:00-12:00", "13:00-16:00") == week("08:00-12:00", "13:00-16:00")


def test_commas_join_ranges_in_one_option(repo: Path) -> None:
    assert hours(repo, "08:00-12:00, 13:00-16:00") == week("08:00-12:00", "13:00-16:00")


def test_named_days_take_their_own_ranges(repo: Path) -> None:
    assert hours(repo, "08:00-12:00,13:00-17:00", "fri=08:00-12:00", "sat,sun=10:00-14:00",
                 "fri=13:00-15:00") == week(
        "08:00-12:00", "13:00-17:00", fri=["08:00-12:00", "13:00-15:00"],
        sat=["10:00-14:00"], sun=["10:00-14:00"])


def test_only_named_days_work_when_only_days_are_named(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    assert hours(repo, "Mon-Wed=07:00-15:00", "sat=10:00-12:00") == {
        "mon": ["07:00-15:00"], "tue": ["07:00-15:00"], "wed": ["07:00-15:00"],
        "sat": ["10:00-12:00"]}


def test_always_is_24x7(repo: Path) -> None:
    assert hours(repo, "always") == "always"


@pytest.mark.parametrize(("options", "message"), [
    (["8-12"], "'8-12' is not a range: write HH:MM-HH:MM, e.g. 09:00-17:00, or 'always'"),
    (["08:00-12:00,13-16"],
     "'13-16' is not a range: write HH:MM-HH:MM, e.g. 09:00-17:00, or 'always'"),
    (["09:00-25:00"],
     "'09:00-25:00' is not a range: write HH:MM-HH:MM, e.g. 09:00-17:00, or 'always'"),
    (["fri=9:00-15:00"],
     "'9:00-15:00' is not a range: write HH:MM-HH:MM, e.g. 09:00-17:00, or 'always'"),
    (["09:00-17:00,"], "'' is not a range: write HH:MM-HH:MM, e.g. 09:00-17:00, or 'always'"),
    (["24/7"], "'24/7' is not a range: write HH:MM-HH:MM, e.g. 09:00-17:00, or 'always'"),
    (["friday=09:00-15:00"],
     "'friday' is not a weekday: write mon, tue, wed, thu, fri, sat or sun, or a span "
     "such as mon-thu"),
    (["fri-mon=09:00-15:00"],
     "'fri-mon' runs backwards: write the days from Monday on, such as mon-thu"),
    (["always", "09:00-17:00"], "--hours always means 24x7: give it alone, without ranges"),
])
def test_a_malformed_option_says_which_form_to_write(options: list[str], message: str,
                                                     repo: Path) -> None:
    args = [arg for option in options for arg in ("--hours", option)]
    result = run_itsm("new", "calendar", "shop", *ZONE, *args, cwd=repo)
    assert (result.code, result.stderr) == (2, f"error: {message}\n")
    assert not (repo / "records/calendars/shop.yaml").exists()


def test_a_range_that_runs_backwards_is_the_calendar_rule_s_to_refuse(repo: Path) -> None:
    result = run_itsm("new", "calendar", "shop", *ZONE, "--hours", "09:00-17:00",
                      "--hours", "sat=14:00-10:00", cwd=repo)
    assert (result.code, result.stderr) == (1, (
        "error: records/calendars/shop.yaml was not written, it would be invalid:\n"
        "  hours.sat[0]: '14:00-10:00' ends before it starts: a range runs forward within "
        "one day (use 24:00 for midnight, and split a night shift over two days) "
        "[calendar]\n"))
