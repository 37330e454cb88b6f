"""A page of figures and tables that a part of itsm (the SLA dashboard, the access
review) hands to the status site: plain data, laid out by the site's `section.html`
template, so every value is escaped like any record text and its author writes no HTML.

It lives below the capabilities that make sections and the site that shows them, so
neither imports the other (site/sections.py collects them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Tone = Literal["ok", "warn", "bad", "info"]


@dataclass(frozen=True)
class Link:
    """A cell that names a record: linked to its page when the build has one."""

    text: str
    record: str


@dataclass(frozen=True)
class State:
    """A cell with a state, shown with an icon and the word, never colour alone."""

    text: str
    tone: Tone = "info"


Cell = str | int | float | Link | State | None


@dataclass(frozen=True)
class Figure:
    """One headline number: `99.95%` labelled `availability`, with an optional note."""

    label: str
    value: str
    note: str = ""
    tone: Tone = "info"


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class BarDay:
    """One day of a row of day bars: `status` a component status (its colour comes from
    the status site's uptime bars) or `none` (grey: nothing to show), `text` what the
    day's tip says."""

    status: str
    text: str


@dataclass(frozen=True)
class Bars:
    """A row of day bars under a label, oldest day first (the uptime bars' markup)."""

    label: str
    days: tuple[BarDay, ...]
    note: str = ""


@dataclass(frozen=True)
class Section:
    slug: str  # the page's file name: letters, digits and `-`
    title: str  # the navigation label and the page heading
    intro: str = ""  # markdown
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    public: bool = False  # True only for data fit for the public status site
    bars: tuple[Bars, ...] = ()  # rows of day bars, after the figures
