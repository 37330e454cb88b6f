"""The fast record path against the careful loader, over generated YAML: whatever the
fast path accepts loads to exactly the careful loader's value (types too), and whatever
the careful loader refuses the fast path does not accept.

Documents are generated two ways: trees of plain data written in every scalar style
(plain, single- and double-quoted, literal and folded blocks), block and flow, with odd
scalars among the ordinary (numbers at the limits and in YAML 1.1 forms, timestamps
with 1-9 fraction digits and offsets, keys that read as numbers or booleans, unicode,
long text); and record-like texts with a fragment of YAML syntax spliced in anywhere."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itsm_as_code.store.fast import available, fast_load
from itsm_as_code.yamlerrors import YamlProblem
from itsm_as_code.yamlsafe import load

pytestmark = pytest.mark.skipif(not available(), reason="no compiled parser on this platform")

QUICK = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(QUICK, max_examples=5000)

ODD = (
    "0", "-0", "+5", "007", "0o17", "0x1F", "0b101", "1_000", "-1_0", "1__0", "+0x1",
    "999999999999999999", "-999999999999999999", "1000000000000000000",
    "9223372036854775808", "123456789012345678901234567890", "1e5", "1E5", "1.", ".5",
    "+.5", "-.5", "1e308", "1e309", "1e400", "1e-400", "2.2250738585072014e-308",
    "0.1000000000000000055511151231257827", ".inf", "-.Inf", "+.INF", ".nan", ".NaN",
    "1.5e-3", "00.5", "0e0", "12e03", "3.", ".e5", "1.e5", "1e", "e5", "1,000", "1:30",
    "190:20:30", "yes", "No", "ON", "off", "y", "n", "true", "True", "TRUE", "tRUE",
    "false", "null", "Null", "NULL", "~", "", "=", "<<", "-", "--", "- x", "? x", "a: b",
    "a #b", "#x", "x:", ":x", "'", '"', "@x", "`x", "%x", "&a", "*a", "!x", "!!str 5",
    "[x]", "{x}", "|", ">", "a\\b", "tab\there", "\u00e9t\u00e9", "\u65e5\u672c",
    "\U0001f600", "\u202eevil", "\u2028", "\x85", "\ufeff", "\x7f", "\x01", "\r",
    "2026-11-02", "2026-11-02 09:14:00", "2026-11-02t09:14:00z",
)
OFFSETS = ("Z", "z", "+01:00", "-05:30", "+14:00", "", " +01:00", "+0100")


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    digits = draw(st.integers(0, 9))
    fraction = "." + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=digits,
                                           max_size=digits))) if digits else ""
    separator = draw(st.sampled_from("T "))
    return (f"{draw(st.integers(1, 9999)):04d}-{draw(st.integers(1, 12)):02d}-"
            f"{draw(st.integers(1, 31)):02d}{separator}{draw(st.integers(0, 23)):02d}:"
            f"{draw(st.integers(0, 59)):02d}:{draw(st.integers(0, 60)):02d}{fraction}"
            f"{draw(st.sampled_from(OFFSETS))}")


TEXT = st.one_of(
    st.sampled_from(ODD),
    timestamps(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    st.text("abc xyz-_.:#'\"\\!&*?|>%@`,[]{}\n", max_size=12),
    st.from_regex(r"[a-z][a-z0-9 _-]{0,30}", fullmatch=True),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text("ab ", min_size=1000, max_size=1100),
)
KEYS = st.one_of(st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True), TEXT)
TREES = st.recursive(
    TEXT,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=25,
)


def styled(text: str, style: str, indent: int) -> str:
    """`text` as a scalar in `style`, for a position indented `indent` spaces."""
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return json.dumps(text, ensure_ascii=False)
    if style in ("|", ">", "|-", ">+"):
        pad = " " * (indent + 2)
        return style + "\n" + "".join(pad + line + "\n" for line in text.split("\n"))
    return text


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A YAML text of a generated tree, each scalar in a drawn style, each collection
    block or flow."""
    styles = st.sampled_from(("plain", "plain", "plain", "single", "double", "|", ">",
                              "|-", ">+"))

    def scalar(text: str, indent: int, flow: bool) -> str:
        style = draw(styles)
        if flow and style[0] in "|>":
            style = "double"
        return styled(text, style, indent)

    def flow(value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{scalar(k, 0, True)}: {flow(v)}"
                                   for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(flow(v) for v in value) + "]"
        return scalar(value, 0, True)

    def block(value: Any, indent: int) -> str:
        pad = " " * indent
        if not isinstance(value, dict | list) or not value or draw(st.integers(0, 5)) == 0:
            return " " + flow(value) + "\n" if not isinstance(value, str) or draw(
                st.booleans()) else " " + scalar(value, indent, False) + (
                "" if draw(styles)[0] in "|>" else "\n")
        lines = "\n"
        if isinstance(value, dict):
            for key, item in value.items():
                lines += f"{pad}{scalar(key, indent, True)}:{block(item, indent + 2)}"
        else:
            for item in value:
                lines += f"{pad}-{block(item, indent + 2)}"
        return lines

    tree = draw(st.dictionaries(KEYS, TREES, min_size=1, max_size=6))
    text = block(tree, 0).removeprefix("\n")
    return text if draw(st.booleans()) else text.rstrip("\n")


RECORD = """apiVersion: itsm/v1
kind: Incident
id: INC-0042
title: Checkout API returns 502 for 8% of requests
services:
  - {id: payments-api, status: partial_outage}
impact: high
priority: P1
major: false
warn_at: 75
opened_at: 2026-11-02T09:14:00+01:00
closed_at: null
timeline:
  - at: 2026-11-02T09:14:00+01:00
    status: investigating
    public: true
    message: We are investigating elevated error rates.
postmortem: |
  The cache expired.

  - more: later
"""
FRAGMENTS = st.one_of(st.sampled_from(ODD), st.sampled_from(
    ("\n", " ", "  ", "-", "- ", ": ", ":", ",", "[", "]", "{", "}", "'", '"', "#", "|",
     ">", "\n---\n", "\n...\n", "&a ", "*a", "!!int ", "<<: ", "? ", "\t", "\r\n", "\\",
     "\n  - ", "\nx: 1\n", "\ntitle: again\n", "\n  ", "%YAML 1.2\n", "@")),
    st.text(max_size=3))


@st.composite
def spliced(draw: st.DrawFn) -> str:
    """The record text with up to three fragments inserted at drawn places."""
    text = RECORD
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(FRAGMENTS) + text[at:]
    return text


def typed(value: Any) -> Any:
    """`value` with the type of every scalar spelled out: 1, 1.0 and True differ."""
    if isinstance(value, dict):
        return {"dict": [(typed(k), typed(v)) for k, v in value.items()]}
    if isinstance(value, list):
        return {"list": [typed(v) for v in value]}
    return (type(value).__name__, repr(value))


def agree(text: str) -> None:
    fast = fast_load(text)
    try:
        careful = load(text, 100)
    except YamlProblem as problem:
        assert fast is None, f"the fast path accepts what the careful loader refuses: {problem}"
        return
    except RecursionError:
        assert fast is None
        return
    if fast is not None:
        assert typed(fast) == typed(careful)


def test_the_record_itself_takes_the_fast_path() -> None:
    fast = fast_load(RECORD)
    assert fast is not None
    assert typed(fast) == typed(load(RECORD, 100))


@QUICK
@given(documents())
def test_generated_documents_load_alike(text: str) -> None:
    agree(text)


@settings(QUICK, max_examples=1000)
@given(spliced())
def test_spliced_records_load_alike(text: str) -> None:
    agree(text)


@pytest.mark.slow
@THOROUGH
@given(st.one_of(documents(), spliced()))
def test_many_more_documents_load_alike(text: str) -> None:
    agree(text)


@pytest.mark.parametrize("text", ["a: |\n    \n\n", "a: >\n  \n", "a: |\n  \n  x\n"])
def test_block_scalars_of_blank_lines_load_alike(text: str) -> None:
    """Found by the test above: libyaml reads a block scalar of lines holding only spaces
    as '', yaml-rs as a line break; such a text takes the careful path."""
    agree(text)
    assert fast_load(text) is None
