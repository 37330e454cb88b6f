"""Events -> incident changes: classify, deduplicate, correlate, open; then check.

Each alert gets one finding that says what happened to it (`opened`, `joined`,
`updated`, `resolved`, `silenced`, `duplicate`, `ignored`, `unknown-service`). A new
incident is a new record file; an incident that exists gets one update file per ingest
(its record file is never rewritten), and so does a maintenance window that records alerts
fired during it (events/silence.py). An alert with no incident of its own service near
joins the open incident of a service it depends on, within the same window. The changed
records, with their new update files folded in, are checked like `itsm new` checks a
record; if one would be invalid, nothing is written.

What is open, which incident carries an alert and where a new alert belongs are read from
the model of the snapshot; an open incident whose record does not match its schema is
left out of it, and said as a warning, like a file that does not load.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

from itsm_as_code.authoring.ids import next_id
from itsm_as_code.events.correlate import Index, OpenIncident
from itsm_as_code.events.incidents import MAX_ALERTS, opened_by
from itsm_as_code.events.model import Event
from itsm_as_code.events.silence import Silence, Window
from itsm_as_code.events.snapshot import Snapshot
from itsm_as_code.events.trial import check
from itsm_as_code.events.written import written
from itsm_as_code.findings import Finding, Level
from itsm_as_code.model.lifecycle import INCIDENT
from itsm_as_code.model.readers.itil import incident as read_incident
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.repository import Repository
from itsm_as_code.timefmt import format_timestamp


@dataclass
class Ingested:
    """What an ingest did: a finding per alert, and the text of every changed file."""

    findings: list[Finding] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    opened: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


class Ingest:
    """One ingest run over a snapshot; `feed` each event, then `finish`."""

    def __init__(self, snapshot: Snapshot, payload: str, now: datetime) -> None:
        self.snapshot, self.payload, self.now = snapshot, payload, now
        self.settings = snapshot.config.events
        self.model = snapshot.context(now).model
        # The snapshot's data is edited in place: a snapshot serves one ingest.
        self.incidents: list[OpenIncident] = []
        for incident in self.model.incidents.values():
            if incident.status not in INCIDENT.ended:
                source = self.model.source(incident.id)
                self.incidents.append(OpenIncident(incident, source.path, source.data))
        self.index = Index(self.incidents)
        self.silence = Silence(self.model, now)
        # A record that does not load, or an open incident that does not match its
        # schema, cannot be matched: say so, as a warning.
        refused = self.model.schema_findings(["Incident"])
        self.result = Ingested(findings=[replace(f, level="warning")
                                         for f in [*snapshot.findings, *refused]])
        self.last_id: str | None = None

    def feed(self, event: Event) -> None:
        found = self.index.carrying(event.fingerprint)
        if found is not None and found.value.status not in INCIDENT.ended:
            self._known(event, found)
            return
        held = self.silence.carrying(event.fingerprint)
        if held is not None and self._held(event, held):
            return
        if event.resolved:
            self._say(event, "ignored", f"{event.name} resolved, but no open incident carries "
                      "it: nothing to update")
            return
        kind = self._classify(event)
        if kind not in self.settings.open_for:
            # Without the label, "severity none" would read like the class `none`.
            said = f"severity {event.severity}" if event.severity else "no severity label"
            self._say(event, "ignored", f"{event.name} is {kind} ({said}): opens no incident")
            return
        if event.service is None or event.service not in self.model.services:
            self._unknown_service(event)
            return
        during = self.silence.during(event.service, event.at)
        if during is not None:
            self._window_says(event, "silenced", self.silence.silence(event, *during),
                              during[0])
            return
        near = self.index.near(event.service, event.at, self.settings.window)
        via = None
        if near is None:
            near, via = self.index.upstream(event.service, self.model.services, event.at,
                                            self.settings.window)
        if near is not None:
            self._join(event, near, via)
        else:
            outlived = f" (it outlived maintenance {held.id})" if held is not None else ""
            self._open(event, self.index.near(event.service, event.at, self.settings.window,
                                              full=True), outlived)

    def _held(self, event: Event, window: Window) -> bool:
        """An alert a maintenance window holds: its resolution is recorded there, and a
        repeat while the window is under way changes nothing; False when it fires on
        after the window (it opens an incident)."""
        if event.resolved:
            if self.silence.resolved(event.fingerprint, window):
                self._window_says(event, "duplicate", f"{event.name} was already resolved on "
                                  f"maintenance {window.id}: nothing changed", window)
            else:
                self._window_says(event, "silenced", self.silence.resolve(event, window),
                                  window)
            return True
        if event.service is not None and self.silence.during(event.service, event.at):
            self._window_says(event, "duplicate", f"{event.name} is already recorded on "
                              f"maintenance {window.id}, still under way: nothing changed",
                              window)
            return True
        return False

    def _window_says(self, event: Event, action: str, message: str, window: Window) -> None:
        self.result.counts[action] += 1
        self.result.findings.append(Finding(window.path, 1, 1, action, message, window.id,
                                            "notice"))

    def _classify(self, event: Event) -> str:
        kind = self.settings.classify(event.severity) if event.severity else None
        if kind is None:
            kind = self.settings.unknown_class
            what = (f"an unknown severity {event.severity!r}" if event.severity
                    else "no severity label")
            self._say(event, "unknown-severity", f"{event.name} has {what}: treated as {kind} "
                      "(events.unknown_class); map it in events.classes", level="warning")
        return kind

    def _unknown_service(self, event: Event) -> None:
        label = self.settings.service_label
        what = (f"names service {event.service!r}, which is not a Service record"
                if event.service else f"has no `{label}` label")
        self._say(event, "unknown-service", f"{event.name} {what}: add the service, or fix "
                  f"the alert's `{label}` label; no incident was opened", level="error")

    def _open(self, event: Event, full: OpenIncident | None = None, note: str = "") -> None:
        self.last_id = next_id("INC", [self.last_id] if self.last_id
                               else self.snapshot.incident_ids)
        levels = self.settings.levels_for(event.severity or "")
        data = opened_by(self.model, event, self.last_id, levels)
        folder = f"{self.snapshot.config.records}/{KINDS['Incident'].folder}/{event.at:%Y/%m}"
        incident = OpenIncident(read_incident(data), f"{folder}/{self.last_id}.yaml", data,
                                new=True, changed=True)
        self.incidents.append(incident)
        self.index.add(incident)
        self.result.opened.append(incident.id)
        why = (f": {full.id} holds {MAX_ALERTS} alerts, the most an incident holds"
               if full is not None else "")
        self._say(event, "opened", f"opened {incident.id} ({incident.value.priority}) for "
                  f"{event.name} on {event.service}{why}{note}", incident)

    def _join(self, event: Event, incident: OpenIncident, via: str | None = None) -> None:
        incident.add_alert(event)
        self.index.remember(event.fingerprint, incident)
        self._firing_update(incident, event, f"Alert {event.name} started firing at "
                            f"{format_timestamp(event.at)} on {event.service}: {event.summary}")
        why = (f"same service {event.service}" if via is None else
               f"its service {via}, which {event.service} depends on")
        self._say(event, "joined", f"{event.name} joined {incident.id} ({why}, within "
                  f"{self._window()})", incident)

    def _known(self, event: Event, incident: OpenIncident) -> None:
        index = incident.alert(event.fingerprint)
        assert index is not None  # the index holds only fingerprints of the incident
        resolved = incident.value.alerts[index].resolved_at is not None
        if event.resolved:
            if resolved:
                self._say(event, "duplicate", f"{event.name} was already resolved on "
                          f"{incident.id}: nothing changed", incident)
            else:
                self._resolve(event, incident, index)
        elif resolved:
            incident.set_alert_resolved(index, None)
            self._firing_update(incident, event, f"Alert {event.name} is firing again: "
                                f"{event.summary}")
            self._say(event, "updated", f"{event.name} fires again on {incident.id}",
                      incident)
        else:
            self._say(event, "duplicate", f"{event.name} is already on {incident.id} and "
                      "still firing: nothing changed", incident)

    def _firing_update(self, incident: OpenIncident, event: Event, message: str) -> None:
        back = "investigating" if incident.value.status == self.settings.resolved_status \
            else None
        incident.add_update(event.at, message, back)
        self._touch(incident)

    def _resolve(self, event: Event, incident: OpenIncident, index: int) -> None:
        when = event.moment
        incident.set_alert_resolved(index, when)
        firing = incident.firing()
        message = f"Alert {event.name} resolved at {format_timestamp(when)}"
        if firing:
            incident.add_update(when, f"{message}; {firing} other alert(s) still firing.")
            said = f"{event.name} resolved on {incident.id}; {firing} other alert(s) firing"
        elif self.settings.resolve_incident:
            incident.add_update(when, f"{message}; every alert of this incident is "
                                "resolved.", "resolved")
            said = f"{event.name} resolved: {incident.id} is resolved"
        else:
            status = self.settings.resolved_status
            incident.add_update(when, f"{message}.", status)
            said = f"{event.name} resolved: {incident.id} is {status}"
        self._touch(incident)
        self._say(event, "resolved", said, incident)

    def _touch(self, incident: OpenIncident) -> None:
        if not incident.changed:
            incident.changed = True
            self.result.updated.append(incident.id)

    def _window(self) -> str:
        minutes = int(self.settings.window.total_seconds() // 60)
        return f"{minutes}m" if minutes < 120 else f"{minutes / 60:g}h"

    def _say(self, event: Event, action: str, message: str,
             incident: OpenIncident | None = None, level: Level = "notice") -> None:
        self.result.counts[action] += 1
        self.result.findings.append(Finding(
            incident.path if incident else self.payload, 1, 1, action, message,
            incident.id if incident else None, level))

    def finish(self) -> Ingested:
        """The new files' text (a record file per new incident, an update file per changed
        one), after checking each changed incident as these files make it."""
        out = written(self.snapshot, self.incidents, self.silence.changed())
        self.result.files.update(out.files)
        self.result.updated += [i for i in out.windows if i not in self.result.updated]
        check(Repository(self.snapshot.config, [*self.snapshot.references, *out.records]),
              out.records, self.now)
        self.result.updated = [i for i in self.result.updated if i not in self.result.opened]
        return self.result


def ingest(snapshot: Snapshot, events: list[Event], payload: str, now: datetime
           ) -> Ingested:
    run = Ingest(snapshot, payload, now)
    for event in events:
        run.feed(_not_after(event, now))
    return run.finish()


def _not_after(event: Event, now: datetime) -> Event:
    """An alert dated after the run's now (a monitoring host whose clock runs ahead) is
    taken as happening now, rather than refusing the whole batch for a time in the future."""
    if event.at <= now and (event.ended_at is None or event.ended_at <= now):
        return event
    return replace(event, at=min(event.at, now),
                   ended_at=None if event.ended_at is None else min(event.ended_at, now))

