"""The pages engineers and stakeholders read on a phone and a laptop, in Chromium at 390
and 1366 px: the SLA dashboard, the access review, the KPI report (`itsm report --format
html`), the service desk's catalogue and queue, the subscribe page and the maintenance
list. Nothing is wider than the screen unless it sits in a box made to scroll, and no
table cell is narrower than its longest word (which the browser would otherwise cut in
the middle). A screenshot of each is saved in the test's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

# The browser and the page visits of the status site's browser tests (skipped, or failed
# in CI, where Chromium is missing); imported for pytest to find them as fixtures.
from tests.acceptance.test_site_browser import browser, visit  # noqa: F401
from tests.helpers import DEMO, run_itsm
from tests.site_helpers import BUILT_AT, build_demo, serve

pytestmark = pytest.mark.browser
WIDTHS = [390, 1366]
PAGES = [("internal", "sections/sla.html"), ("internal", "sections/access-review.html"),
         ("report", "report.html"), ("public", "catalogue.html"),
         ("internal", "queue.html"), ("public", "subscribe.html"),
         ("public", "maintenance.html"), ("public", "history/2026-10.html")]

# Elements reaching past the right edge of the window, other than inside a box that
# scrolls sideways (a wide table or chart on a phone).
OVERFLOWING = """() => {
    const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
    const found = [];
    for (const element of document.body.querySelectorAll('*')) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.right <= window.innerWidth + 0.5) continue;
        let parent = element.parentElement, inside = false;
        for (; parent && parent !== document.body; parent = parent.parentElement) {
            if (scrolls(parent)) { inside = true; break; }
        }
        if (!inside) found.push(element.tagName + '.' + element.className + ': ' +
                                Math.round(box.right));
    }
    return found.slice(0, 10);
}"""

# Table cells whose content box is narrower than the widest word in them, each word
# measured in the font it is drawn in.
NARROW_CELLS = """() => {
    const canvas = document.createElement('canvas').getContext('2d');
    const found = [];
    for (const cell of document.querySelectorAll('td, th')) {
        const style = getComputedStyle(cell);
        const room = cell.clientWidth - parseFloat(style.paddingLeft)
                     - parseFloat(style.paddingRight);
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            canvas.font = getComputedStyle(node.parentElement).font;
            for (const word of node.textContent.split(/\\s+/).filter(Boolean)) {
                const width = canvas.measureText(word).width;
                if (width > room + 1) found.push(`${word}: ${Math.round(width)} > ${room}`);
            }
        }
    }
    return found.slice(0, 10);
}"""


@pytest.fixture(scope="module")
def urls(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("readable")
    report = root / "report"
    report.mkdir()
    result = run_itsm("report", "--format", "html", "--now", BUILT_AT, cwd=DEMO)
    assert result.code == 0, result.stderr
    (report / "report.html").write_text(result.stdout, encoding="utf-8")
    # The report is one page with no icon: the browser asks the server's root for one.
    (root / "favicon.ico").write_bytes(b"")
    sites = {"public": build_demo(root / "public"),
             "internal": build_demo(root / "internal", "--internal"), "report": report}
    with serve(root) as url:
        yield {name: f"{url}{folder.name}/" for name, folder in sites.items()}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("site", "path"), PAGES)
def test_the_page_reads_at_phone_and_laptop_widths(visit: Any, urls: dict[str, str],  # noqa: F811
                                                   tmp_path: Path, site: str, path: str,
                                                   width: int) -> None:
    seen = visit(f"{urls[site]}{path}", viewport={"width": width, "height": 900})
    page = seen.page
    page.screenshot(path=str(tmp_path / f"{path.replace('/', '-')}-{width}.png"),
                    full_page=True)
    assert seen.problems == []
    assert page.evaluate("document.scrollingElement.scrollWidth") <= page.evaluate(
        "window.innerWidth")
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate(NARROW_CELLS) == []


def test_times_and_names_are_as_people_read_them(visit: Any,  # noqa: F811
                                                 urls: dict[str, str]) -> None:
    sla = visit(f"{urls['internal']}sections/sla.html").page.inner_text("main")
    assert "22 Nov 2026, 14:20 CET" in sla and "Webhook Delivery" in sla
    assert "2026-11-22T" not in sla
    report = visit(f"{urls['report']}report.html").page.inner_text("body")
    assert "KPIs from 22 Nov 2025, 12:00 CET to 22 Nov 2026, 12:00 CET" in report
    assert "Card Processing" in report and "card-processing" not in report
