"""The Atlassian Statuspage v2 public API, as static JSON files under `api/v2/`.

Keys, value types and enums are those of a real Statuspage payload (the reference in
shared/reference/statuspage/), so existing Statuspage clients and aggregators read the
site unchanged. Ids are record ids (incident updates get a stable hash of their
incident, time and text); times are UTC with milliseconds, as Statuspage writes them.

The mapping from ITIL: an incident's `new` and `investigating` are `investigating`,
`on_hold` is `identified`, `resolved`, `closed` and `canceled` are `resolved`
(`postmortem` once the record has one). Impact follows the worst component status
the incident gives: major outage `critical`, partial outage `major`, degraded `minor`.
A component's status is the one its ongoing spans give it now (model/impact.py: a
timeline entry may change it), or `degraded_performance` while a service it depends on is
in outage (derived, said at the start of its `description`), and each update lists in
`affected_components` the component statuses it changed: all of them on the first update
(from operational) and on the one that ended the incident (to operational), those its
`services` set otherwise.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from itsm_as_code.site.records import Entry, Incident, Maintenance
from itsm_as_code.site.views import ServiceView, SiteView

RECENT = 50  # incidents.json and scheduled-maintenances.json hold the latest 50
INCIDENT_STATUS = {"new": "investigating", "investigating": "investigating",
                   "identified": "identified", "monitoring": "monitoring",
                   "on_hold": "identified", "resolved": "resolved", "closed": "resolved",
                   "canceled": "resolved"}
IMPACT = {"major_outage": "critical", "partial_outage": "major",
          "degraded_performance": "minor", "under_maintenance": "none", "operational": "none"}
MAINTENANCE_STATUS = {"scheduled": "scheduled", "in_progress": "in_progress",
                      "completed": "completed"}


def stamp(moment: datetime) -> str:
    """`2022-11-25T15:50:05.892Z`: UTC with milliseconds, as Statuspage writes times."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def short_id(*parts: str) -> str:
    """A stable 12-character id in Statuspage's alphabet (lowercase letters and digits)."""
    number = int.from_bytes(hashlib.sha256("\0".join(parts).encode()).digest()[:10], "big")
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    for _ in range(12):
        number, rest = divmod(number, 36)
        out += digits[rest]
    return out


class Api:
    """Builds the payloads of one site; `files()` gives each endpoint's path and bytes."""

    def __init__(self, view: SiteView, name: str, url: str, zone: str) -> None:
        self.view = view
        self.url = url.rstrip("/")
        self.page_id = short_id("page", name)
        starts = [i.opened for i in view.selection.incidents]
        starts += [w.start for w in view.selection.maintenance if w.start <= view.now]
        self.epoch = min(starts, default=view.now)
        self.groups = {g.name: short_id("group", g.name) for g in view.groups if g.name}
        self.page = {"id": self.page_id, "name": name, "url": url, "time_zone": zone,
                     "updated_at": stamp(self._updated())}
        self.all_components = self.components()
        self.by_id = {component["id"]: component for component in self.all_components}

    def _updated(self) -> datetime:
        moments = [v.changed for v in self.view.services.values() if v.changed]
        moments += [e.at for i in self.view.incidents for e in i.entries[-1:]]
        moments += [e.at for w in self.view.selection.maintenance for e in w.entries[-1:]]
        return max(moments, default=self.view.now)

    def link(self, path: str) -> str:
        return f"{self.url}/{path}" if self.url else path

    def component(self, view: ServiceView, position: int) -> dict[str, Any]:
        service = view.service
        return {
            "id": service.id, "name": service.name, "status": view.status,
            "created_at": stamp(self.epoch), "updated_at": stamp(view.changed or self.epoch),
            "position": position, "description": self._description(view),
            "showcase": True, "start_date": None,
            "group_id": self.groups.get(service.group or ""), "page_id": self.page_id,
            "group": False, "only_show_if_degraded": False,
        }

    def _description(self, view: ServiceView) -> str | None:
        """The service's description; while its status is derived from the outage of a
        service it depends on, a sentence saying so comes first (Statuspage has no field
        for it, and a key of our own would break clients that check the shape)."""
        own = view.service.description or None
        if not view.affected_by:
            return own
        names = " and ".join(self.view.services[sid].service.name for sid in view.affected_by)
        note = f"Affected by the {names} outage (derived: no incident of its own)."
        return f"{note} {own}" if own else note

    def components(self) -> list[dict[str, Any]]:
        """Services in page order; each group first as a component with `group: true`,
        listing its members in `components`, as Statuspage does."""
        found: list[dict[str, Any]] = []
        positions = {view.service.id: n for n, view in enumerate(
            (v for g in self.view.groups for v in g.services), start=1)}
        for group in self.view.groups:
            members = [self.component(v, positions[v.service.id]) for v in group.services]
            if group.name:
                found.append({
                    "id": self.groups[group.name], "name": group.name, "status": group.status,
                    "created_at": stamp(self.epoch),
                    "updated_at": max(m["updated_at"] for m in members),
                    "position": members[0]["position"], "description": None,
                    "showcase": False, "start_date": None, "group_id": None,
                    "page_id": self.page_id, "group": True, "only_show_if_degraded": False,
                    "components": [m["id"] for m in members],
                })
            found += members
        return found

    def _status_at(self, changes: Sequence[tuple[datetime, str]], at: datetime,
                   default: str) -> str:
        status = default
        for moment, change in changes:
            if moment > at:
                break
            status = change
        return status

    def _affected(self, incident: Incident, entry: Entry, first: bool,
                  ) -> list[dict[str, str]] | None:
        """The component statuses an update changed, as Statuspage lists them: every
        service the incident affects on its first update (from operational) and on the
        update that ended it (to operational); on any other update, the services whose
        component status it changed, and None when it changed none."""
        after = {affected.service: affected.status for affected in entry.states}
        before = {**after, **{change.service: change.old for change in entry.changes}}
        if first:
            moves = [(sid, "operational", status) for sid, status in after.items()]
        elif entry.at == incident.ended and entry.status is not None:
            moves = [(sid, status, "operational") for sid, status in before.items()]
        elif entry.changes:
            moves = [(c.service, c.old, c.new) for c in entry.changes]
        else:
            return None
        return [{"code": sid, "name": self.view.services[sid].service.name, "old_status": old,
                 "new_status": new} for sid, old, new in moves]

    def incident(self, incident: Incident) -> dict[str, Any]:
        updates = []
        for n, entry in enumerate(incident.entries):
            status = self._status_at(incident.changes, entry.at, "new")
            update_id = short_id("update", incident.id, entry.at.isoformat(), entry.message)
            when = stamp(entry.at)
            updates.append({
                "id": update_id, "status": INCIDENT_STATUS[status], "body": entry.message,
                "incident_id": incident.id, "created_at": when, "updated_at": when,
                "display_at": when, "affected_components": self._affected(incident, entry,
                                                                          n == 0),
                "deliver_notifications": True, "custom_tweet": None, "tweet_id": None,
            })
        status = INCIDENT_STATUS[incident.status]
        if status == "resolved" and incident.postmortem:
            status = "postmortem"
        monitoring = next((at for at, s in incident.changes if s == "monitoring"), None)
        last = incident.entries[-1].at if incident.entries else incident.opened
        return {
            "id": incident.id, "name": incident.title, "status": status,
            "created_at": stamp(incident.opened), "updated_at": stamp(last),
            "monitoring_at": stamp(monitoring) if monitoring else None,
            "resolved_at": stamp(incident.ended) if incident.ended else None,
            "impact": IMPACT[incident.severity],
            "shortlink": self.link(f"incidents/{incident.id}.html"),
            "started_at": stamp(incident.opened), "page_id": self.page_id,
            "incident_updates": updates[::-1],
            "components": [self.by_id[a.service] for a in incident.services],
        }

    def maintenance(self, window: Maintenance) -> dict[str, Any]:
        updates = []
        status = "scheduled"
        for entry in window.entries:
            status = entry.status or status
            when = stamp(entry.at)
            updates.append({
                "id": short_id("update", window.id, entry.at.isoformat(), entry.message),
                "status": MAINTENANCE_STATUS.get(status, "completed"), "body": entry.message,
                "incident_id": window.id, "created_at": when, "updated_at": when,
                "display_at": when, "affected_components": None,
                "deliver_notifications": True, "custom_tweet": None, "tweet_id": None,
            })
        created = window.entries[0].at if window.entries else window.start
        last = window.entries[-1].at if window.entries else created
        return {
            "id": window.id, "name": window.title,
            "status": MAINTENANCE_STATUS[window.status], "created_at": stamp(created),
            "updated_at": stamp(last), "monitoring_at": None,
            "resolved_at": stamp(window.finished) if window.finished else None,
            "impact": "maintenance",
            "shortlink": self.link(f"maintenance/{window.id}.html"),
            "started_at": stamp(window.began or window.start), "page_id": self.page_id,
            "incident_updates": updates[::-1],
            "components": [self.by_id[sid] for sid in window.services],
            "scheduled_for": stamp(window.start), "scheduled_until": stamp(window.end),
        }

    def files(self) -> dict[str, bytes]:
        """Endpoint path (under the site root) -> the JSON bytes served there."""
        view = self.view
        unresolved = [self.incident(i) for i in view.active]
        recent = [self.incident(i) for i in view.incidents[:RECENT]]
        upcoming = [self.maintenance(w) for w in view.maintenance_upcoming]
        active = [self.maintenance(w) for w in view.maintenance_active]
        windows = sorted((w for w in view.selection.maintenance if w.status != "canceled"),
                         key=lambda w: (w.start, w.id), reverse=True)[:RECENT]
        status = {"indicator": view.overall.indicator,
                  "description": view.overall.description}
        payloads: dict[str, dict[str, Any]] = {
            "summary.json": {"page": self.page, "components": self.all_components,
                             "incidents": unresolved,
                             "scheduled_maintenances": active + upcoming, "status": status},
            "status.json": {"page": self.page, "status": status},
            "components.json": {"page": self.page, "components": self.all_components},
            "incidents.json": {"page": self.page, "incidents": recent},
            "incidents/unresolved.json": {"page": self.page, "incidents": unresolved},
            "scheduled-maintenances.json": {
                "page": self.page,
                "scheduled_maintenances": [self.maintenance(w) for w in windows]},
            "scheduled-maintenances/upcoming.json": {"page": self.page,
                                                     "scheduled_maintenances": upcoming},
            "scheduled-maintenances/active.json": {"page": self.page,
                                                   "scheduled_maintenances": active},
        }
        return {f"api/v2/{path}": (json.dumps(data, indent=2, ensure_ascii=False) + "\n")
                .encode() for path, data in payloads.items()}
