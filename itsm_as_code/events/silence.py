"""Alerts during maintenance: recorded against the window, and no incident.

An alert for a service inside a window for that service that is under way (a one-off
window, or an occurrence of a recurring one: model/recurrence.py) is announced work, not
an incident: it is recorded in the window's `alerts`, through ONE update file per ingest
beside the window's record (as for incidents, the record file is never rewritten). An
alert that outlives the window (still firing once it has ended, or firing again later)
opens an incident as usual; its resolution, while no incident carries it, is recorded on
the window.

"Under way" is as of the ingest's now: the window's run covers both the alert's start and
now (model/impact.py's spans: from its `in_progress` entry or scheduled start, to its
`completed` entry or scheduled end).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from itsm_as_code.events.incidents import MESSAGE_LIMIT, alert_entry
from itsm_as_code.events.model import Event
from itsm_as_code.model.impact import Span, maintenance_spans
from itsm_as_code.model.model import Model
from itsm_as_code.model.readers.values import instant
from itsm_as_code.model.recurrence import occurrences
from itsm_as_code.model.types.itil import Maintenance
from itsm_as_code.timefmt import format_timestamp

Data = dict[str, Any]


@dataclass
class Window:
    """A maintenance record as this ingest changes it: `step` is the one timeline entry
    it adds, holding the alerts recorded or resolved."""

    value: Maintenance
    path: str
    step: Data | None = None

    @property
    def id(self) -> str:
        return self.value.id

    def record(self, alert: Data, at: datetime, message: str) -> None:
        """Add (or update, by fingerprint) an alert in this ingest's step, dated no earlier
        than the window's last entry, so the timeline stays in order."""
        latest = max([at, *(entry.at for entry in self.value.timeline)])
        if self.step is None:
            self.step = {"at": None, "public": False, "messages": [], "alerts": []}
        if self.step["at"] is None or instant(self.step["at"]) < latest:
            self.step["at"] = format_timestamp(latest)
        self.step["messages"].append(message)
        for known in self.step["alerts"]:
            if known["fingerprint"] == alert["fingerprint"]:
                known.update(alert)
                return
        self.step["alerts"].append(alert)

    def written_step(self) -> Data | None:
        if self.step is None:
            return None
        text = "\n\n".join(self.step["messages"])
        if len(text) > MESSAGE_LIMIT - 100:
            text = text[:MESSAGE_LIMIT - 200].rsplit("\n\n", 1)[0] + (
                "\n\nAnd more: the alerts of this update list them all.")
        return {"at": self.step["at"], "public": False, "message": text,
                "alerts": self.step["alerts"]}


class Silence:
    """The windows under way at `now`, by service, and the alerts windows hold."""

    def __init__(self, model: Model, now: datetime) -> None:
        self.now = now
        self.windows: dict[str, Window] = {}
        self.active: defaultdict[str, list[tuple[Span, Window]]] = defaultdict(list)
        self.recorded: dict[str, Window] = {}
        for value in model.maintenance.values():
            window = Window(value, model.source(value.id).path)
            self.windows[value.id] = window
            for occurrence in occurrences(value, now, now + timedelta(microseconds=1)):
                for span in maintenance_spans(occurrence, now):
                    if span.ongoing:
                        # The end it is scheduled for: an ongoing span ends at now.
                        self.active[span.service].append((replace(
                            span, end=max(now, occurrence.scheduled_end)), window))
            for alert in value.alerts:
                self.recorded[alert.fingerprint] = window

    def during(self, service: str, at: datetime) -> tuple[Window, Span] | None:
        """The window under way now on `service` that was under way at `at` too."""
        for span, window in self.active.get(service, ()):
            if span.start <= at:
                return window, span
        return None

    def carrying(self, fingerprint: str) -> Window | None:
        return self.recorded.get(fingerprint)

    def silence(self, event: Event, window: Window, span: Span) -> str:
        """Record a firing alert on `window`; the finding's message."""
        assert event.service is not None  # placed alerts only
        entry = {**alert_entry(event), "service": event.service}
        until = format_timestamp(span.end) if span.end > self.now else "its end"
        window.record(entry, event.at, f"Alert {event.name} fired on {event.service} during "
                      f"the window (started {format_timestamp(event.at)}); no incident "
                      "opened.")
        self.recorded[event.fingerprint] = window
        return (f"{event.name} on {event.service} is during maintenance {span.record} "
                f"(until {until}): recorded there, no incident opened")

    def resolve(self, event: Event, window: Window) -> str:
        """Record that an alert the window holds was resolved; the finding's message."""
        when = event.moment
        window.record({"fingerprint": event.fingerprint, "resolved_at":
                       format_timestamp(when)}, when,
                      f"Alert {event.name} resolved at {format_timestamp(when)}.")
        return f"{event.name} resolved: recorded on maintenance {window.id}"

    def resolved(self, fingerprint: str, window: Window) -> bool:
        """Whether the window holds the alert as resolved (this ingest's step included)."""
        state = next((a.resolved_at is not None for a in window.value.alerts
                      if a.fingerprint == fingerprint), False)
        for alert in (window.step or {}).get("alerts", ()):
            if alert["fingerprint"] == fingerprint:
                state = alert.get("resolved_at") is not None
        return state

    def changed(self) -> list[Window]:
        return [window for window in self.windows.values() if window.step is not None]
