"""Extra sections of the site, supplied by other parts of itsm: the hook for the SLA
dashboard, the KPI report and the access review.

A section is plain data (figures and tables), laid out by the site's own `section.html`
template, so every value is escaped like any record text and the section's author
writes no HTML. Each becomes one page, `sections/<slug>.html`, linked from every
page's navigation.

To add one, write a provider (a function `(repo, now) -> Section | None` that returns
None when it has no data) and name it in PROVIDERS:

    PROVIDERS = {"sla": "itsm_as_code.sla.site:dashboard"}

Providers are imported only by an internal build (`itsm site build --internal`), and
a public build never shows a section unless it says `public=True`: access data, SLA
clocks and KPIs are internal by default. Tests and other callers can also pass
sections to `build_site` directly.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from typing import Literal

from itsm_as_code.store.repository import Repository

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
class Section:
    slug: str  # the page's file name: letters, digits and `-`
    title: str  # the navigation label and the page heading
    intro: str = ""  # markdown
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    public: bool = False  # True only for data fit for the public status site


Provider = Callable[[Repository, datetime], Section | None]

# Section name -> "module:function" of its provider, imported on first use.
PROVIDERS: dict[str, str] = {"sla": "itsm_as_code.sla.site:dashboard",
                             "access": "itsm_as_code.access.site:review_section"}


def load_provider(spec: str) -> Provider:
    module, _, name = spec.partition(":")
    provider: Provider = getattr(importlib.import_module(module), name)
    return provider


def collect(repo: Repository, now: datetime,
            providers: dict[str, str] | None = None) -> list[Section]:
    """The sections whose providers have data, in the order of PROVIDERS."""
    found = []
    for spec in (PROVIDERS if providers is None else providers).values():
        section = load_provider(spec)(repo, now)
        if section is not None:
            found.append(section)
    return found


# The repository whose sections a second process collects. Set before the process is
# forked, so it inherits the records instead of unpickling them.
_PENDING: tuple[Repository, datetime] | None = None
PARALLEL_FROM = 2000  # records; for fewer, a second process costs more than it saves


def start_collect(repo: Repository, now: datetime) -> Callable[[], list[Section]]:
    """`collect(repo, now)`, in a second process while the caller goes on with its own
    work when the repository is large (the SLA clocks cost as much as the views); call
    what it returns for the sections."""
    global _PENDING
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if os.name != "posix" or cores < 2 or len(repo.records) < PARALLEL_FROM:
        found = collect(repo, now)
        return lambda: found
    _PENDING = (repo, now)
    pool = ProcessPoolExecutor(1, mp_context=get_context("fork"))
    try:
        future = pool.submit(_collect_pending)
    finally:
        _PENDING = None

    def wait() -> list[Section]:
        with pool:
            return future.result()

    return wait


def _collect_pending() -> list[Section]:
    assert _PENDING is not None
    return collect(*_PENDING)


def shown(sections: list[Section], internal: bool) -> list[Section]:
    """What a build may show: all sections in an internal build, public ones otherwise."""
    return [section for section in sections if internal or section.public]
