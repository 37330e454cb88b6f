"""Atom feeds (RFC 4287): one for every incident of the site, one per service.

Each feed holds the most recent incidents (by their last update), each entry with the
incident's updates as its content. Entry ids are the incident pages' URLs when the
site has a base URL, else `urn:uuid:` ids derived from the page and incident, so a feed
reader never sees an entry twice, whichever way the site is built.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from itsm_as_code.site.records import Incident
from itsm_as_code.site.views import SiteView

ENTRIES = 50


@dataclass(frozen=True)
class Feed:
    path: str  # under the site root
    title: str
    subtitle: str
    html: str  # the page this feed follows, under the site root
    incidents: list[Incident]  # most recently updated first
    updated: datetime


def updated(incident: Incident) -> datetime:
    return incident.entries[-1].at if incident.entries else incident.opened


def _latest(incidents: list[Incident]) -> list[Incident]:
    return sorted(incidents, key=lambda i: (updated(i), i.id), reverse=True)[:ENTRIES]


def feeds(view: SiteView, title: str) -> list[Feed]:
    """`feed.atom` for the whole site, then `services/<id>.atom` for each service."""
    found = []
    everything = _latest(view.incidents)
    found.append(Feed("feed.atom", f"{title}: incidents",
                      "Every incident and its updates", "index.html", everything,
                      max((updated(i) for i in everything), default=view.now)))
    for service_id, service in sorted(view.services.items()):
        latest = _latest(service.incidents)
        found.append(Feed(
            f"services/{service_id}.atom", f"{title}: {service.service.name}",
            f"Incidents affecting {service.service.name}", f"services/{service_id}.html",
            latest, max((updated(i) for i in latest), default=view.now)))
    return found


class Identity:
    """Absolute links and ids for feeds: from the base URL when there is one."""

    def __init__(self, base_url: str, page: str) -> None:
        self.base = base_url.rstrip("/")
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"itsm-as-code:{page}")

    def link(self, path: str, root: str) -> str:
        """`path` (under the site root) as seen from a feed `root` levels down."""
        return f"{self.base}/{path}" if self.base else f"{root}{path}"

    def id(self, path: str) -> str:
        if self.base:
            return f"{self.base}/{path}"
        return f"urn:uuid:{uuid.uuid5(self.namespace, path)}"
