"""The maintenance windows as an iCalendar feed (RFC 5545), `maintenance.ics`, for
calendar applications to subscribe to.

One VEVENT per window the build shows (a public build: public windows only). Its UID is
the window's id at the site's host, so a calendar recognises the same window however
often it is fetched; SEQUENCE counts the window's revisions, so a rescheduled or canceled
window replaces the copy a calendar holds; a canceled window stays in the feed with
STATUS:CANCELLED, which is what makes calendars remove it. Times are UTC. The text is
written here rather than by a template: iCalendar has its own escaping (`\\,` `\\;`
`\\n`), lines folded at 75 octets and CRLF line ends, and no use for HTML escaping.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from urllib.parse import urlsplit

from itsm_as_code.site.records import Maintenance
from itsm_as_code.site.views import MAINTENANCE_LABELS, SiteView

PATH = "maintenance.ics"
PRODID = "-//itsm-as-code//status site//EN"
STATUS = {"scheduled": "CONFIRMED", "in_progress": "CONFIRMED", "completed": "CONFIRMED",
          "canceled": "CANCELLED"}
LIMIT = 75  # octets per line, CRLF not counted (RFC 5545 3.1)
# Control characters have no place in iCalendar TEXT (RFC 5545 3.3.11 allows none but
# the tab); a record may still hold them through a YAML escape.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def escape(text: str) -> str:
    """TEXT as RFC 5545 3.3.11 writes it: `\\\\`, `\\;`, `\\,` and `\\n` for a line end."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """`line` cut into lines of at most 75 octets, each after the first starting with a
    space, never inside a UTF-8 character; CRLF after each."""
    parts: list[str] = []
    current, size, limit = "", 0, LIMIT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, LIMIT - 1  # the leading space is an octet
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts) + "\r\n"


def stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC: `20261128T000000Z`."""
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def uid(window_id: str, base_url: str, organization: str) -> str:
    """The window's id at the site's host; without a base URL, a name derived from the
    organisation, which stays the same from one build to the next."""
    host = urlsplit(base_url).hostname if base_url else None
    if host:
        return f"{window_id}@{host}"
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"itsm-as-code:{organization}")
    return f"{window_id}@{uuid.uuid5(namespace, 'maintenance')}.invalid"


def modified(window: Maintenance) -> datetime:
    """When the window last changed as far as the build knows: its last entry, else its
    scheduled start."""
    return window.entries[-1].at if window.entries else window.start


def _description(window: Maintenance, names: dict[str, str], url: str | None) -> str:
    lines = [f"Status: {MAINTENANCE_LABELS[window.status]}."]
    affected = [names.get(service, service) for service in window.services]
    if affected:
        lines.append(f"Affects: {', '.join(affected)}.")
    if window.description:
        lines += ["", window.description.strip()]
    if window.entries:
        lines += ["", "Latest update: " + window.entries[-1].message.strip()]
    if url:
        lines += ["", url]
    return "\n".join(lines)


def _event(window: Maintenance, view: SiteView, base_url: str,
           organization: str) -> Iterator[str]:
    names = {sid: v.service.name for sid, v in view.services.items()}
    url = f"{base_url}/maintenance/{window.id}.html" if base_url else None
    title = f"{window.title} (internal)" if window.internal else window.title
    yield "BEGIN:VEVENT"
    yield f"UID:{uid(window.id, base_url, organization)}"
    yield f"DTSTAMP:{stamp(modified(window))}"
    yield f"LAST-MODIFIED:{stamp(modified(window))}"
    yield f"SEQUENCE:{window.revision}"
    yield f"DTSTART:{stamp(window.start)}"
    yield f"DTEND:{stamp(window.end)}"
    yield f"STATUS:{STATUS[window.status]}"
    yield f"SUMMARY:{escape('Maintenance: ' + title)}"
    yield f"DESCRIPTION:{escape(_description(window, names, url))}"
    if url:
        yield f"URL:{url}"
    yield "TRANSP:TRANSPARENT"  # a window on a service is not the subscriber's busy time
    if window.internal:
        yield "CLASS:PRIVATE"
    yield "END:VEVENT"


def calendar(view: SiteView, title: str, base_url: str, organization: str) -> bytes:
    """The feed's bytes: every window of the build, soonest first."""
    # No METHOD: a published calendar without one reads DTSTAMP as the last change
    # (RFC 5545 3.8.7.2), so the same records give the same bytes at every build.
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{escape(title + ': maintenance')}",
             "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"]
    if base_url:
        lines.append(f"SOURCE;VALUE=URI:{base_url}/{PATH}")
    for window in sorted(view.selection.maintenance, key=lambda w: (w.start, w.id)):
        lines += _event(window, view, base_url, organization)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines).encode("utf-8")
