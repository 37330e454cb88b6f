"""The status site in a real browser: Debian's Chromium in headless mode, driven by
Playwright (never Playwright's own browser download), the site served on 127.0.0.1.

The index renders without console errors (served, and from file://), every internal
link of every page resolves, the layout holds at phone and desktop widths in light and
dark mode, axe-core finds no serious or critical accessibility violation, the known
error search filters with JavaScript and shows everything without it, and hostile
record text never runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.helpers import example_repo
from tests.site_helpers import SITE_EXAMPLES, build, build_demo, links, parse, serve

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

if not CHROMIUM.exists():
    # CI installs Debian's chromium (.ci/run); a missing browser there is a failure.
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium",
                    pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("browser")
    hostile = example_repo(root / "hostile-repo", SITE_EXAMPLES / "hostile")
    return {"public": build_demo(root / "public"),
            "internal": build_demo(root / "internal", "--internal"),
            "hostile": build(hostile, root / "hostile", "--internal")}


@pytest.fixture(scope="module")
def urls(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    with ExitStack() as stack:
        yield {name: stack.enter_context(serve(folder)) for name, folder in sites.items()}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Visit:
    """A page opened in a fresh context, with every console error, page error, failed
    request, HTTP error and dialog that happened while it loaded."""

    def __init__(self, browser: Any, url: str, **options: Any) -> None:
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning")
                     and self.problems.append(f"console {m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        # A request cut short by the next navigation (the favicon, often) is not a fault;
        # a missing file shows as its HTTP status.
        self.page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"
                     and self.problems.append(f"failed: {r.url}: {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400
                     and self.problems.append(f"HTTP {r.status}: {r.url}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"),
                                          d.dismiss()))
        self.page.goto(url, wait_until="load")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_(url: str, **options: Any) -> Visit:
        opened.append(Visit(browser, url, **options))
        return opened[-1]

    yield open_
    for page in opened:
        page.close()


def _styled(page: Any) -> bool:
    """True when the site's stylesheet applied (its background, not the browser's white)."""
    colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
    return colour in ("rgb(246, 248, 250)", "rgb(13, 17, 23)")


@pytest.mark.parametrize("name", ["public", "internal"])
def test_the_index_renders_without_console_errors(visit: Any, urls: dict[str, str],
                                                  name: str) -> None:
    seen = visit(f"{urls[name]}index.html")
    assert seen.problems == []
    assert _styled(seen.page)
    assert seen.page.inner_text("h1") == "Minor Service Outage"
    assert seen.page.locator(".service").count() == (9 if name == "public" else 12)


def test_the_site_works_from_disk(visit: Any, sites: dict[str, Path]) -> None:
    seen = visit((sites["public"] / "index.html").as_uri())
    assert seen.problems == []
    assert _styled(seen.page)
    seen.page.click("text=Settlement reports for 20 November not yet available >> nth=0")
    # The click starts a navigation: wait until the new page and its stylesheet loaded.
    seen.page.wait_for_url("**/incidents/INC-0025.html")
    seen.page.wait_for_load_state("load")
    assert _styled(seen.page) and seen.problems == []


@pytest.mark.parametrize("name", ["public", "internal"])
def test_every_internal_link_of_every_page_resolves(sites: dict[str, Path], name: str) -> None:
    site = sites[name]
    pages = {p.relative_to(site).as_posix(): parse(p.read_bytes())
             for p in site.rglob("*.html")}
    broken = []
    checked = 0
    for path, page in pages.items():
        for link in links(page):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            base = PurePosixPath("/") if link.startswith("/") else PurePosixPath(path).parent
            target = os.path.normpath(str(base / unquote(parts.path))).lstrip("/")
            target = target if parts.path else path
            checked += 1
            if not (site / target).is_file():
                broken.append(f"{path}: {link}")
            elif parts.fragment and parts.fragment not in pages[target].ids:
                broken.append(f"{path}: {link} (no #{parts.fragment})")
    assert broken == []
    assert checked > 10 * len(pages)  # the header and footer alone link ten times


def test_every_page_of_the_public_site_loads_cleanly(visit: Any, urls: dict[str, str],
                                                     sites: dict[str, Path]) -> None:
    seen = visit(f"{urls['public']}index.html")
    problems = []
    for page in sorted(sites["public"].rglob("*.html")):
        path = page.relative_to(sites["public"]).as_posix()
        seen.problems.clear()
        seen.page.goto(f"{urls['public']}{path}", wait_until="load")
        problems += [f"{path}: {problem}" for problem in seen.problems]
        if not _styled(seen.page):
            problems.append(f"{path}: unstyled")
    assert problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "days"), [(PHONE, 30), (DESKTOP, 90)])
@pytest.mark.parametrize("path", ["index.html", "incidents/INC-0011.html",
                                  "services/webhooks.html", "history/2026-11.html"])
def test_the_layout_holds_on_phones_and_desktops(visit: Any, urls: dict[str, str], path: str,
                                                 width: dict[str, int], days: int,
                                                 scheme: str) -> None:
    seen = visit(f"{urls['public']}{path}", viewport=width, color_scheme=scheme)
    page = seen.page
    assert page.evaluate("document.documentElement.scrollWidth") <= width["width"]
    main = page.locator("main").bounding_box()
    assert main["x"] >= 0 and main["x"] + main["width"] <= width["width"]
    assert page.locator("h1").first.is_visible()
    bars = page.locator(".bars").first
    if bars.count():
        shown = bars.locator(".d").evaluate_all(
            "days => days.filter(d => getComputedStyle(d).display !== 'none').length")
        assert shown == days
        box = bars.bounding_box()
        assert box["width"] / days >= 3  # each day wide enough to see (and to touch)
    assert seen.problems == []


AXE = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
AXE_PAGES = [
    ("public", "index.html"), ("public", "incidents/INC-0011.html"),
    ("public", "incidents/INC-0025.html"), ("public", "services/settlement-reports.html"),
    ("public", "maintenance/MNT-0002.html"), ("public", "history.html"),
    ("public", "history/2026-09.html"), ("public", "404.html"),
    ("public", "subscribe.html"), ("public", "maintenance.html"),
    ("internal", "sections/sla.html"),
    ("internal", "index.html"), ("internal", "incidents/INC-0023.html"),
    ("internal", "problems.html"), ("internal", "problems/PRB-0001.html"),
    ("internal", "known-errors.html"), ("internal", "known-errors/KE-0002.html"),
    ("internal", "sections/access-review.html"),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("name", "path"), AXE_PAGES)
def test_axe_finds_no_serious_accessibility_problem(visit: Any, urls: dict[str, str],
                                                    name: str, path: str,
                                                    scheme: str) -> None:
    # axe is injected from outside the page: the site's own policy forbids inline scripts.
    seen = visit(f"{urls[name]}{path}", color_scheme=scheme, bypass_csp=True)
    seen.page.add_script_tag(content=AXE)
    result = seen.page.evaluate("async () => await axe.run(document, "
                                "{resultTypes: ['violations']})")
    serious = [f"{v['id']} ({v['impact']}): {v['help']}: "
               f"{[n['target'] for n in v['nodes']][:5]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert result["testEngine"]["name"] == "axe-core"


def test_known_error_search_filters_as_you_type(visit: Any, urls: dict[str, str]) -> None:
    seen = visit(f"{urls['internal']}known-errors.html")
    page = seen.page
    entries = page.locator("#kedb [data-text]")
    assert page.locator("#kedb-search").is_visible()
    page.fill("#kedb-search", "partition")
    assert [e.get_attribute("data-text")[:7] for e in entries.all() if e.is_visible()] == [
        "ke-0002"]
    assert page.inner_text("#kedb-count") == "1 of 3 known errors"
    page.fill("#kedb-search", "")
    assert sum(e.is_visible() for e in entries.all()) == 3
    assert seen.problems == []


def test_known_error_search_without_javascript_shows_everything(visit: Any,
                                                                urls: dict[str, str]) -> None:
    seen = visit(f"{urls['internal']}known-errors.html", java_script_enabled=False)
    page = seen.page
    assert not page.locator("#kedb-search").is_visible()
    assert sum(e.is_visible() for e in page.locator("#kedb [data-text]").all()) == 3
    page.click("#kedb summary >> nth=0")
    assert page.locator("text=kubectl -n payments rollout restart").is_visible()


@pytest.mark.parametrize("path", ["index.html", "incidents/INC-0666.html",
                                  "services/evil.html", "maintenance/MNT-0666.html",
                                  "known-errors.html", "known-errors/KE-0666.html"])
def test_hostile_text_never_runs(visit: Any, urls: dict[str, str], path: str) -> None:
    seen = visit(f"{urls['hostile']}{path}")
    page = seen.page
    # Event handlers, had any slipped through, would fire on these.
    page.evaluate("""() => document.querySelectorAll('body *').forEach(element => {
        for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'load']) {
            element.dispatchEvent(new Event(type, {cancelable: true}));
        }
    })""")
    assert seen.problems == []
    assert page.evaluate("document.querySelectorAll('script:not([src]), iframe, img').length") \
        == 0


def test_long_unbroken_text_does_not_widen_a_phone_page(visit: Any, urls: dict[str, str]) -> None:
    seen = visit(f"{urls['hostile']}incidents/INC-0666.html", viewport=PHONE)
    assert seen.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
