"""What an alert does to an incident: a new incident, an alert entry, an update.

An incident ingest changes is held twice: as the model's typed value, which decides what
the next alert does (is it open, which alerts does it carry, when was its latest
activity), and as its record data, which is written back. Every change goes through
`OpenIncident`, which edits both alike, so the value always says what the data says.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from itsm_as_code.authoring.drafts import incident as incident_draft
from itsm_as_code.events.model import Event
from itsm_as_code.model import build
from itsm_as_code.model.model import Model
from itsm_as_code.model.types import Alert, Entry, Incident
from itsm_as_code.settings.events import Levels
from itsm_as_code.timefmt import format_timestamp

Data = dict[str, Any]
TITLE_LIMIT = 200
LABEL_LIMIT = 64
# The most alerts one incident holds (`alerts` maxItems in incident.schema.json): a storm
# beyond it goes on in a new incident instead of making the change invalid.
MAX_ALERTS = 500


@dataclass
class OpenIncident:
    """An open incident as ingest changes it: `value` decides, `data` is written back."""

    value: Incident
    path: str
    data: Data
    new: bool = False
    changed: bool = False

    @property
    def id(self) -> str:
        return self.value.id

    def latest_activity(self) -> datetime:
        """When the incident's newest alert started, or its opening when it has no alert:
        the moment the correlation window is measured from."""
        started = [alert.started_at for alert in self.value.alerts if alert.started_at]
        return max(started) if started else self.value.opened_at

    def alert(self, fingerprint: str) -> int | None:
        """The position of the incident's (first) alert with this fingerprint."""
        return next((index for index, alert in enumerate(self.value.alerts)
                     if alert.fingerprint == fingerprint), None)

    @property
    def full(self) -> bool:
        """Whether the incident holds as many alerts as an incident may."""
        return len(self.value.alerts) >= MAX_ALERTS

    def firing(self) -> int:
        """How many of the incident's alerts are not resolved."""
        return sum(1 for alert in self.value.alerts if alert.resolved_at is None)

    def add_alert(self, event: Event) -> None:
        entry = alert_entry(event)
        self.data.setdefault("alerts", []).append(entry)
        self.value = replace(self.value, alerts=(*self.value.alerts, _alert(entry)))

    def set_alert_resolved(self, index: int, when: datetime | None) -> None:
        """Mark the alert at `index` resolved at `when`, or firing again (None)."""
        text = None if when is None else format_timestamp(when)
        self.data["alerts"][index]["resolved_at"] = text
        alerts = list(self.value.alerts)
        alerts[index] = replace(alerts[index],
                                resolved_at=None if text is None else build.instant(text))
        self.value = replace(self.value, alerts=tuple(alerts))

    def add_update(self, at: datetime, message: str, status: str | None = None) -> datetime:
        """Append an internal timeline entry (and move the status, when given); returns
        the time it is dated at.

        An alert delivered late would go before the last entry and break the time order;
        such an entry is dated at the last entry instead, and its message keeps the
        alert's own time.
        """
        value = self.value
        when = max([at, value.opened_at, *(entry.at for entry in value.timeline)])
        entry: Data = {"at": format_timestamp(when)}
        if status is not None:
            entry["status"] = status
            self.data["status"] = status
        entry.update(public=False, message=message)
        self.data.setdefault("timeline", []).append(entry)
        self.value = replace(
            value, status=status or value.status,
            timeline=(*value.timeline, Entry(build.instant(entry["at"]), message, status,
                                             False)))
        return when

    def resolve(self, when: datetime) -> None:
        self.data["resolved_at"] = format_timestamp(when)
        self.value = replace(self.value, resolved_at=build.instant(self.data["resolved_at"]))


def opened_by(model: Model, event: Event, record_id: str, levels: Levels) -> Data:
    """A complete new incident for a firing alert on a known service.

    Impact, urgency and the component status come from the severity's levels, priority
    from the matrix, team and visibility from the service (through the `itsm new`
    draft); the first, public, timeline entry is the alert's summary, and its
    description becomes the incident's (engineers') description.
    """
    assert event.service is not None  # placed alerts only
    fields = incident_draft(
        model, event.at, title=_title(event.summary), impact=levels.impact,
        urgency=levels.urgency, services=[f"{event.service}:{levels.component_status}"],
        message=event.summary,
    )
    data: Data = {"apiVersion": "itsm/v1", "kind": "Incident", "id": record_id}
    for name, value in fields.items():
        if name == "timeline":
            if event.description:
                data["description"] = event.description
            data["alerts"] = [alert_entry(event)]
        data[name] = value
    return data


def alert_entry(event: Event) -> Data:
    return {"fingerprint": event.fingerprint, "name": event.name[:LABEL_LIMIT].strip(),
            "source": event.source[:LABEL_LIMIT].strip(),
            "started_at": format_timestamp(event.at), "resolved_at": None}


def _alert(entry: Data) -> Alert:
    """The model's value of a firing alert's entry, as `alert_entry` writes it."""
    return Alert(entry["fingerprint"], entry["name"], entry["source"],
                 build.instant(entry["started_at"]))


def _title(summary: str) -> str:
    first = summary.splitlines()[0].strip() if summary.strip() else "Alert"
    return first if len(first) <= TITLE_LIMIT else first[:TITLE_LIMIT - 3].rstrip() + "..."
