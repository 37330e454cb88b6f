"""Timeline entries (an incident's, a maintenance window's) as HTML, made in Python.

An incident page shows five or six entries, and in a template each costs a loop turn,
a method call, two filters and five escapes: a third of the page's rendering. Here each
entry is one string. Every value that comes from a record goes through
`markupsafe.escape`, the function jinja2's autoescape calls, or is markup made by the
filters the templates use (`time_element`, `render_markdown`): the bytes are the
template's, which a test holds this module to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from itsm_as_code.site.records import Entry
from itsm_as_code.site.views import ServiceView
from itsm_as_code.templating import time_element
from itsm_as_code.templating.markdown import render_markdown


def timeline_items(entries: Sequence[Entry], label: Callable[[Entry], str],
                   services: Mapping[str, ServiceView], status_labels: Mapping[str, str],
                   zone: ZoneInfo) -> Markup:
    """The `<li>` of each entry, newest first, one per line: `label` names what an entry
    did, `services` the shown services by id."""
    items = []
    for entry in reversed(entries):
        tag, kind = ("", "") if entry.public else (' <span class="tag">Internal</span>',
                                                    " internal")
        author = f" · {escape(entry.author)}" if entry.author else ""
        changes = ""
        if entry.changes:
            changes = '<p class="entry-changes">' + "; ".join(
                f"{escape(services[c.service].service.name)}: "
                f"{escape(status_labels[c.old].lower())} → "
                f"{escape(status_labels[c.new].lower())}" for c in entry.changes) + "</p>\n"
        items.append(
            f'<li class="entry{kind}">\n<p class="entry-head"><strong>'
            f"{escape(label(entry))}</strong>{tag} · {time_element(entry.at, zone)}{author}"
            f'</p>\n{changes}<div class="prose">{render_markdown(entry.message, 2)}</div>\n'
            "</li>")
    return Markup("\n".join(items))
