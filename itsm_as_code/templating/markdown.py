"""Markdown in record text (timeline messages, postmortems, workarounds) as safe HTML.

Record text comes from pull requests, so the renderer trusts none of it: raw HTML is off
(a `<script>` written in a message shows as text), images become plain links (a page
never loads anything from another site), and a link keeps its target only when it is
relative or uses http, https or mailto; `javascript:` and every other scheme render as
the literal text that was written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from markupsafe import Markup

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")

# Text that markdown could read as more than one plain paragraph. Most timeline
# messages are plain sentences; they skip the parser (a large site has ~60,000 of them)
# and come out byte for byte as the parser would write them (a property test checks).
# The check is one character class, two substrings and the starts of lines, rather
# than one regular expression with anchors, which tried every alternative at every
# character (6.5 us a message, against 1.4 us).
# Whitespace other than space and newline, as str.isspace reads it (a test holds this
# list to it): tabs and the other characters markdown reads as whitespace or breaks.
OTHER_SPACE = "\t\r\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SYNTAX = re.compile(rf"[\\`*_\[\]<>!|~&\x00{OTHER_SPACE}]")  # inline syntax, entities, NUL
_LINE_START = r"[ #>=+-]|\d{1,9}[.)]"  # indentation, headings, quotes, setext lines, lists
_FIRST_LINE = re.compile(_LINE_START)
_OTHER_LINES = re.compile(rf"\n(?:{_LINE_START})")


def _needs_parser(text: str) -> bool:
    return bool(_SYNTAX.search(text) or " \n" in text or "\n\n" in text  # breaks, paragraphs
                or _FIRST_LINE.match(text) or _OTHER_LINES.search(text))


def is_safe_link(url: str) -> bool:
    """True for a relative link or one with a scheme in SAFE_SCHEMES.

    markdown-it percent-encodes the target before asking, so whitespace and control
    characters cannot hide a scheme from this check.
    """
    scheme = _SCHEME.match(url)
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False})
    parser.enable("table").disable("image")
    parser.validateLink = is_safe_link  # type: ignore[method-assign]
    parser.add_render_rule("link_open", _link_open)
    parser.add_render_rule("heading_open", _heading)
    parser.add_render_rule("heading_close", _heading)
    return parser


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
               env: dict[str, Any]) -> str:
    # Links in records point away from the status page: no referrer, no ranking credit.
    tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
    result: str = self.renderToken(tokens, idx, options, env)
    return result


def _heading(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
             env: dict[str, Any]) -> str:
    # A postmortem's `# Title` sits under the page's own headings: shift its level so
    # the outline of the page stays in order.
    token = tokens[idx]
    level = min(6, int(token.tag[1]) + int(env.get("shift", 0)))
    token.tag = f"h{level}"
    result: str = self.renderToken(tokens, idx, options, env)
    return result


_MARKDOWN = _parser()


def render_markdown(text: str, heading_shift: int = 0) -> Markup:
    """Safe HTML for markdown `text`; headings go `heading_shift` levels deeper."""
    if not _needs_parser(text):
        plain = text.strip()
        return Markup("<p>" + plain.replace('"', "&quot;") + "</p>\n") if plain else Markup()
    return Markup(_MARKDOWN.render(text, {"shift": heading_shift}))
