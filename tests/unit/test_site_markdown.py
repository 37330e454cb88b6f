"""Markdown in record text: raw HTML off, images as links, only safe link schemes."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsm_as_code.templating.markdown import (
    _MARKDOWN,
    OTHER_SPACE,
    is_safe_link,
    render_markdown,
)


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown("<script>alert(1)</script> and <img src=x onerror=alert(2)>")
    assert html == ("<p>&lt;script&gt;alert(1)&lt;/script&gt; and "
                    "&lt;img src=x onerror=alert(2)&gt;</p>\n")


@pytest.mark.parametrize("target", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd",
])
def test_unsafe_link_schemes_stay_text(target: str) -> None:
    html = render_markdown(f"[click]({target}) and <{target}>")
    assert "href" not in html
    assert f"[click]({target})" in html


def test_a_scheme_cannot_hide_behind_spaces_or_entities() -> None:
    for text in ("[x]( javascript:alert(1))", "[x](java&#x09;script:alert(1))",
                 "[x](&#106;avascript:alert(1))", "[x](java\tscript:alert(1))",
                 "<java\nscript:alert(1)>"):
        for href in _hrefs(render_markdown(text)):
            # What a browser does first: drop tabs and newlines, then read the scheme.
            seen = href.replace("\t", "").replace("\n", "").replace("\r", "").strip()
            assert urlsplit(seen).scheme in ("", "http", "https", "mailto"), (text, href)


def _hrefs(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('href="')[1:]]


@pytest.mark.parametrize(("text", "href"), [
    ("[a](https://example.com/a)", "https://example.com/a"),
    ("[b](http://example.com/b)", "http://example.com/b"),
    ("[c](mailto:ops@example.com)", "mailto:ops@example.com"),
    ("[d](../incidents/INC-1.html)", "../incidents/INC-1.html"),
    ("<https://example.com/e>", "https://example.com/e"),
])
def test_safe_links_are_links_that_send_no_referrer(text: str, href: str) -> None:
    html = render_markdown(text)
    assert f'<a href="{href}" rel="nofollow noopener noreferrer">' in html


def test_images_become_links_so_no_page_loads_a_remote_picture() -> None:
    html = render_markdown("![pixel](https://tracker.example/p.gif)")
    assert "<img" not in html
    assert '<a href="https://tracker.example/p.gif"' in html


def test_headings_are_shifted_under_the_page_outline() -> None:
    html = render_markdown("# Review\n\n## Impact\n\n###### Deep", heading_shift=2)
    assert "<h3>Review</h3>" in html and "<h4>Impact</h4>" in html
    assert "<h6>Deep</h6>" in html


def test_tables_render() -> None:
    html = render_markdown("| a | b |\n| - | - |\n| 1 | 2 |")
    assert "<table>" in html and "<td>2</td>" in html


def test_is_safe_link() -> None:
    assert is_safe_link("https://x") and is_safe_link("x/y.html") and is_safe_link("#top")
    assert not is_safe_link("javascript:x") and not is_safe_link("ftp://x")


@settings(max_examples=3000, deadline=None)
@given(st.text(max_size=60))
def test_plain_text_shortcut_writes_what_the_parser_writes(text: str) -> None:
    assert str(render_markdown(text)) == _MARKDOWN.render(text, {"shift": 0})


@settings(max_examples=3000, deadline=None)
@given(st.text(st.sampled_from(list("ab 1.\n-#>\"'():/=+*_\u00a0\u2028\t")), max_size=40))
def test_plain_text_shortcut_on_markdown_like_text(text: str) -> None:
    assert str(render_markdown(text)) == _MARKDOWN.render(text, {"shift": 0})


def test_the_other_whitespace_is_all_that_str_isspace_knows_but_space_and_newline() -> None:
    listed = re.compile(f"[{OTHER_SPACE}]")
    every = [chr(code) for code in range(0x110000)]
    assert [c for c in every if listed.match(c)] == [
        c for c in every if c.isspace() and c not in " \n"]
