"""The `events:` section of itsm.yaml: how alerts are classified and turned into incidents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from itsm_as_code.timefmt import parse_duration

EXCEPTION, WARNING, INFORMATIONAL = "exception", "warning", "informational"
DEFAULT_CLASSES = {
    "critical": EXCEPTION, "error": EXCEPTION, "page": EXCEPTION,
    "warning": WARNING,
    "info": INFORMATIONAL, "none": INFORMATIONAL,
}


@dataclass(frozen=True)
class Levels:
    """What a new incident opened by an alert of one severity starts with."""

    impact: str
    urgency: str
    component_status: str


DEFAULT_LEVELS = {
    "critical": Levels("high", "high", "major_outage"),
    "page": Levels("high", "high", "major_outage"),
    "error": Levels("medium", "high", "partial_outage"),
    "warning": Levels("medium", "medium", "degraded_performance"),
}
# A severity without an entry in `events.levels` (say, a custom one mapped to exception).
FALLBACK_LEVELS = Levels("medium", "medium", "partial_outage")


@dataclass(frozen=True)
class EventSettings:
    """`events:` in itsm.yaml, with the documented defaults for what it leaves out."""

    classes: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CLASSES))
    unknown_class: str = WARNING
    open_for: tuple[str, ...] = (EXCEPTION,)
    service_label: str = "service"
    window: timedelta = timedelta(minutes=30)
    resolved_status: str = "monitoring"
    resolve_incident: bool = False
    levels: dict[str, Levels] = field(default_factory=lambda: dict(DEFAULT_LEVELS))

    def classify(self, severity: str) -> str | None:
        """ITIL's event class of a severity (case-insensitive), or None when unknown."""
        return self.classes.get(severity.lower())

    def levels_for(self, severity: str) -> Levels:
        return self.levels.get(severity.lower(), FALLBACK_LEVELS)


def event_settings(data: dict[str, Any]) -> EventSettings:
    """EventSettings from the schema-checked `events:` mapping (empty: all defaults).

    `window` was checked against the duration pattern by the schema, so it parses.
    """
    default = EventSettings()
    levels = dict(default.levels)
    for severity, entry in data.get("levels", {}).items():
        base = levels.get(severity.lower(), FALLBACK_LEVELS)
        levels[severity.lower()] = Levels(entry.get("impact", base.impact),
                                          entry.get("urgency", base.urgency),
                                          entry.get("component_status", base.component_status))
    classes = {**default.classes,
               **{name.lower(): kind for name, kind in data.get("classes", {}).items()}}
    return EventSettings(
        classes=classes,
        unknown_class=data.get("unknown_class", default.unknown_class),
        open_for=tuple(data.get("open_incidents_for", default.open_for)),
        service_label=data.get("service_label", default.service_label),
        window=parse_duration(data["correlation_window"]) if "correlation_window" in data
        else default.window,
        resolved_status=data.get("resolved_status", default.resolved_status),
        resolve_incident=data.get("resolve_incident", default.resolve_incident),
        levels=levels,
    )
