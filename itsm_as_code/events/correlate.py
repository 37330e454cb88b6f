"""Which open incident an alert belongs to: by its fingerprint, or by service and time.

Both lookups are dictionaries built once per ingest, so the cost of an alert does not
grow with the number of incidents in the repository.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsm_as_code.events.incidents import Data, alerts_of, latest_activity


@dataclass
class OpenIncident:
    """An open incident as ingest changes it: its data is edited in place."""

    id: str
    path: str
    data: Data
    new: bool = False
    changed: bool = False


class Index:
    """Open incidents by alert fingerprint and by affected service."""

    def __init__(self, incidents: list[OpenIncident]) -> None:
        self.by_fingerprint: dict[str, OpenIncident] = {}
        self.by_service: defaultdict[str, list[OpenIncident]] = defaultdict(list)
        for incident in incidents:
            self.add(incident)

    def add(self, incident: OpenIncident) -> None:
        for alert in alerts_of(incident.data):
            self.by_fingerprint.setdefault(alert["fingerprint"], incident)
        services = incident.data.get("services")
        for affected in services if isinstance(services, list) else []:
            if isinstance(affected, dict) and isinstance(affected.get("id"), str):
                self.by_service[affected["id"]].append(incident)

    def carrying(self, fingerprint: str) -> OpenIncident | None:
        return self.by_fingerprint.get(fingerprint)

    def near(self, service: str, at: datetime, window: timedelta) -> OpenIncident | None:
        """The open incident on `service` whose latest alert (or opening) is nearest to
        `at`, if it is within `window` of it."""
        best: tuple[timedelta, OpenIncident] | None = None
        for incident in self.by_service.get(service, ()):
            latest = latest_activity(incident.data)
            if latest is None:
                continue
            distance = abs(at - latest)
            if distance <= window and (best is None or distance < best[0]):
                best = (distance, incident)
        return best[1] if best else None

    def remember(self, fingerprint: str, incident: OpenIncident) -> None:
        self.by_fingerprint[fingerprint] = incident
