"""Extra sections (the SLA dashboard, KPI report and access review hook)."""

from __future__ import annotations

from pathlib import Path

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.site import sections
from itsm_as_code.site.build import BuildOptions, build_site
from itsm_as_code.store.repository import load_repository
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import example_repo
from tests.site_helpers import NOW, access_review, files

PROVIDERS = {"access": "tests.site_helpers:access_review", "sla": "tests.site_helpers:no_data"}


def test_providers_with_data_become_sections() -> None:
    found = sections.collect(None, parse_timestamp(NOW), PROVIDERS)  # type: ignore[arg-type]
    assert [s.slug for s in found] == ["access-review"]
    assert sections.shown(found, internal=False) == []
    assert sections.shown(found, internal=True) == found


def test_a_section_is_a_page_of_the_internal_build_only(tmp_path: Path) -> None:
    repo = load_repository(load_config(example_repo(tmp_path / "repo")))
    extra = [access_review(repo, None)]
    now = parse_timestamp(NOW)
    build_site(repo, BuildOptions(tmp_path / "internal", now, internal=True), extra)
    page = (tmp_path / "internal/sections/access-review.html").read_text()
    assert "PLANT_ACCESS_SUBJECT@leak.example" in page
    assert '<a href="../services/web.html">payments readers</a>' in page
    assert '<span class="status tone-bad">' in page and "<td>\u2013</td>" in page
    assert 'href="sections/access-review.html"' in (tmp_path / "internal/index.html").read_text()
    build_site(repo, BuildOptions(tmp_path / "public", now), extra)
    public = files(tmp_path / "public")
    assert not any(b"PLANT_ACCESS" in data or b"access-review" in data
                   for data in public.values())


def test_a_section_slug_must_be_a_file_name(tmp_path: Path) -> None:
    repo = load_repository(load_config(example_repo(tmp_path / "repo")))
    bad = sections.Section("../escape", "Bad")
    with pytest.raises(ValueError, match="slug"):
        build_site(repo, BuildOptions(tmp_path / "out", parse_timestamp(NOW), internal=True),
                   [bad])
