"""Extra sections (the SLA dashboard, KPI report and access review hook)."""

from __future__ import annotations

from pathlib import Path

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.model.context import RunContext
from itsm_as_code.site import sections
from itsm_as_code.site.build import BuildOptions, build_site
from itsm_as_code.store.repository import load_repository
from itsm_as_code.templating.sections import Section, State
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import example_repo
from tests.site_helpers import BUILT_AT, access_review, files

PROVIDERS = {"access": "tests.site_helpers:access_review", "sla": "tests.site_helpers:no_data"}


def test_providers_with_data_become_sections() -> None:
    found = sections.collect(None, PROVIDERS)  # type: ignore[arg-type]
    assert [s.slug for s in found] == ["access-review"]
    assert sections.shown(found, internal=False) == []
    assert sections.shown(found, internal=True) == found


def test_a_section_is_a_page_of_the_internal_build_only(tmp_path: Path) -> None:
    repo = load_repository(load_config(example_repo(tmp_path / "repo")))
    ctx = RunContext(repo, parse_timestamp(BUILT_AT))
    extra = [access_review(ctx)]
    build_site(ctx, BuildOptions(tmp_path / "internal", internal=True), extra)
    page = (tmp_path / "internal/sections/access-review.html").read_text()
    assert "PLANT_ACCESS_SUBJECT@leak.example" in page
    assert '<a href="../services/web.html">payments readers</a>' in page
    assert '<span class="status tone-bad">' in page
    assert '<td data-label="subject"><span>\u2013</span></td>' in page
    assert 'href="sections/access-review.html"' in (tmp_path / "internal/index.html").read_text()
    build_site(ctx, BuildOptions(tmp_path / "public"), extra)
    public = files(tmp_path / "public")
    assert not any(b"PLANT_ACCESS" in data or b"access-review" in data
                   for data in public.values())


def test_a_section_slug_must_be_a_file_name(tmp_path: Path) -> None:
    repo = load_repository(load_config(example_repo(tmp_path / "repo")))
    bad = Section("../escape", "Bad")
    with pytest.raises(ValueError, match="slug"):
        build_site(RunContext(repo, parse_timestamp(BUILT_AT)),
                   BuildOptions(tmp_path / "out", internal=True), [bad])


def test_the_access_review_lists_every_account_the_policies_reach(tmp_path: Path) -> None:
    from itsm_as_code.access.site import review_section
    from tests import access_records as access

    readers = access.policy("readers", "db", "app_readers", [
        access.grant("ops"), access.grant("dan", expires=access.PAST), access.grant("cleo"),
        access.grant("eve", expires="2026-11-30T00:00:00Z"), access.grant("mallory", by="mallory"),
    ])
    root = access.write_repo(tmp_path / "repo", access.system("db", "postgres", {"dsn_env": "X"}),
                             readers)
    section = review_section(access.context(root))
    assert section is not None and section.slug == "access-review" and not section.public
    assert [(f.label, f.value, f.tone) for f in section.figures] == [
        ("granted", "2", "ok"), ("expires within 14 days", "1", "warn"),
        ("grant expired", "1", "bad"), ("the person has left", "1", "bad"),
        ("approver is not an owner, or approved their own access", "1", "bad")]
    rows = section.tables[0].rows
    assert [(row[2], row[3], row[4]) for row in rows] == [
        ("ada", "Ada", State("granted", "ok")),
        ("ben_ops", "Ben", State("granted", "ok")),
        ("cleo", "Cleo", State("left", "bad")),
        ("dan", "Dan", State("expired", "bad")),
        ("eve", "Eve", State("expiring", "warn")),
        ("mallory", "Mallory", State("unauthorised", "bad"))]
    # People by name and days as the site shows them; accounts and roles as the system
    # knows them.
    assert rows[3] == ("db", "app_readers", "dan", "Dan", State("expired", "bad"),
                       "readers", "Olga", "1 Oct 2026", 52, "1 Nov 2026", None)


def test_no_access_policies_no_access_review(tmp_path: Path) -> None:
    from itsm_as_code.access.site import review_section
    from tests import access_records as access

    root = access.write_repo(tmp_path / "repo", access.system("db", "postgres", {}))
    ctx = access.context(root)
    assert ctx.repo.of_kind("System") and not ctx.repo.of_kind("AccessPolicy")
    assert review_section(ctx) is None


def test_the_demo_internal_build_has_the_access_review(tmp_path: Path) -> None:
    from tests.site_helpers import build_demo

    internal = build_demo(tmp_path / "internal", "--internal")
    page = (internal / "sections/access-review.html").read_text()
    assert "<caption>Accounts by system and role</caption>" in page
    assert 'href="sections/access-review.html"' in (internal / "index.html").read_text()
    public = build_demo(tmp_path / "public")
    assert not (public / "sections").exists()


def test_sections_from_a_second_process_are_the_same(tmp_path: Path) -> None:
    repo = load_repository(load_config(example_repo(tmp_path / "repo")))
    ctx = RunContext(repo, parse_timestamp(BUILT_AT))
    here = sections.start_collect(ctx, PROVIDERS)()
    # A second process even for a few records.
    there = sections.start_collect(ctx, PROVIDERS, parallel_from=0)()
    assert there == here == sections.collect(ctx, PROVIDERS)
    assert [s.slug for s in here] == ["access-review"]
