"""What each page's template gets besides `site`, `view`, `root` and `path`: one type
per kind of page, so a template's names are checked where the page is planned."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from itsm_as_code.model.types.itil import KnownError, Problem
from itsm_as_code.site.badges import Badge
from itsm_as_code.site.catalogue import Catalogue
from itsm_as_code.site.feeds import Feed, Identity
from itsm_as_code.site.queue import Queue
from itsm_as_code.site.records import Incident, Maintenance
from itsm_as_code.site.subscribe import Subscribe
from itsm_as_code.site.views import Month, ServiceView
from itsm_as_code.templating.sections import Section


@dataclass(frozen=True, slots=True)
class Plain:
    """The index and history pages: everything they show is in the view."""


@dataclass(frozen=True, slots=True)
class NotFound:
    root: str  # the 404 page links from the base URL's path, not relative to itself


@dataclass(frozen=True, slots=True)
class MonthPage:
    month: Month
    previous: Month | None = None  # the nearest earlier and later months with a page
    following: Month | None = None


@dataclass(frozen=True, slots=True)
class MaintenanceListPage:
    """Every window of the build: under way, coming (soonest first), and past (latest
    first, canceled ones with them)."""

    active: list[Maintenance]
    upcoming: list[Maintenance]
    past: list[Maintenance]


@dataclass(frozen=True, slots=True)
class SubscribePage:
    subscribe: Subscribe


@dataclass(frozen=True, slots=True)
class ServicePage:
    service: ServiceView


@dataclass(frozen=True, slots=True)
class MaintenancePage:
    window: Maintenance


@dataclass(frozen=True, slots=True)
class CataloguePage:
    catalogue: Catalogue


@dataclass(frozen=True, slots=True)
class QueuePage:
    queue: Queue


@dataclass(frozen=True, slots=True)
class IncidentPage:
    incident: Incident


@dataclass(frozen=True, slots=True)
class SectionPage:
    section: Section


@dataclass(frozen=True, slots=True)
class FeedPage:
    feed: Feed
    identity: Identity


@dataclass(frozen=True, slots=True)
class BadgePage:
    badge: Badge


@dataclass(frozen=True, slots=True)
class ProblemsPage:
    problems: list[Problem]
    incidents_of: dict[str, list[Incident]]  # problem or known error id -> its incidents


@dataclass(frozen=True, slots=True)
class KnownErrorsPage:
    known_errors: list[KnownError]
    incidents_of: dict[str, list[Incident]]


@dataclass(frozen=True, slots=True)
class ProblemPage:
    problem: Problem
    incidents: list[Incident]
    known_errors: list[str]


@dataclass(frozen=True, slots=True)
class KnownErrorPage:
    known: KnownError
    incidents: list[Incident]


Context = (Plain | NotFound | MonthPage | ServicePage | MaintenancePage | IncidentPage
           | SectionPage | FeedPage | BadgePage | ProblemsPage | KnownErrorsPage
           | ProblemPage | KnownErrorPage | CataloguePage | QueuePage | MaintenanceListPage
           | SubscribePage)


def variables(context: Context) -> dict[str, Any]:
    """A page's context as the names its template reads."""
    return {item.name: getattr(context, item.name) for item in fields(context)}
