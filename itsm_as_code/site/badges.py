"""SVG badges, shields.io style: the status of each service and of the whole page, and
each service's uptime over 90 days, for READMEs and wikis.

A badge is measured here (text widths from a Verdana 11px table, as shields.io draws
them) and drawn by the `badge.svg` template, which escapes the names it writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsm_as_code.percent import percent_text
from itsm_as_code.site.views import STATUS_LABELS, SiteView

# Fill colours per component status; white text on each has a contrast of 4.5:1 or more.
COLOURS = {
    "operational": "#1a7f37", "under_maintenance": "#0b62c4",
    "degraded_performance": "#9a6700", "partial_outage": "#bc4c00",
    "major_outage": "#cf222e",
}
LABEL_COLOUR = "#555"
_NARROW = set("fijlrtI.,:;!'|()[] ")
_WIDE = set("mwMW@%")
_PADDING = 10


def text_width(text: str) -> int:
    """Approximate width in pixels of `text` in Verdana 11px."""
    width = 0.0
    for char in text:
        if char in _NARROW:
            width += 3.9
        elif char in _WIDE:
            width += 10.5
        elif char.isupper() or char.isdigit():
            width += 7.4
        else:
            width += 6.6
    return round(width)


@dataclass(frozen=True)
class Badge:
    path: str
    label: str
    message: str
    colour: str

    @property
    def label_width(self) -> int:
        return text_width(self.label) + 2 * _PADDING

    @property
    def message_width(self) -> int:
        return text_width(self.message) + 2 * _PADDING

    @property
    def width(self) -> int:
        return self.label_width + self.message_width

    @property
    def label_colour(self) -> str:
        return LABEL_COLOUR


def _uptime_colour(percent: float) -> str:
    if percent >= 99.9:
        return COLOURS["operational"]
    if percent >= 99.0:
        return COLOURS["degraded_performance"]
    return COLOURS["major_outage"]


def badges(view: SiteView, title: str) -> list[Badge]:
    """`badges/status.svg` for the page, then per service `badges/services/<id>.svg`
    (its status) and `badges/uptime/<id>.svg` (its uptime over 90 days)."""
    found = [Badge("badges/status.svg", title, view.overall.description.lower(),
                   COLOURS[view.overall.status])]
    for service_id, service in sorted(view.services.items()):
        name = service.service.name
        found.append(Badge(f"badges/services/{service_id}.svg", name,
                           STATUS_LABELS[service.status].lower(), COLOURS[service.status]))
        found.append(Badge(f"badges/uptime/{service_id}.svg", f"{name} uptime",
                           percent_text(service.uptime_90), _uptime_colour(service.uptime_90)))
    return found
