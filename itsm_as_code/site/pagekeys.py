"""Keys of the pages whose inputs are known, so that a rebuild renders only the pages
whose inputs changed (output.py keeps the keys in the site's manifest).

Incident pages are nine in ten pages of a large site, and each shows one record: its
key is a hash of the bytes of that record, the names of the services it links to, the
people it names (internal builds), what every page shows around its content (the
site's title, description, organisation, sections, audience, base URL and time zone),
the code and templates that render it, and the time of the build unless the incident is
settled (ended, with nothing of its record after that time). A month's page is keyed
the same way by the records of the incidents and maintenance windows it lists (and the
time, when it lists a window) and the months it links to before and after it; a
problem's or known error's page by its record, the incidents it lists, the services and
people; a maintenance window's by its record, the services, people and time; a service's
by its record, the records of the incidents and windows that name it (its status, uptime
and bars come from them), the services, the availability weights and the time. A page
whose inputs are not all listed here (the index, history, feeds, badges, sections) has
no key and is rendered every time.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from itsm_as_code import __version__
from itsm_as_code.site.contexts import (
    IncidentPage,
    KnownErrorPage,
    MaintenancePage,
    MonthPage,
    ProblemPage,
    ServicePage,
)
from itsm_as_code.site.pages import Page, SiteInfo
from itsm_as_code.site.records import Incident
from itsm_as_code.site.views import Month, SiteView
from itsm_as_code.store.repository import Repository

# The code whose output a page is, besides the site package itself.
_CODE = ("templating", "timefmt.py")
_LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py")


def page_keys(pages: list[Page], repo: Repository, view: SiteView, info: SiteInfo,
              ) -> list[str | None]:
    """A key for every page whose inputs are known, None for the others."""
    shared = _hash(_code_digest(), str(sys.version_info[:3]), *_site(info, view))
    people = _hash(*(f"{p}={n}" for p, n in sorted(view.selection.people.items())))
    names = {sid: v.service.name for sid, v in view.services.items()}
    services = _hash(*(f"{sid}={name}" for sid, name in sorted(names.items())))
    now = info.now.isoformat()
    weights = json.dumps(sorted(repo.config.availability_weights.items()))
    naming: dict[str, list[Incident]] = {}
    for incident in view.selection.incidents:
        for affected in incident.services:
            naming.setdefault(affected.service, []).append(incident)

    def source(record_id: str, kind: str) -> str | None:
        """The content key of the one record with this id, or None."""
        found = repo.by_id.get(record_id, ())
        if len(found) == 1 and found[0].kind == kind:
            return found[0].content_key or None
        return None

    known: dict[str, str | None] = {}  # an incident is on its page, its month, its services

    def incident_key(incident: Incident) -> str | None:
        if incident.id not in known:
            key = source(incident.id, "Incident")
            known[incident.id] = None if key is None else _hash(
                incident.id, key, "" if incident.settled else now)
        return known[incident.id]

    keys: list[str | None] = []
    for page in pages:
        key: str | None = None
        context = page.context
        if isinstance(context, IncidentPage):
            incident = context.incident
            own = incident_key(incident)
            links = (f"{a.service}={names.get(a.service, '')}" for a in incident.services)
            key = own and _hash(shared, people, own, *links)
        elif isinstance(context, MonthPage):
            neighbours = "|".join(m.slug if m else "" for m in (context.previous,
                                                               context.following))
            key = _month_key(context.month, shared + neighbours, now, incident_key, source)
        elif isinstance(context, (ProblemPage, KnownErrorPage)):
            if isinstance(context, ProblemPage):
                record, kind, also = context.problem.id, "Problem", context.known_errors
            else:
                record, kind, also = context.known.id, "KnownError", []
            parts = [source(record, kind)]
            parts += [incident_key(incident) for incident in context.incidents]
            if None not in parts:
                key = _hash(shared, people, services, page.template,
                            *(part for part in parts if part is not None), *also)
        elif isinstance(context, MaintenancePage):
            own = source(context.window.series or context.window.id, "Maintenance")
            key = own and _hash(shared, people, services, "maintenance", own, now)
        elif isinstance(context, ServicePage):
            sid = context.service.service.id
            parts = [source(sid, "Service")]
            parts += [incident_key(incident) for incident in naming.get(sid, ())]
            parts += [source(window.series or window.id, "Maintenance") for window in
                      view.selection.maintenance if sid in window.services]
            if None not in parts:
                key = _hash(shared, services, weights, "service", sid, now,
                            *(part for part in parts if part is not None))
        keys.append(key)
    return keys


def _month_key(month: Month, shared: str, now: str,
               incident_key: Callable[[Incident], str | None],
               source: Callable[[str, str], str | None]) -> str | None:
    """A month lists its incidents (what each one's record says, as of now while it is
    not settled) and its maintenance windows (whose state moves with the clock)."""
    parts = [incident_key(incident) for incident in month.incidents]
    parts += [source(window.series or window.id, "Maintenance") for window in month.maintenance]
    if None in parts:
        return None
    return _hash(shared, "month", month.slug, now if month.maintenance else "",
                 *(part for part in parts if part is not None))


def _site(info: SiteInfo, view: SiteView) -> Iterable[str]:
    yield from (info.title, info.description, info.organization, str(info.internal),
                info.base_url, str(view.zone))
    for section in info.sections:
        yield from (section.slug, section.title)
    for path, label in info.nav:
        yield from (path, label)


def _code_digest() -> str:
    digest = hashlib.blake2b(__version__.encode(), digest_size=20)
    package = Path(str(resources.files("itsm_as_code")))
    files = sorted(path for folder in ("site", *_CODE)
                   for path in [package / folder, *(package / folder).rglob("*")])
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library}={version(library)}\0".encode())
    return digest.hexdigest()


def _hash(*parts: str) -> str:
    # Each part's length goes first, so no two lists of parts hash the same text.
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(b"%d:" % len(data) + data)
    return digest.hexdigest()
