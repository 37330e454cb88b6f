"""SVG badges: measured text, the status words, escaped names, well-formed SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from itsm_as_code.config import load_config
from itsm_as_code.model.context import RunContext
from itsm_as_code.site.badges import COLOURS, Badge, text_width
from itsm_as_code.site.build import BuildOptions, build_site
from itsm_as_code.store.repository import load_repository
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import example_repo
from tests.site_helpers import BUILT_AT, SITE_EXAMPLES

SVG = "{http://www.w3.org/2000/svg}"


def test_text_width_grows_with_the_text_and_wide_letters() -> None:
    assert text_width("") == 0
    assert text_width("iiii") < text_width("aaaa") < text_width("MMMM")
    badge = Badge("badges/x.svg", "status", "operational", COLOURS["operational"])
    assert badge.width == badge.label_width + badge.message_width
    assert badge.message_width > badge.label_width


def test_badges_of_a_site(tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo", SITE_EXAMPLES / "hostile")
    repo = load_repository(load_config(root))
    out = tmp_path / "site"
    build_site(RunContext(repo, parse_timestamp(BUILT_AT)), BuildOptions(out))
    names = sorted(p.relative_to(out / "badges").as_posix()
                   for p in (out / "badges").rglob("*.svg"))
    assert names == ["services/api.svg", "services/evil.svg", "services/web.svg",
                     "status.svg", "uptime/api.svg", "uptime/evil.svg", "uptime/web.svg"]
    evil = ET.parse(out / "badges/services/evil.svg").getroot()
    assert evil.get("aria-label") == '"><svg onload=alert(4)> Evil service: major outage'
    assert not [e for e in evil.iter() if e.tag != f"{SVG}svg" and e.tag.endswith("svg")]
    assert not [k for e in evil.iter() for k in e.attrib if k.startswith("on")]
    status = ET.parse(out / "badges/status.svg").getroot()
    assert status.findtext(f"{SVG}title") == "Example Ltd Status: partial system outage"
    uptime = ET.parse(out / "badges/uptime/api.svg").getroot()
    assert uptime.findtext(f"{SVG}title") == "Public API uptime: 100.00%"
