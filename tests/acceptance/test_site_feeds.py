"""The Atom feeds parse in a real feed reader library, with stable, unique ids."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from tests.site_helpers import build_demo


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("feeds") / "site")


def test_the_site_feed_parses_and_lists_the_latest_incidents(site: Path) -> None:
    feed = feedparser.parse((site / "feed.atom").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Northwind Payments Status: incidents"
    titles = [entry.title for entry in feed.entries]
    assert titles[0] == "Merchant Dashboard CSV export times out for large date ranges"
    assert "Integration test stage times out in the deploy pipeline" not in titles  # internal
    ids = [entry.id for entry in feed.entries]
    assert len(ids) == len(set(ids)) == 24  # every public incident of the demo
    assert ids[0] == "https://status.northwind-payments.example/incidents/INC-0026.html"
    first = feed.entries[0]
    assert first.link == ids[0]
    assert "<strong>Investigating</strong>" in first.content[0].value
    assert first.updated == "2026-11-22T07:55:00Z"


def test_each_service_has_a_feed_of_its_incidents(site: Path) -> None:
    feed = feedparser.parse((site / "services/webhooks.atom").read_bytes())
    assert feed.bozo == 0
    assert [e.id.rsplit("/", 1)[1] for e in feed.entries] == [
        "INC-0023.html", "INC-0021.html", "INC-0019.html", "INC-0018.html",
        "INC-0005.html"]
    assert all("Webhook Delivery" in e.summary for e in feed.entries)


def test_without_a_base_url_ids_are_stable_urns(tmp_path: Path) -> None:
    from tests.helpers import example_repo
    from tests.site_helpers import build

    repo = example_repo(tmp_path / "repo")
    feeds = [feedparser.parse((build(repo, tmp_path / n) / "feed.atom").read_bytes())
             for n in ("a", "b")]
    assert feeds[0].bozo == 0
    assert [e.id for e in feeds[0].entries] == [e.id for e in feeds[1].entries]
    assert feeds[0].entries[0].id.startswith("urn:uuid:")
    assert feeds[0].entries[0].link == "incidents/INC-0001.html"
