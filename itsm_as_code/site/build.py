"""`itsm site build` as one pipeline, the way mkdocs reads:
config -> records -> views -> templates -> output.

The build reads the run's model: every record is checked against its schema once per
run (a compiled check, a small part of the build), so no template ever meets a record
of an unexpected shape, and a record whose visibility is misspelt cannot slip into the
public build. A file that cannot be read, or a record that fails its schema, stops the
build: nothing is written and the findings are returned. What spans records
(references, time order) is `itsm validate`'s job, run before the site by CI and by
`itsm run`; the build copes with a dangling reference by leaving it out.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from jinja2 import Template

from itsm_as_code.errors import UsageError
from itsm_as_code.findings import Finding
from itsm_as_code.model.context import RunContext
from itsm_as_code.site import manifest, output, sections
from itsm_as_code.site.contexts import variables
from itsm_as_code.site.deskpages import desk_pages
from itsm_as_code.site.options import BuildOptions, BuildResult
from itsm_as_code.site.pagekeys import page_keys
from itsm_as_code.site.pages import Page, SiteInfo, depth_root, plan
from itsm_as_code.site.records import select
from itsm_as_code.site.views import SiteView, build_views
from itsm_as_code.store.repository import collector_paused
from itsm_as_code.templating import environment
from itsm_as_code.templating.frames import Frame
from itsm_as_code.templating.sections import Section

# The options and result live in options.py, for a build answered without this module.
__all__ = ["BuildOptions", "BuildResult", "build_site"]

TEMPLATES = "site/templates"
# Templates rendered as these blocks in a frame made once per folder depth (most of a
# large site; templating/frames.py). Outside the blocks such a page differs from its
# neighbours only by `path`, which base.html reads to mark the navigation's link to the
# page itself: the navigation never links an incident.
FRAMED = {"incident.html": ("title", "content")}
# Characters XML 1.0 forbids. The loader refuses them written raw, but a YAML escape
# ("\x01", "\uFFFE") still brings them in; in a feed or a badge they break the document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTROLS = bytes(c for c in range(32) if c not in (9, 10, 13))  # the C0 part of _NOT_XML


def build_site(ctx: RunContext, options: BuildOptions,
               extra: list[Section] | None = None) -> BuildResult:
    """Build the site of the run's repository, as of the run's `now`, into `options.out`.

    `extra` are the sections to add (see sections.py); None collects them from the
    registered providers for an internal build, and none for a public one.
    """
    with collector_paused():
        return _build(ctx, options, extra)


def _build(ctx: RunContext, options: BuildOptions,
           extra: list[Section] | None) -> BuildResult:
    errors = _shape_errors(ctx)
    if errors:
        return BuildResult(options.out, options.internal, errors)
    previous = manifest.prepare(options.out)
    config = ctx.config
    site = config.site
    base_url = (site.base_url if options.base_url is None else options.base_url).rstrip("/")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise UsageError(f"base URL {base_url!r} must start with http:// or https://")
    collected = (sections.start_collect(ctx, parallel_from=options.parallel_records)
                 if extra is None and options.internal else None)
    zone = ZoneInfo(config.timezone)
    selection = select(ctx.model, options.internal, ctx.now)
    view = build_views(selection, zone, config.availability_weights, list(site.groups))
    templates = _templates(config.timezone)  # compiled while the sections are computed
    if extra is None:
        extra = collected() if collected is not None else []
    info = SiteInfo(
        title=site.title or f"{config.organization} Status",
        description=site.description, organization=config.organization,
        internal=options.internal, base_url=base_url, now=ctx.now,
        sections=sections.shown(extra, options.internal), zone=config.timezone,
        repository=site.repository, records=config.records,
    )
    pages, files = plan(view, info, config.timezone)
    pages[:0] = desk_pages(ctx, info)  # first: incident pages stay the plan's tail
    render = _renderer(pages, view, info, templates)
    written = output.write(options.out, [page.path for page in pages], render, files,
                           previous, options.internal, page_keys(pages, ctx.repo, view, info),
                           parallel_from=options.parallel_pages)
    return BuildResult(options.out, options.internal, [], len(pages), written.files,
                       written.changed, written.removed)


def _shape_errors(ctx: RunContext) -> list[Finding]:
    """The files that could not be read and the records their schema refused (the run's
    one schema check: each kind checked once, and every kind built before the sections'
    process is forked)."""
    found = [f for f in ctx.repo.findings if f.level == "error"]
    return sorted(found + ctx.model.schema_findings())


def _templates(zone: str) -> dict[str, Template]:
    env = environment(TEMPLATES, zone=zone)
    return {name: env.get_template(name) for name in env.list_templates()}


def _renderer(pages: list[Page], view: SiteView, info: SiteInfo,
              templates: dict[str, Template]) -> output.Renderer:
    frames: dict[tuple[str, str], Frame] = {}  # (template, root) -> its frame

    def render(index: int) -> bytes:
        page = pages[index]
        root = depth_root(page.path)
        context = {"site": info, "view": view, "root": root, "path": page.path,
                   **variables(page.context)}
        holes = FRAMED.get(page.template)
        if holes is None:
            text = templates[page.template].render(context)
        else:
            frame = frames.get((page.template, root))
            if frame is None:
                frame = frames[page.template, root] = Frame(templates[page.template],
                                                            context, holes)
            text = frame.render(context)
        data = text.encode("utf-8")
        # A forbidden character is a C0 control byte or U+FFFE/U+FFFF (EF BF BE/BF): one
        # pass of bytes.translate finds a page with neither, at half a regex's cost.
        if len(data.translate(None, _CONTROLS)) != len(data) or b"\xef\xbf" in data:
            text = data.decode("utf-8")
            if _NOT_XML.search(text):
                data = _NOT_XML.sub("\ufffd", text).encode("utf-8")
        return data

    return render
