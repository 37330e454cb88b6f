"""What an alert does to an incident: a new incident, an alert entry, an update.

An incident ingest changes is held twice: as the model's typed value, which decides what
the next alert does (is it open, which alerts does it carry, when was its latest
activity), and as what is written. A new incident is written whole, as a new record file.
An incident that exists is never rewritten: what this ingest does to it is ONE timeline
entry, its `step`, written as an update file beside the record (`authoring/updates.py`),
so an ingest and a responder, or two ingests, on two branches never touch the same file.
What the step does to the record is `model.steps.apply`'s to say, never set here. Every
change goes through `OpenIncident`, which edits the value and what is written alike.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from itsm_as_code.authoring.drafts import incident as incident_draft
from itsm_as_code.events.model import Event
from itsm_as_code.model import steps
from itsm_as_code.model.model import Model
from itsm_as_code.model.readers.values import instant
from itsm_as_code.model.types.itil import Incident
from itsm_as_code.model.types.timeline import Alert, Entry
from itsm_as_code.settings.events import Levels
from itsm_as_code.timefmt import format_timestamp

Data = dict[str, Any]
TITLE_LIMIT = 200
LABEL_LIMIT = 64
# The most alerts one incident holds (`alerts` maxItems in incident.schema.json): a storm
# beyond it goes on in a new incident instead of making the change invalid.
MAX_ALERTS = 500
MESSAGE_LIMIT = 20000


@dataclass
class OpenIncident:
    """An open incident as ingest changes it: `value` decides; `data` is the record as
    read (folded with its update files), or the whole new record when `new`; `step` is the
    one timeline entry this ingest adds to a record that exists."""

    value: Incident
    path: str
    data: Data
    new: bool = False
    changed: bool = False
    step: Data | None = None

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

    def record(self) -> Data:
        """The record after this ingest: the new record, or the one read with its step."""
        step = self.written_step()
        return self.data if step is None else steps.apply("Incident", self.data, [step])

    def written_step(self) -> Data | None:
        """The step as its update file holds it: time, status, message, then the alerts."""
        if self.step is None:
            return None
        entry: Data = {name: self.step[name] for name in ("at", "status", "public")
                       if name in self.step}
        entry["message"] = _message(self.step["messages"])
        if self.step["alerts"]:
            entry["alerts"] = self.step["alerts"]
        return entry

    def add_alert(self, event: Event) -> None:
        entry = alert_entry(event)
        if self.new:
            self.data.setdefault("alerts", []).append(entry)
        else:
            self._step_alert(dict(entry))
        self.value = replace(self.value, alerts=(*self.value.alerts, _alert(entry)))

    def set_alert_resolved(self, index: int, when: datetime | None) -> None:
        """Mark the alert at `index` resolved at `when`, or firing again (None)."""
        text = None if when is None else format_timestamp(when)
        if self.new:
            self.data["alerts"][index]["resolved_at"] = text
        else:
            self._step_alert({"fingerprint": self.value.alerts[index].fingerprint,
                              "resolved_at": text})
        alerts = list(self.value.alerts)
        alerts[index] = replace(alerts[index],
                                resolved_at=None if text is None else instant(text))
        self.value = replace(self.value, alerts=tuple(alerts))

    def add_update(self, at: datetime, message: str, status: str | None = None) -> datetime:
        """Record an internal update (moving the status, when given); returns the time it
        is dated at.

        An alert delivered late would go before the last entry and break the time order;
        such an update is dated at the last entry instead, and its message keeps the
        alert's own time. On a new incident each update is an entry of its own; on one
        that exists, the updates of one ingest make its one step: dated at the latest of
        them, with all their messages and the last status named.
        """
        value = self.value
        when = max([at, value.opened_at, *(entry.at for entry in value.timeline)])
        if self.new:
            entry: Data = {"at": format_timestamp(when)}
            if status is not None:
                entry["status"] = status
            entry.update(public=False, message=message)
            self.data = steps.apply("Incident", self.data, [entry])
            done: Data | None = self.data
        else:
            self._update_step(when, message, status)
            # Without a move nothing that follows from the step changes: not worth a fold
            # per alert of a storm.
            done = self.record() if status is not None else None
        if done is not None:
            value = replace(value, status=done.get("status", value.status),
                            resolved_at=_instant(done.get("resolved_at")))
        self.value = replace(value, timeline=(*value.timeline,
                                              Entry(when, message, status, False)))
        return when

    def _update_step(self, when: datetime, message: str, status: str | None) -> None:
        step = self._open_step()
        step["at"] = format_timestamp(when)
        if status is not None:
            step["status"] = status
        if step.get("status") == self.data.get("status"):
            # Back where the record stood before this ingest: no move to write.
            step.pop("status")
        step["messages"].append(message)

    def _step_alert(self, alert: Data) -> None:
        alerts: list[Data] = self._open_step()["alerts"]
        for known in alerts:
            if known["fingerprint"] == alert["fingerprint"]:
                known.update(alert)
                return
        alerts.append(alert)

    def _open_step(self) -> Data:
        if self.step is None:
            self.step = {"at": None, "public": False, "messages": [], "alerts": []}
        return self.step


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


def _message(lines: list[str]) -> str:
    """The messages of one step's updates, one paragraph each, within what an entry's
    message holds (`message` maxLength in incident.schema.json): a storm's step names the
    first ones and counts the rest, which its `alerts` list all the same."""
    kept: list[str] = []
    size = 0
    for line in lines:
        size += len(line) + 2
        if size > MESSAGE_LIMIT - 200:
            break
        kept.append(line)
    if len(kept) < len(lines):
        kept.append(f"And {len(lines) - len(kept)} more alert update(s): the alerts of this "
                    "update list them all.")
    return "\n\n".join(kept)


def _instant(text: object) -> datetime | None:
    return instant(text) if isinstance(text, str) else None


def _alert(entry: Data) -> Alert:
    """The model's value of a firing alert's entry, as `alert_entry` writes it."""
    return Alert(entry["fingerprint"], entry["name"], entry["source"],
                 instant(entry["started_at"]))


def _title(summary: str) -> str:
    first = summary.splitlines()[0].strip() if summary.strip() else "Alert"
    return first if len(first) <= TITLE_LIMIT else first[:TITLE_LIMIT - 3].rstrip() + "..."
