"""The page plan: every file of a site, as a template with its context or as bytes.

Paths are relative to the site root with `/` separators. Every page links relative to
itself (its `root` is `../` once per folder level), so the site works from a sub-path
(a GitHub Pages project site) and from `file://`. The 404 page is the exception: a
server shows it at any depth, so it links from the base URL's path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from itsm_as_code.site import badges, feeds, ical
from itsm_as_code.site.contexts import (
    BadgePage,
    Context,
    FeedPage,
    IncidentPage,
    KnownErrorPage,
    KnownErrorsPage,
    MaintenanceListPage,
    MaintenancePage,
    MonthPage,
    NotFound,
    Plain,
    ProblemPage,
    ProblemsPage,
    SectionPage,
    ServicePage,
    SubscribePage,
)
from itsm_as_code.site.records import Entry, Incident, Maintenance
from itsm_as_code.site.statuspage import Api
from itsm_as_code.site.subscribe import subscribe
from itsm_as_code.site.timeline import timeline_items
from itsm_as_code.site.views import (
    INCIDENT_LABELS,
    MAINTENANCE_LABELS,
    STATUS_LABELS,
    SiteView,
    duration,
)
from itsm_as_code.templating import duration_text, time_element
from itsm_as_code.templating.sections import Section

# The status icons, built once in Python rather than by a template macro: a large site
# shows tens of thousands of them, and a macro call costs more than the page around it.
# None of this markup holds record text.
_CIRCLE = '<circle cx="12" cy="12" r="11" class="shape"/>'
_MARKS = {
    "operational": _CIRCLE + '<path d="M6.5 12.5l3.5 3.5 7.5-8" fill="none" class="mark" '
                             'stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/>',
    "under_maintenance": _CIRCLE + '<path d="M12 6.5v6l4 2.5" fill="none" class="mark" '
                                   'stroke-width="2.4" stroke-linecap="round" '
                                   'stroke-linejoin="round"/>',
    "major_outage": _CIRCLE + '<path d="M8 8l8 8M16 8l-8 8" fill="none" class="mark" '
                              'stroke-width="2.6" stroke-linecap="round"/>',
    "partial_outage": '<path d="M12 1.5l11 19.5H1z" class="shape"/><path d="M12 8.5v6" '
                      'class="mark" stroke-width="2.4" stroke-linecap="round"/>'
                      '<circle cx="12" cy="18" r="1.4" class="mark dot"/>',
    "degraded_performance": _CIRCLE + '<path d="M7 12h10" class="mark" stroke-width="2.6" '
                                      'stroke-linecap="round"/>',
}
ICONS = {
    status: Markup('<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" '
                   f'focusable="false">{marks}</svg>')
    for status, marks in _MARKS.items()
}


def status_html(status: str, label: str) -> Markup:
    """`<span class="status s-...">` with the status's icon and its label."""
    return Markup(f'<span class="status s-{status}">{ICONS[status]}<span>') + label + Markup(
        "</span></span>")


SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
STATIC = ("style.css", "favicon.svg")
INTERNAL_STATIC = ("filter.js",)


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    context: Context


@dataclass
class SiteInfo:
    """What every template may use, besides its own page's data."""

    title: str
    description: str
    organization: str
    internal: bool
    base_url: str
    now: datetime
    sections: list[Section]
    paths: dict[str, str] = field(default_factory=dict)  # record id -> page path
    titles: dict[str, str] = field(default_factory=dict)  # incident/window id -> title
    status_labels: dict[str, str] = field(default_factory=lambda: STATUS_LABELS)
    maintenance_labels: dict[str, str] = field(default_factory=lambda: MAINTENANCE_LABELS)
    zone: str = "UTC"  # the IANA time zone times are shown in
    repository: str = ""  # itsm.yaml's site.repository: where to sign up and ask
    records: str = "records"  # the records folder in that repository
    # (path, label) of further pages every page's navigation links (site/deskpages.py).
    nav: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._statuses = {s: status_html(s, label) for s, label in STATUS_LABELS.items()}
        self._zone = ZoneInfo(self.zone)
        self._lines: dict[tuple[str, str], Markup] = {}
        self._pills: dict[tuple[bool, str], Markup] = {}

    def incident_line(self, incident: Incident, root: str) -> Markup:
        """An incident as one item of a list: link, status, start, duration and state.

        Made once per incident and folder depth: a large site lists every incident on
        its month's page and on the pages of its services, and a template macro for it
        would cost more than the rest of those pages."""
        key = (incident.id, root)
        line = self._lines.get(key)
        if line is None:
            tag = '<span class="tag">Internal</span>' if incident.internal else ""
            how = "ongoing for " if incident.active else "lasted "
            line = self._lines[key] = Markup(
                f'<div class="list-item">\n<a href="{escape(root)}incidents/'
                f'{escape(incident.id)}.html">{escape(incident.title)}</a>\n{tag}'
                f'{self.status(incident.severity)}\n<span class="when">'
                f"{time_element(incident.opened, self._zone)}, {how}"
                f"{escape(duration_text(self.duration(incident)))} · "
                f"{escape(self.incident_label(incident.status))}</span>\n</div>")
        return line

    def incident_items(self, incidents: list[Incident], root: str) -> Markup:
        """The `<li>` of each incident's line, one per line: a service's page lists
        thousands, and a template loop cost more than the lines."""
        return Markup("\n".join([f"<li>{self.incident_line(incident, root)}</li>"
                                  for incident in incidents]))

    def incident_label(self, status: str) -> str:
        if self.internal and status == "closed":
            return "Closed"
        return INCIDENT_LABELS[status]

    def entry_label(self, entry: Entry) -> str:
        return self.incident_label(entry.status) if entry.status else "Update"

    def timeline(self, incident: Incident, view: SiteView) -> Markup:
        """The incident's timeline entries, newest first, as the `<li>` of each."""
        return timeline_items(incident.entries, self.entry_label, view.services,
                              self.status_labels, self._zone)

    def window_label(self, entry: Entry) -> str:
        return self.maintenance_labels[entry.status] if entry.status else "Update"

    def window_timeline(self, window: Maintenance, view: SiteView) -> Markup:
        """The maintenance window's timeline entries, newest first, as the `<li>` of
        each (the same markup as an incident's)."""
        return timeline_items(window.entries, self.window_label, view.services,
                              self.status_labels, self._zone)

    def icon(self, status: str) -> Markup:
        return ICONS[status]

    def status(self, status: str) -> Markup:
        """A component status as an icon and words."""
        return self._statuses[status]

    def pill(self, incident: Incident) -> Markup:
        """The incident's lifecycle status, marked live while it is open."""
        key = (incident.active, incident.status)
        pill = self._pills.get(key)
        if pill is None:  # one per status: every incident page shows one
            kind = "live" if incident.active else "done"
            pill = self._pills[key] = Markup(f'<span class="pill {kind}">') + self.incident_label(
                incident.status) + Markup("</span>")
        return pill

    def duration(self, incident: Incident) -> timedelta:
        return duration(incident, self.now)


def plan(view: SiteView, info: SiteInfo, zone: str) -> tuple[list[Page], dict[str, bytes]]:
    """Every page to render, and every file whose bytes are already known."""
    selection = view.selection
    for section in info.sections:
        if not SLUG.match(section.slug):
            raise ValueError(f"section slug {section.slug!r} is not letters, digits and -")
    info.paths.update({i.id: f"incidents/{i.id}.html" for i in selection.incidents})
    info.paths.update({w.id: f"maintenance/{w.id}.html" for w in selection.maintenance})
    info.paths.update({s: f"services/{s}.html" for s in view.services})
    info.paths.update({p.id: f"problems/{p.id}.html" for p in selection.problems})
    info.paths.update({k.id: f"known-errors/{k.id}.html" for k in selection.known_errors})
    info.titles.update({i.id: i.title for i in selection.incidents})
    info.titles.update({w.id: w.title for w in selection.maintenance})

    pages = [
        Page("index.html", "index.html", Plain()),
        Page("history.html", "history.html", Plain()),
        Page("404.html", "404.html", NotFound(_absolute_root(info.base_url))),
    ]
    months = view.months  # newest first
    pages += [Page(f"history/{m.slug}.html", "month.html",
                   MonthPage(m, months[n + 1] if n + 1 < len(months) else None,
                             months[n - 1] if n else None))
              for n, m in enumerate(months)]
    pages.append(Page("maintenance.html", "maintenance_list.html", _maintenance_list(view)))
    pages.append(Page("subscribe.html", "subscribe.html", SubscribePage(subscribe(
        view, info.title, info.base_url, info.repository, info.records))))
    pages += [Page(f"services/{s}.html", "service.html", ServicePage(v))
              for s, v in sorted(view.services.items())]
    pages += [Page(f"maintenance/{w.id}.html", "maintenance.html", MaintenancePage(w))
              for w in selection.maintenance]
    if info.internal:
        pages += _internal_pages(view)
    pages += [Page(f"sections/{s.slug}.html", "section.html", SectionPage(s))
              for s in info.sections]
    identity = feeds.Identity(info.base_url, info.organization)
    pages += [Page(f.path, "feed.xml", FeedPage(f, identity))
              for f in feeds.feeds(view, info.title)]
    pages += [Page(b.path, "badge.svg", BadgePage(b)) for b in badges.badges(view, info.title)]
    # Incident pages last: they are most of a large site, and the renderer splits the
    # plan's tail between processes.
    pages += [Page(f"incidents/{i.id}.html", "incident.html", IncidentPage(i))
              for i in view.incidents]

    files = Api(view, info.organization, info.base_url, zone).files()
    files[ical.PATH] = ical.calendar(view, info.title, info.base_url, info.organization)
    static = resources.files("itsm_as_code.site") / "static"
    for name in STATIC + (INTERNAL_STATIC if info.internal else ()):
        files[f"static/{name}"] = static.joinpath(name).read_bytes()
    return pages, files


def _maintenance_list(view: SiteView) -> MaintenanceListPage:
    shown = {w.id for w in view.maintenance_active + view.maintenance_upcoming}
    past = [w for w in view.selection.maintenance if w.id not in shown]
    return MaintenanceListPage(view.maintenance_active, view.maintenance_upcoming,
                               sorted(past, key=lambda w: (w.start, w.id), reverse=True))


def _internal_pages(view: SiteView) -> list[Page]:
    selection = view.selection
    incidents_of: dict[str, list[Incident]] = {}  # problem or known error -> incidents
    for incident in view.incidents:
        linked = sorted(selection.problem_links.get(incident.id, ()))
        known = incident.details.known_error if incident.details else None
        for record in [*linked, *([known] if known else [])]:
            incidents_of.setdefault(record, []).append(incident)
    problems = selection.problems
    known_of: dict[str, list[str]] = {}
    for known_error in selection.known_errors:
        if known_error.problem:
            known_of.setdefault(known_error.problem, []).append(known_error.id)
    pages = [Page("problems.html", "problems.html", ProblemsPage(problems, incidents_of)),
             Page("known-errors.html", "known_errors.html",
                  KnownErrorsPage(selection.known_errors, incidents_of))]
    pages += [Page(f"problems/{p.id}.html", "problem.html",
                   ProblemPage(p, incidents_of.get(p.id, []), known_of.get(p.id, [])))
              for p in problems]
    pages += [Page(f"known-errors/{k.id}.html", "known_error.html",
                   KnownErrorPage(k, incidents_of.get(k.id, [])))
              for k in selection.known_errors]
    return pages


def _absolute_root(base_url: str) -> str:
    """The 404 page's link prefix: the base URL's path (`/` for a site at the top)."""
    if not base_url:
        return "/"
    path = urlsplit(base_url).path.rstrip("/")
    return f"{path}/"


def depth_root(path: str) -> str:
    return "../" * path.count("/")
