"""Nothing internal reaches a public build, and hostile text only ever shows as text.

Unique strings are planted in every place a public build must not show (see
examples/site/planted/README.md); every file the build writes is scanned for each of
them. The internal build is scanned too, to show the strings are there to be found.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.helpers import example_repo
from tests.site_helpers import SITE_EXAMPLES, build, files, parse

# Never in a public build; the internal build shows each (access records excepted).
INTERNAL = ["PLANT_SVC_NAME", "PLANT_SVC_DESC", "PLANT_GROUP", "plant-ledger",
            "PLANT_INC_TITLE", "PLANT_INC_MSG", "INC-0101", "PLANT_ENTRY", "PLANT_INC_DESC",
            "plant-category-x", "PLANT_AUTHOR_NAME", "PLANT_PROBLEM", "PLANT_ROOT_CAUSE",
            "PRB-0101", "PLANT_KE", "PLANT_SYMPTOM", "PLANT_WORKAROUND", "KE-0101",
            "PLANT_MAINT", "MNT-0101", "PLANT_MAINT_ENTRY", "plant-author@leak.example",
            "plant-team"]
# Access data: on the internal build's access review page only.
ACCESS = ["plant-sys", "plant_role_x", "plant-policy", "PLANT_ACCESS_TICKET"]
# Never in any build: people's and teams' own e-mail fields, and what the access review
# does not show of access records (system names, connections, justifications).
NEVER = ["plant-team@leak.example", "PLANT_TEAM_NAME", "PLANT_SYSTEM", "PLANT_DSN_ENV",
         "PLANT_JUSTIFY", "ada@example.com"]
PUBLIC = ["PUBLIC_OK_TITLE", "PUBLIC_OK_UPDATE", "PUBLIC_OK_RESOLVED", "PUBLIC_OK_POSTMORTEM",
          "PUBLIC_OK_MAINT", "PUBLIC_OK_MAINT_DESC", "PUBLIC_OK_MAINT_ENTRY"]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("planted")
    repo = example_repo(root / "repo", SITE_EXAMPLES / "planted")
    return {"public": files(build(repo, root / "public")),
            "internal": files(build(repo, root / "internal", "--internal"))}


def _holding(site: dict[str, bytes], text: str) -> list[str]:
    needle = text.encode()
    return [path for path, data in site.items() if needle in data or needle.lower() in
            data.lower()]


@pytest.mark.parametrize("text", INTERNAL + ACCESS + NEVER)
def test_nothing_internal_is_in_any_file_of_the_public_build(
        planted: dict[str, dict[str, bytes]], text: str) -> None:
    assert _holding(planted["public"], text) == []


@pytest.mark.parametrize("text", INTERNAL)
def test_the_internal_build_shows_it(planted: dict[str, dict[str, bytes]], text: str) -> None:
    assert _holding(planted["internal"], text) != []


@pytest.mark.parametrize("text", ACCESS)
def test_access_data_is_on_the_access_review_page_only(
        planted: dict[str, dict[str, bytes]], text: str) -> None:
    assert _holding(planted["internal"], text) == ["sections/access-review.html"]


@pytest.mark.parametrize("text", NEVER)
def test_e_mail_and_access_records_are_in_no_build(planted: dict[str, dict[str, bytes]],
                                                   text: str) -> None:
    assert _holding(planted["internal"], text) == []


@pytest.mark.parametrize("text", PUBLIC)
def test_what_is_public_is_published(planted: dict[str, dict[str, bytes]], text: str) -> None:
    assert _holding(planted["public"], text) != []


def test_internal_incidents_do_not_colour_public_uptime(
        planted: dict[str, dict[str, bytes]]) -> None:
    public = json.loads(planted["public"]["api/v2/components.json"])
    internal = json.loads(planted["internal"]["api/v2/components.json"])
    status = {c["id"]: c["status"] for c in public["components"]}
    assert status["web"] == "operational"
    assert {c["id"]: c["status"] for c in internal["components"]}["web"] == "major_outage"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("hostile")
    repo = example_repo(root / "repo", SITE_EXAMPLES / "hostile")
    return {"public": files(build(repo, root / "public")),
            "internal": files(build(repo, root / "internal", "--internal"))}


@pytest.mark.parametrize("build_kind", ["public", "internal"])
def test_hostile_text_is_shown_as_text(hostile: dict[str, dict[str, bytes]],
                                       build_kind: str) -> None:
    site = hostile[build_kind]
    scripts = {"static/filter.js"} if build_kind == "internal" else set()
    for path, data in site.items():
        if path.endswith(".html"):
            for tag, attrs in parse(data).tags:
                assert tag not in ("iframe", "object", "embed", "img", "style"), path
                assert tag != "svg" or attrs.get("class") == "icon", (path, attrs)
                assert not [a for a in attrs if a.startswith("on")], (path, tag, attrs)
                for name in ("href", "src", "action", "formaction"):
                    value = attrs.get(name, "").strip().lower()
                    assert not value.startswith(("javascript:", "data:", "vbscript:")), path
                if tag == "script":
                    assert "../" * path.count("/") + "static/filter.js" == attrs["src"], path
                    scripts.discard("static/filter.js")
        elif path.endswith((".svg", ".atom")):
            tree = ET.fromstring(data)
            for element in tree.iter():
                assert not element.tag.endswith(("script", "foreignObject")), path
                assert not [a for a in element.attrib if a.startswith("on")], path
    assert scripts == set()


def test_the_text_is_there_escaped(hostile: dict[str, dict[str, bytes]]) -> None:
    page = hostile["public"]["incidents/INC-0666.html"].decode()
    assert "<h1>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Hostile incident</h1>" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "[click me](javascript:alert(2))" in page
    assert '<a href="https://example.com/ok" rel="nofollow noopener noreferrer">' in page
    assert '<a href="mailto:help@example.com"' in page
    feed = ET.fromstring(hostile["public"]["feed.atom"])
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "<script>alert('title')</script> Hostile incident" in titles
