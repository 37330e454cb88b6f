"""The one jinja2 environment of itsm, and the filters its templates share.

Every text field of a record is untrusted, so autoescape is on for every template,
whatever its extension (HTML, Atom XML and SVG alike). Markup reaches a page only
through a filter that makes it safe (`markdown`) or a `Markup` value built by code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import jinja2.sandbox
from markupsafe import Markup, escape

from itsm_as_code.percent import percent_text as percent_text  # the "percent" filter
from itsm_as_code.templating.markdown import render_markdown

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
          "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def environment(*folders: str, zone: str = "UTC", overrides: Sequence[Path] = (),
                markup: bool = True) -> jinja2.Environment:
    """A jinja2 environment over template `folders` inside the itsm_as_code package
    (such as `site/templates`; the first folder holding a name wins), autoescaping
    everything, with the filters below showing times in the IANA time zone `zone`.

    `overrides` are folders of a repository whose templates win over the package's: they
    come from pull requests, so they run sandboxed (no attribute of Python's internals is
    reachable from them). `markup=False` is for text that is not markup (chat and e-mail
    messages): HTML escaping would show `&amp;` there, so each far end's own escaping
    (Slack's `&`, `<`, `>`) is left to the code that speaks to it."""
    loader = jinja2.ChoiceLoader(
        [*(jinja2.FileSystemLoader(folder) for folder in overrides),
         *(jinja2.PackageLoader("itsm_as_code", folder) for folder in folders)])
    kind = jinja2.sandbox.SandboxedEnvironment if overrides else jinja2.Environment
    env = kind(
        loader=loader, autoescape=markup, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        # The templates ship in the package and do not change while itsm runs: checking
        # their files' times on every `extends` and `import` costs a site 40,000 stats.
        auto_reload=False,
    )
    tz = ZoneInfo(zone)
    env.filters.update({
        "markdown": render_markdown,
        "time": partial(time_element, zone=tz),
        "local": partial(local_text, zone=tz),
        "day": partial(day_text, zone=tz),
        "utc": utc_text,
        "duration": duration_text,
        "percent": percent_text,
        "month_name": month_name,
    })
    return env


def utc_text(value: datetime) -> str:
    """`2026-11-21T06:12:00Z`: the machine-readable form, for `datetime` attributes."""
    # Formatted by hand: strftime costs more than the rest of a time element. The year is
    # not padded, as glibc's %Y does not pad it. `%` formats in half an f-string's time
    # (a site shows 100,000 times).
    utc = value.astimezone(timezone.utc)
    return "%d-%02d-%02dT%02d:%02d:%02dZ" % (  # noqa: UP031 - see above
        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)


def local_text(value: datetime, zone: tzinfo, seconds: bool = False) -> str:
    """`21 Nov 2026, 07:12 CET` (month names fixed, whatever the machine's locale)."""
    here = value.astimezone(zone)
    if seconds:
        return "%d %s %d, %02d:%02d:%02d %s" % (  # noqa: UP031 - as utc_text
            here.day, MONTHS[here.month - 1], here.year, here.hour, here.minute, here.second,
            here.tzname())
    return "%d %s %d, %02d:%02d %s" % (  # noqa: UP031 - as utc_text
        here.day, MONTHS[here.month - 1], here.year, here.hour, here.minute, here.tzname())


def day_text(value: date, zone: tzinfo) -> str:
    """`21 Nov 2026`: a date, or the day of a datetime in the site's time zone."""
    here = value.astimezone(zone) if isinstance(value, datetime) else value
    return f"{here.day} {MONTHS[here.month - 1]} {here.year}"


def time_element(value: datetime, zone: ZoneInfo, day: bool = False) -> Markup:
    """`<time datetime="UTC">local text</time>`: machines read UTC, people their zone."""
    shown = day_text(value, zone) if day else local_text(value, zone)
    # Concatenation, not Markup.format: a large site has tens of thousands of these.
    return Markup(f'<time datetime="{utc_text(value)}">{escape(shown)}</time>')


def duration_text(value: timedelta | float) -> str:
    """`2 h 28 min`, `3 d 4 h`, `45 min`, `under a minute`."""
    seconds = int(value.total_seconds() if isinstance(value, timedelta) else value)
    minutes = seconds // 60
    if minutes < 1:
        return "under a minute"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def month_name(month: int) -> str:
    return MONTH_NAMES[month - 1]
