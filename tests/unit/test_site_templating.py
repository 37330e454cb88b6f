"""The one jinja2 environment: autoescape everywhere, and the shared filters."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from jinja2 import DictLoader

from itsm_as_code.templating import (
    duration_text,
    environment,
    local_text,
    percent_text,
    time_element,
    utc_text,
)

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize("name", ["page.html", "feed.xml", "badge.svg", "plain.txt"])
def test_autoescape_is_on_whatever_the_template_is_called(name: str) -> None:
    env = environment("site/templates")
    env.loader = DictLoader({name: "{{ text }}"})
    rendered = env.get_template(name).render(text="<script>x</script>")
    assert rendered == "&lt;script&gt;x&lt;/script&gt;"


def test_undefined_names_fail_instead_of_printing_nothing() -> None:
    from jinja2.exceptions import UndefinedError

    with pytest.raises(UndefinedError):
        environment("site/templates").from_string("{{ missing }}").render()


def test_templates_of_several_folders() -> None:
    env = environment("site/templates", "sla/templates")
    assert env.get_template("base.html").name == "base.html"


def test_time_element_is_utc_for_machines_and_local_for_people() -> None:
    winter = datetime(2026, 11, 21, 6, 12, tzinfo=timezone.utc)
    summer = datetime(2026, 7, 1, 22, 30, tzinfo=timezone.utc)
    assert time_element(winter, BERLIN) == (
        '<time datetime="2026-11-21T06:12:00Z">21 Nov 2026, 07:12 CET</time>')
    assert local_text(summer, BERLIN) == "2 Jul 2026, 00:30 CEST"
    assert time_element(summer, BERLIN, day=True) == (
        '<time datetime="2026-07-01T22:30:00Z">2 Jul 2026</time>')


@pytest.mark.parametrize("moment", [
    datetime(1, 1, 1, 0, 0, 0, tzinfo=timezone.utc),
    datetime(999, 3, 4, 5, 6, 7, tzinfo=timezone.utc),
    datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=timezone.utc),
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=14))),
])
def test_times_are_written_as_strftime_writes_them(moment: datetime) -> None:
    # Formatted by hand for speed: the pages must stay byte for byte what they were.
    utc = moment.astimezone(timezone.utc)
    assert utc_text(moment) == utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    zone = timezone.utc if moment.year == 1 else BERLIN
    here = moment.astimezone(zone)
    assert local_text(moment, zone).endswith(f", {here.strftime('%H:%M')} {here.tzname()}")
    assert local_text(moment, zone, seconds=True).endswith(
        f", {here.strftime('%H:%M:%S')} {here.tzname()}")


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "under a minute"), (59, "under a minute"), (60, "1 min"), (3600, "1 h"),
    (8880, "2 h 28 min"), (86400, "1 d"), (100800, "1 d 4 h"),
])
def test_duration(seconds: int, text: str) -> None:
    assert duration_text(timedelta(seconds=seconds)) == text
    assert duration_text(seconds) == text


def test_percent_never_rounds_up_to_a_perfect_record() -> None:
    assert percent_text(99.999) == "99.99%"
    assert percent_text(100.0) == "100.00%"
    assert percent_text(99.9567, 3) == "99.956%"
