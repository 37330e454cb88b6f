"""What an alert does to an incident's fields: a new incident, an alert entry, an update."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from itsm_as_code.authoring.drafts import incident as incident_draft
from itsm_as_code.events.model import Event
from itsm_as_code.events.settings import Levels
from itsm_as_code.store.repository import Repository
from itsm_as_code.timefmt import format_timestamp, timestamp_or_none

Data = dict[str, Any]
TITLE_LIMIT = 200
LABEL_LIMIT = 64


def opened_by(repo: Repository, event: Event, record_id: str, levels: Levels) -> Data:
    """A complete new incident for a firing alert on a known service.

    Impact, urgency and the component status come from the severity's levels, priority
    from the matrix, team and visibility from the service (through the `itsm new`
    draft); the first, public, timeline entry is the alert's summary, and its
    description becomes the incident's (engineers') description.
    """
    assert event.service is not None  # placed alerts only
    fields = incident_draft(
        repo, event.at, title=_title(event.summary), impact=levels.impact,
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


def alerts_of(data: Data) -> list[Data]:
    """The incident's alert entries that are well-formed enough to use."""
    alerts = data.get("alerts")
    if not isinstance(alerts, list):
        return []
    return [alert for alert in alerts
            if isinstance(alert, dict) and isinstance(alert.get("fingerprint"), str)]


def find_alert(data: Data, fingerprint: str) -> Data | None:
    for alert in alerts_of(data):
        if alert["fingerprint"] == fingerprint:
            return alert
    return None


def latest_activity(data: Data) -> datetime | None:
    """When the incident's newest alert started, or its opening when it has no alert:
    the moment the correlation window is measured from."""
    moments = [timestamp_or_none(alert.get("started_at")) for alert in alerts_of(data)]
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else timestamp_or_none(data.get("opened_at"))


def add_update(data: Data, at: datetime, message: str, status: str | None = None) -> None:
    """Append an internal timeline entry (and move the status, when given).

    An alert delivered late would go before the last entry and break the time order;
    such an entry is dated at the last entry instead, and its message keeps the alert's
    own time.
    """
    timeline = data.get("timeline")
    if not isinstance(timeline, list):
        timeline = data["timeline"] = []
    previous = [timestamp_or_none(entry.get("at")) for entry in timeline if isinstance(entry, dict)]
    floor = [moment for moment in [*previous, timestamp_or_none(data.get("opened_at"))] if moment]
    when = max([at, *floor])
    entry: Data = {"at": format_timestamp(when)}
    if status is not None:
        entry["status"] = status
        data["status"] = status
    entry.update(public=False, message=message)
    timeline.append(entry)


def _title(summary: str) -> str:
    first = summary.splitlines()[0].strip() if summary.strip() else "Alert"
    return first if len(first) <= TITLE_LIMIT else first[:TITLE_LIMIT - 3].rstrip() + "..."

