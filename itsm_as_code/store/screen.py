"""What the compiled parser may read, and which of its results stand.

The compiled parser (yaml-rs, store/fast.py) reads YAML 1.2 with extras of its own:
tags are dropped, `<<` is an ordinary key, aliases are expanded, `0o17`, `0x1F`, `007` and
`1_000` are numbers, `.inf` is a float, keys may be numbers or tuples, and a few
thousand nested levels on one line overflow its stack. The careful loader (yamlsafe)
refuses each of these or keeps it as text. So a text reaches the compiled parser only
when `ordinary` finds none of them, and its result stands only when `plain` finds the
data the careful loader would have built. Any doubt sends the file to the careful loader,
which makes every finding: a false alarm costs speed, never a different answer.
"""

from __future__ import annotations

import re
from typing import Any

# A character the two parsers may read differently, or that the careful loader refuses
# (controls but line feed, tab, carriage return, C1 controls and NEL, LS, PS, byte order marks and
# non-characters), or one that starts a tag, anchor, alias, complex key, directive,
# escape, merge key or flow-collection key, depending on what is around it.
_SUSPECT = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\\\\!&*?%<\\]}]")
# Where a node may start: the start of the text or after these.
_TOKEN_START = frozenset(" \n[]{},:")
_COLON_NEXT = re.compile(r" *:")
# A plain scalar the compiled parser reads as a number and the careful loader as text:
# digits with underscores (YAML 1.1), and a leading zero (`007`, `0o17`, `0x1F`, `0b1`).
# A plain scalar starts a line, follows a space or a flow indicator, or a quoted key's
# colon in a flow mapping (`{"a":007}`).
_OTHER_NUMBER = re.compile(r"[0-9]_|_[0-9]|(?:^|(?<=[\s\[{,])|(?<=[\"']:))[-+]?0\w")
# The flow collections records use, two levels deep at most: `[a, b]`, `{id: x, n: 'y'}`,
# `[{id: x}]`, words or simply quoted text, and nothing after them on the line.
_WORD = r"(?:(?:[A-Za-z0-9_]|[-+.][0-9])[A-Za-z0-9_./+@-]*(?::[A-Za-z0-9_./+@-]+)*)"
_SCALAR = rf"(?:{_WORD}(?: {_WORD})*|\"[^\"\n]*\"|'[^'\n]*')"


def _collections(value: str) -> str:
    return (rf"(?:\{{ *(?:{_SCALAR}: +{value}(?: *, *{_SCALAR}: +{value})*)? *\}}"
            rf"|\[ *(?:{value}(?: *, *{value})*)? *\])")


_FLOW = re.compile(_collections(rf"(?:{_SCALAR}|{_collections(_SCALAR)})") + " *")
# libyaml refuses a key longer than 1,024 characters, and nesting deep enough to
# overflow the compiled parser's stack takes thousands of indicators on one line.
MAX_LINE = 1024
MAX_DEPTH = 64  # as yamllimits.MAX_DEPTH: levels of collections from the top
LARGEST = 10**18  # numbers of at most 18 digits, as yamlsafe.MAX_DIGITS

NOT_PLAIN, PLAIN, WITH_NUMBERS = -1, 0, 1


_BLANK_WITH_SPACES = re.compile(r"^ +\n", re.MULTILINE)


def ordinary(text: str) -> bool:
    """Whether `text` holds nothing the two parsers could read differently."""
    if text.startswith(("---", "...")) or "\n---" in text or "\n..." in text:
        return False  # document markers: several documents, or one the careful path words
    if not text.endswith("\n"):
        return False  # a block scalar at the very end: libyaml keeps no line break, yaml-rs one
    if " \n" in text and _BLANK_WITH_SPACES.search(text):
        return False  # a block scalar of blank lines: libyaml reads '', yaml-rs a line break
    if len(text) > MAX_LINE and max(map(len, text.split("\n"))) > MAX_LINE:
        return False
    if not _flow_on_one_line(text):
        return False
    for found in _SUSPECT.finditer(text):
        char, at = found.group(), found.start()
        before = text[at - 1] if at else "\n"
        if char in "!&*?":
            if before in _TOKEN_START:
                return False
        elif char in "]}":
            if _COLON_NEXT.match(text, at + 1):
                return False
        elif char == "<":
            if text.startswith("<", at + 1):
                return False
        elif char == "%":
            if before == "\n":
                return False
        elif char == "\\":
            if '"' in text:  # an escape in a double-quoted scalar
                return False
        else:
            return False
    return True


def _flow_on_one_line(text: str) -> bool:
    """Whether every flow collection is one of the simple shapes of `_FLOW`, on one line
    and ending it (libyaml and yaml-rs disagree about much in flow collections: their
    indentation over several lines, `[a, |b]`, `{a: :b}`, `{a:, b}` ...)."""
    at = min(_find(text, "[", 0), _find(text, "{", 0))
    while at < len(text):
        start = text.rfind("\n", 0, at) + 1
        end = _find(text, "\n", at)
        line = text[start:end]
        if line.count("[") + line.count("{") != line.count("]") + line.count("}"):
            return False
        if not _FLOW.fullmatch(line, at - start):
            return False
        at = min(_find(text, "[", end), _find(text, "{", end))
    return True


def _find(text: str, char: str, start: int) -> int:
    found = text.find(char, start)
    return len(text) if found < 0 else found


def plain(value: dict[str, Any] | list[Any], depth: int = 1) -> int:
    """NOT_PLAIN when `value` holds what the careful loader never builds (a key that is
    not text, a number of more than 18 digits or not finite, collections nested deeper
    than MAX_DEPTH, any other type); otherwise WITH_NUMBERS if it holds a number, else
    PLAIN."""
    if depth > MAX_DEPTH:
        return NOT_PLAIN
    if type(value) is dict:
        if any(type(key) is not str for key in value):
            return NOT_PLAIN
        items: Any = value.values()
    else:
        items = value
    found = PLAIN
    for item in items:
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is dict or kind is list:
            inner = plain(item, depth + 1)
            if inner == NOT_PLAIN:
                return NOT_PLAIN
            found |= inner
        elif kind is int:
            if not -LARGEST < item < LARGEST:
                return NOT_PLAIN
            found = WITH_NUMBERS
        elif kind is float:
            if item - item != 0.0:  # infinite or not a number
                return NOT_PLAIN
            found = WITH_NUMBERS
        else:
            return NOT_PLAIN
    return found


def numbers_as_written(text: str) -> bool:
    """Whether every number in `text` is one both parsers read alike (checked only for
    texts whose data holds numbers: most records hold none)."""
    return _OTHER_NUMBER.search(text) is None
