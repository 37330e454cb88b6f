"""Which open incident an alert belongs to: by its fingerprint, or by service and time
(its own service's, else that of a service it depends on).

Both lookups are dictionaries built once per ingest, so the cost of an alert does not
grow with the number of incidents in the repository.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta

from itsm_as_code.events.incidents import OpenIncident
from itsm_as_code.model.types.organisation import Service

__all__ = ["Index", "OpenIncident"]


class Index:
    """Open incidents by alert fingerprint and by affected service."""

    def __init__(self, incidents: list[OpenIncident]) -> None:
        self.by_fingerprint: dict[str, OpenIncident] = {}
        self.by_service: defaultdict[str, list[OpenIncident]] = defaultdict(list)
        for incident in incidents:
            self.add(incident)

    def add(self, incident: OpenIncident) -> None:
        for alert in incident.value.alerts:
            self.by_fingerprint.setdefault(alert.fingerprint, incident)
        for service in incident.value.service_ids:
            self.by_service[service].append(incident)

    def carrying(self, fingerprint: str) -> OpenIncident | None:
        return self.by_fingerprint.get(fingerprint)

    def near(self, service: str, at: datetime, window: timedelta, full: bool = False
             ) -> OpenIncident | None:
        """The open incident on `service` whose latest alert (or opening) is nearest to
        `at`, if it is within `window` of it; one holding the most alerts an incident may
        is taken only when `full` is true."""
        best: tuple[timedelta, OpenIncident] | None = None
        for incident in self.by_service.get(service, ()):
            if incident.full and not full:
                continue
            distance = abs(at - incident.latest_activity())
            if distance <= window and (best is None or distance < best[0]):
                best = (distance, incident)
        return best[1] if best else None

    def upstream(self, service: str, services: Mapping[str, Service], at: datetime,
                 window: timedelta) -> tuple[OpenIncident | None, str | None]:
        """The open incident `near` the nearest service `service` depends on (directly,
        then through others, breadth first), and that service: an alert of a dependent
        service joins its cause's incident rather than opening one of its own."""
        seen = {service}
        layer = list(services[service].depends_on) if service in services else []
        while layer:
            following: list[str] = []
            for other in layer:
                if other in seen:
                    continue
                seen.add(other)
                near = self.near(other, at, window)
                if near is not None:
                    return near, other
                if other in services:
                    following.extend(services[other].depends_on)
            layer = following
        return None, None

    def remember(self, fingerprint: str, incident: OpenIncident) -> None:
        self.by_fingerprint[fingerprint] = incident
