"""The subscribe page, the maintenance list and the month pages' links, as the demo's
public site builds them.

Every way in is offered by name (a feed per service), the calendar by webcal:// and
https, and the Channel and Subscription examples on the page are records `itsm validate`
accepts as they are.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from tests.helpers import copy_demo, run_itsm
from tests.site_helpers import build, build_demo, links, parse

REPOSITORY = "https://github.com/northwind-payments/itsm"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("subscribe") / "public")


def _page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def _examples(page: str) -> dict[str, str]:
    """Path -> YAML of every example file on the page."""
    found = re.findall(r'<p class="file"><code>([^<]+)</code></p>\n<pre><code>(.*?)</code>'
                       r'</pre>', page, re.DOTALL)
    return {path: html.unescape(text) for path, text in found}


def test_every_page_links_to_the_subscribe_page(site: Path) -> None:
    for path in ("index.html", "history.html", "incidents/INC-0011.html"):
        hrefs = links(parse((site / path).read_bytes()))
        assert any(h.endswith("subscribe.html") for h in hrefs), path
    nav = re.search(r'<nav aria-label="Site">.*?</nav>', _page(site, "index.html"), re.DOTALL)
    assert nav is not None and '<a href="subscribe.html">Subscribe</a>' in nav.group(0)


def test_the_page_offers_a_feed_per_service_by_name(site: Path) -> None:
    page = _page(site, "subscribe.html")
    assert '<a href="feed.atom">Every incident on Northwind Payments Status</a>' in page
    assert '<a href="services/card-processing.atom">Card Processing</a>' in page
    feeds = re.findall(r'<a href="services/([a-z-]+)\.atom">', page)
    assert sorted(feeds) == sorted(p.stem for p in (site / "services").glob("*.atom"))


def test_the_calendar_is_offered_by_webcal_and_https(site: Path) -> None:
    page = _page(site, "subscribe.html")
    assert ('href="webcal://status.northwind-payments.example/maintenance.ics">Add to your '
            'calendar</a>') in page
    assert "https://status.northwind-payments.example/maintenance.ics" in page
    assert (site / "maintenance.ics").is_file()


def test_the_examples_are_records_itsm_accepts(site: Path, tmp_path: Path) -> None:
    examples = _examples(_page(site, "subscribe.html"))
    assert len(examples) == 6
    kinds = sorted(yaml.safe_load(text)["kind"] for text in examples.values())
    assert kinds == ["Channel"] * 3 + ["Subscription"] * 3
    repo = copy_demo(tmp_path / "demo")
    for path, text in examples.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text, encoding="utf-8")
    result = run_itsm("validate", *examples, cwd=repo)
    assert result.code == 0, result.stdout + result.stderr


def test_without_a_repository_no_issue_links(site: Path) -> None:
    page = _page(site, "subscribe.html")
    assert "/issues/new" not in page
    assert "ask the people who run this status page to add it" in page


def test_with_a_repository_the_page_links_to_an_issue_and_the_folder(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "demo")
    settings = repo / "itsm.yaml"
    settings.write_text(settings.read_text().replace(
        "  base_url:", f"  repository: {REPOSITORY}/\n  base_url:"), encoding="utf-8")
    page = _page(build(repo, tmp_path / "site"), "subscribe.html")
    assert f'<a href="{REPOSITORY}/tree/HEAD/records">add both files in a pull request</a>' \
        in page
    issues = [html.unescape(h) for h in re.findall(r'href="([^"]+/issues/new\?[^"]+)"', page)]
    assert len(issues) == 3
    query = parse_qs(urlsplit(issues[0]).query)
    assert query["title"] == ["Subscribe: a webhook"]
    assert "records/subscriptions/my-webhook-status.yaml" in query["body"][0]
    assert yaml.safe_load(query["body"][0].split("```yaml\n")[1].split("```")[0])[
        "kind"] == "Channel"


def test_the_maintenance_list_has_every_window_in_its_place(site: Path) -> None:
    page = _page(site, "maintenance.html")
    upcoming = page.index('id="upcoming-title"')
    past = page.index('id="past-title"')
    assert upcoming < page.index("maintenance/MNT-0002.html") < past
    assert page.index("maintenance/MNT-0001.html") > past
    assert 'href="maintenance.html"' in _page(site, "index.html")


def test_month_pages_link_to_the_months_before_and_after(site: Path) -> None:
    october = _page(site, "history/2026-10.html")
    assert '<a rel="prev" href="../history/2026-09.html">← September 2026</a>' in october
    assert '<a rel="next" href="../history/2026-11.html">November 2026 →</a>' in october
    months = sorted(p.stem for p in (site / "history").glob("*.html"))
    assert 'rel="prev"' not in _page(site, f"history/{months[0]}.html")
    assert 'rel="next"' not in _page(site, f"history/{months[-1]}.html")
