"""Extra sections of the site, supplied by other parts of itsm: the hook for the SLA
dashboard, the KPI report and the access review.

A section is plain data (figures and tables: templating/sections.py), laid out by the
site's own `section.html` template, so every value is escaped like any record text and
the section's author writes no HTML. Each becomes one page, `sections/<slug>.html`,
linked from every page's navigation.

To add one, write a provider (a function `(ctx) -> Section | None` of the run context,
returning None when it has no data) and name it in PROVIDERS:

    PROVIDERS = {"sla": "itsm_as_code.sla.site:dashboard"}

Providers are imported only by an internal build (`itsm site build --internal`), and
a public build never shows a section unless it says `public=True`: access data, SLA
clocks and KPIs are internal by default. Tests and other callers can also pass
sections to `build_site` directly.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from itsm_as_code.parallel import beside
from itsm_as_code.templating.sections import Section

if TYPE_CHECKING:  # the model is not imported by a build answered from its kept result
    from itsm_as_code.model.context import RunContext

Provider = Callable[["RunContext"], Section | None]

# Section name -> "module:function" of its provider, imported on first use.
PROVIDERS: dict[str, str] = {"sla": "itsm_as_code.sla.site:dashboard",
                             "access": "itsm_as_code.access.site:review_section",
                             "operations": "itsm_as_code.ops.site:operations"}
# Records; for fewer, collecting in a second process costs more than it saves.
PARALLEL_FROM = 2000


def load_provider(spec: str) -> Provider:
    module, _, name = spec.partition(":")
    provider: Provider = getattr(importlib.import_module(module), name)
    return provider


def collect(ctx: RunContext, providers: dict[str, str] | None = None) -> list[Section]:
    """The sections whose providers have data, in the order of PROVIDERS."""
    found = []
    for spec in (PROVIDERS if providers is None else providers).values():
        section = load_provider(spec)(ctx)
        if section is not None:
            found.append(section)
    return found


def start_collect(ctx: RunContext, providers: dict[str, str] | None = None, *,
                  parallel_from: int = PARALLEL_FROM) -> Callable[[], list[Section]]:
    """`collect(ctx)`, in a second process while the caller goes on with its own work
    when the repository has at least `parallel_from` records (the SLA clocks cost as much
    as the views); call what it returns for the sections."""
    return beside(lambda: collect(ctx, providers),
                  parallel=len(ctx.repo.records) >= parallel_from)


def shown(sections: list[Section], internal: bool) -> list[Section]:
    """What a build may show: all sections in an internal build, public ones otherwise."""
    return [section for section in sections if internal or section.public]
