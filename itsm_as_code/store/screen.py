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
from collections.abc import Iterator
from sys import intern
from typing import Any

# A character the two parsers may read differently, or that the careful loader refuses
# (controls but line feed, tab, carriage return, C1 controls and NEL, LS, PS, byte order marks and
# non-characters), or one that starts a tag, anchor, alias, complex key, directive,
# escape, merge key or flow-collection key, depending on what is around it.
_SUSPECT = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\\\\!&*?%<\\]}]")
_ASCII_ORDINARY = bytes(code for code in range(128) if not _SUSPECT.match(chr(code)))
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
    for char, at in _suspects(text):
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


def _suspects(text: str) -> Iterator[tuple[str, int]]:
    """Every character of `_SUSPECT` in `text`, with its place (in no particular order).

    Most records are ASCII, and deleting every ordinary byte from the encoded text
    (`bytes.translate`, a table look-up per byte) leaves the few suspect characters in a
    tenth of the time the expression takes to scan the text; each is then found with
    `str.find`."""
    if not text.isascii():
        for found in _SUSPECT.finditer(text):
            yield found.group(), found.start()
        return
    for code in set(text.encode("ascii").translate(None, _ASCII_ORDINARY)):
        char = chr(code)
        at = text.find(char)
        while at >= 0:
            yield char, at
            at = text.find(char, at + 1)


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


def plain(data: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
    """The verdict on `data` and, unless it is NOT_PLAIN, the same data with every
    mapping key interned (store/keys.py says why; one walk does both).

    NOT_PLAIN when `data` holds what the careful loader never builds (a key that is not
    text, a number of more than 18 digits or not finite, collections nested deeper than
    MAX_DEPTH, any other type); otherwise WITH_NUMBERS if it holds a number, else PLAIN."""
    walk = _Walk()
    shared = walk.mapping(data, 1)
    if shared is None:
        return NOT_PLAIN, None
    return (WITH_NUMBERS if walk.numbers else PLAIN), shared


class _Walk:
    """One walk over parsed data: refuses what is not plain (None), notes numbers, and
    makes each mapping again with interned keys (lists are changed in place). Texts,
    most of the values, cost one type test each."""

    def __init__(self) -> None:
        self.numbers = False

    def mapping(self, value: dict[Any, Any], depth: int) -> dict[str, Any] | None:
        if depth > MAX_DEPTH:
            return None
        made: dict[str, Any] = {}
        for key, item in value.items():
            if type(item) is not str:
                item = self._value(item, depth)
                if item is _REFUSED:
                    return None
            if type(key) is not str:
                return None
            made[intern(key)] = item
        return made

    def sequence(self, value: list[Any], depth: int) -> list[Any] | None:
        if depth > MAX_DEPTH:
            return None
        for index, item in enumerate(value):
            if type(item) is not str:
                item = self._value(item, depth)
                if item is _REFUSED:
                    return None
                value[index] = item
        return value

    def _value(self, item: Any, depth: int) -> Any:
        """`item` (a collection made again) if it is plain, else _REFUSED."""
        kind = type(item)
        if kind is dict:
            inner: Any = self.mapping(item, depth + 1)
        elif kind is list:
            inner = self.sequence(item, depth + 1)
        elif kind is bool or item is None:
            return item
        elif kind is int:
            self.numbers = True
            return item if -LARGEST < item < LARGEST else _REFUSED
        elif kind is float:
            self.numbers = True
            return item if item - item == 0.0 else _REFUSED  # infinite, or not a number
        else:
            return _REFUSED  # a type the careful loader never builds
        return _REFUSED if inner is None else inner


_REFUSED = object()


def numbers_as_written(text: str) -> bool:
    """Whether every number in `text` is one both parsers read alike (checked only for
    texts whose data holds numbers: most records hold none)."""
    return _OTHER_NUMBER.search(text) is None
