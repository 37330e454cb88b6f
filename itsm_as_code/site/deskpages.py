"""The service desk's pages of the site: the catalogue (`catalogue.html`, public and
internal builds, when there is something to ask for) and the queue (`queue.html`,
internal builds only, when the repository has a catalogue or requests), each linked from
every page's navigation.

They read the run's model and its SLA clocks, which the rest of the site's plan does not,
so the build adds them to its plan from here.
"""

from __future__ import annotations

from itsm_as_code.model.context import RunContext
from itsm_as_code.site.catalogue import catalogue
from itsm_as_code.site.contexts import CataloguePage, QueuePage
from itsm_as_code.site.pages import Page, SiteInfo
from itsm_as_code.site.queue import queue

CATALOGUE = "catalogue.html"
QUEUE = "queue.html"


def desk_pages(ctx: RunContext, info: SiteInfo) -> list[Page]:
    """The desk's pages for this build; each is added to `info.nav` too."""
    pages: list[Page] = []
    offered = catalogue(ctx, info.internal, info.repository)
    if not offered.empty:
        pages.append(Page(CATALOGUE, "catalogue.html", CataloguePage(offered)))
        info.nav.append((CATALOGUE, "Catalogue"))
    if info.internal and (ctx.model.request_types or ctx.model.requests):
        pages.append(Page(QUEUE, "queue.html", QueuePage(queue(ctx))))
        info.nav.append((QUEUE, "Queue"))
    return pages
