"""Incident pages rendered as their blocks in a frame made once, and their timeline
entries made in Python: both byte for byte what the whole template writes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import pytest
from jinja2 import DictLoader

from itsm_as_code.site import build, output
from itsm_as_code.site.contexts import variables
from itsm_as_code.site.options import BuildOptions
from itsm_as_code.site.pages import Page, SiteInfo
from itsm_as_code.site.records import Change, Entry, Incident
from itsm_as_code.site.views import SiteView
from itsm_as_code.templating import environment
from itsm_as_code.templating.frames import Frame
from tests.helpers import DEMO, NOW
from tests.site_helpers import build_demo, files

# The timeline loop as incident.html wrote it before site/timeline.py made its entries.
TEMPLATE_TIMELINE = """{% import "macros.html" as m %}
{% for entry in incident.entries | reverse %}
<li class="entry{{ '' if entry.public else ' internal' }}">
<p class="entry-head"><strong>{{ site.entry_label(entry) }}</strong>{% if not entry.public %} <span class="tag">Internal</span>{% endif %} · {{ entry.at | time }}{% if entry.author %} · {{ entry.author }}{% endif %}</p>
{% if entry.changes %}
{{ m.status_changes(entry, site, view) }}
{% endif %}
<div class="prose">{{ entry.message | markdown(2) }}</div>
</li>
{% endfor %}
"""  # noqa: E501 - the template's own lines


class Built:
    """What a build renders, caught before it writes: each page and its renderer."""

    pages: list[Page]
    render: Any
    view: SiteView
    info: SiteInfo


def caught(monkeypatch: pytest.MonkeyPatch, repo: Path, internal: bool) -> Built:
    from itsm_as_code.config import load_config
    from itsm_as_code.model.context import RunContext
    from itsm_as_code.store.repository import load_repository

    found = Built()
    making = build._renderer

    def renderer(pages: list[Page], view: SiteView, info: SiteInfo, templates: Any) -> Any:
        found.pages, found.view, found.info = pages, view, info
        found.render = making(pages, view, info, templates)
        return found.render

    def write(out: Path, paths: Any, render: Any, *args: Any, **kwargs: Any) -> Any:
        return output.Written(0, 0, 0)

    monkeypatch.setattr(build, "_renderer", renderer)
    monkeypatch.setattr(output, "write", write)
    ctx = RunContext(load_repository(load_config(repo)), NOW)
    result = build.build_site(ctx, BuildOptions(repo / "_unused", internal))
    assert result.built
    return found


@pytest.mark.parametrize("internal", [True, False])
def test_every_incident_page_is_the_whole_template_rendered(
        monkeypatch: pytest.MonkeyPatch, internal: bool) -> None:
    site = caught(monkeypatch, DEMO, internal)
    env = environment(build.TEMPLATES, zone=site.info.zone)
    whole = env.get_template("incident.html")
    incidents = [(n, page) for n, page in enumerate(site.pages)
                 if page.template == "incident.html"]
    assert len(incidents) >= 20
    for index, page in incidents:
        context = {"site": site.info, "view": site.view, "root": "../", "path": page.path,
                   **variables(page.context)}
        assert site.render(index) == whole.render(context).encode("utf-8"), page.path


def entry(**fields: Any) -> Entry:
    return replace(Entry(NOW, None, "Plain words."), **fields)


def test_timeline_entries_are_what_the_template_loop_wrote(
        monkeypatch: pytest.MonkeyPatch) -> None:
    site = caught(monkeypatch, DEMO, True)
    env = environment(build.TEMPLATES, zone=site.info.zone)
    loop = env.from_string(TEMPLATE_TIMELINE)
    services = list(site.view.services)
    hostile = [  # record text with markup, quotes and markdown, every branch of an entry
        entry(message="<script>alert(1)</script> & \"quotes\" 'too'", author="<b>Eve</b>"),
        entry(status="resolved", public=False, author="O'Brien & Co",
              message="# Heading\n\n* a [link](javascript:x)\n* `code`"),
        entry(status="monitoring", message="", changes=(
            Change(services[0], "major_outage", "operational"),
            Change(services[1], "operational", "degraded_performance"))),
        entry(at=NOW + timedelta(days=200), status="identified", author="",
              message="tab\there and a line\nbreak"),
    ]
    incidents: list[Incident] = [*site.view.incidents]
    incidents.append(replace(incidents[0], entries=tuple(hostile)))
    incidents.append(replace(incidents[0], entries=()))
    for incident in incidents:
        expected = loop.render(site=site.info, view=site.view, incident=incident)
        made = site.info.timeline(incident, site.view)
        assert isinstance(made, markupsafe.Markup)
        assert (made + "\n" if incident.entries else made) == expected, incident.id


def test_entries_escape_with_the_function_autoescape_calls() -> None:
    assert vars(jinja2.runtime)["escape"] is markupsafe.escape


def frame_env() -> jinja2.Environment:
    env = environment(build.TEMPLATES)
    env.loader = DictLoader({
        "base.html": "<title>{% block title %}{{ name }}{% endblock %}</title>\n"
                     "<nav>{{ root }}</nav>\n{% block content %}{% endblock %}\n"
                     "<p>{% block footer %}{{ name }}{% endblock %}</p>\n",
        "page.html": '{% extends "base.html" %}{% block title %}{{ title }}!{% endblock %}'
                     "{% block content %}{% set shown = title | upper %}<h1>{{ shown }}"
                     "</h1>{% endblock %}",
    })
    return env


def test_a_frame_renders_its_holes_per_page_and_the_rest_once() -> None:
    template = frame_env().get_template("page.html")
    frame = Frame(template, {"name": "site", "root": "../", "title": "first"},
                  ("title", "content"))
    assert frame.order == ["title", "content"]
    for title in ["<b>second</b>", "a & b", ""]:
        variables = {"name": "site", "root": "../", "title": title}
        assert frame.render(variables) == template.render(variables)
    # What lies outside the holes is the sample's, whatever a page says: the caller
    # frames only pages that agree on it.
    assert "<nav>../</nav>" in frame.render({"name": "x", "root": "/", "title": "t"})


def test_a_frame_needs_the_blocks_it_leaves_out() -> None:
    template = frame_env().get_template("page.html")
    with pytest.raises(ValueError, match=r"page\.html has no block header"):
        Frame(template, {}, ("title", "header"))


def test_a_framed_build_writes_what_a_build_of_whole_pages_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    framed = files(build_demo(tmp_path / "framed", "--internal"))
    monkeypatch.setattr(build, "FRAMED", {})
    assert framed == files(build_demo(tmp_path / "whole", "--internal"))
