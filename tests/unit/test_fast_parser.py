"""The screen in front of the compiled parser: what it clears, what it sends to the
careful loader, and that the careful loader alone runs where the parser is missing."""

from __future__ import annotations

from pathlib import Path
from sys import intern

import pytest

from itsm_as_code.findings import Finding
from itsm_as_code.store import fast
from itsm_as_code.store.loader import Limits, parse_bytes
from itsm_as_code.store.screen import NOT_PLAIN, PLAIN, WITH_NUMBERS, ordinary, plain
from itsm_as_code.yamlerrors import YamlProblem
from itsm_as_code.yamlsafe import load

needs_parser = pytest.mark.skipif(not fast.available(), reason="no compiled parser here")

RECORD = ("apiVersion: itsm/v1\nkind: Service\nid: shop\nname: Shop and more!\n"
          "owner: ops\ndepends_on: [db, cache]\nlabels: {tier: gold, 'zone': \"eu\"}\n"
          "description: |\n  Why? Because.\n\n  - a list in text\n")


@needs_parser
def test_an_ordinary_record_takes_the_fast_path_with_the_careful_value() -> None:
    assert ordinary(RECORD)
    assert fast.fast_load(RECORD) == load(RECORD, 100)


@needs_parser
def test_a_leading_byte_order_mark_is_skipped_as_the_careful_loader_skips_it() -> None:
    assert fast.fast_load("\ufeff" + RECORD) == load(RECORD, 100)


@pytest.mark.parametrize("text", [
    "a: !!str 5\n", "a: &x b\n", "a: *x\n", "? a\n: b\n", "<<: {a: 1}\n", "%YAML 1.2\n---\na: 1\n",
    "---\na: 1\n", "a: 1\n...\n", "a: 1\n---\nb: 2\n", "a: \"\\u0001\"\n", "a:\tb\n",
    "a: b\r\n", "a: \x85\n", "a: b\u2028", "a: \ufeff\n", "a: \ufffe\n", "a: \x7f\n",
    "[a]: b\n", "{a: b}: c\n", "a: |\n  no final line break",
    "a: [b,\n  c]\n", "a: {b: :c}\n", "a: {b:, c}\n", "a: [b, |c]\n", "a: [b] c\n",
    "a: " + "x" * 1100 + "\n",
])
def test_texts_the_two_parsers_could_read_differently_are_not_ordinary(text: str) -> None:
    assert not ordinary(text)


@pytest.mark.parametrize("text", [
    "a: R&D rocks!\n", "a: why? because\n", "a: 100%\n", "a: x<y\n", "a: [b, c]\n",
    "a: {id: x, status: y}\n", "a: [{id: x}, {id: y}]\n", "a: [-1, +2.5, .5]\n", "a: \"x\"\n",
    "a: C:\\\\temp\n", "a: 2026-11-02T09:14:00+01:00\n", "a: \u00e9t\u00e9 \U0001f600\n",
])
def test_ordinary_text_is_cleared(text: str) -> None:
    assert ordinary(text)


@pytest.mark.parametrize(("value", "verdict"), [
    ({"a": "b", "c": [True, None, {"d": "e"}]}, PLAIN),
    ({"a": 999_999_999_999_999_999, "b": 1.5}, WITH_NUMBERS),
    ({"a": 10**18}, NOT_PLAIN),
    ({"a": float("inf")}, NOT_PLAIN),
    ({"a": float("nan")}, NOT_PLAIN),
    ({1: "a"}, NOT_PLAIN),
    ({None: "a"}, NOT_PLAIN),
    ({("a",): "b"}, NOT_PLAIN),
    ({"a": {"b": ("c",)}}, NOT_PLAIN),
])
def test_only_plain_data_stands(value: dict[str, object], verdict: int) -> None:
    found, shared = plain(value)
    assert found == verdict
    assert shared == (None if verdict == NOT_PLAIN else value)


def test_plain_data_comes_back_with_its_keys_interned() -> None:
    made = {"".join(["ti", "tle"]): "x", "n": [{"".join(["st", "atus"]): 1}, "y"]}
    verdict, shared = plain(made)
    assert verdict == WITH_NUMBERS and shared == made
    assert list(shared) == ["title", "n"]
    assert next(iter(shared)) is intern("title")
    assert next(iter(shared["n"][0])) is intern("status")


def test_collections_nested_past_the_depth_limit_are_not_plain() -> None:
    deep: dict[str, object] = {"x": "y"}
    for _ in range(63):
        deep = {"x": deep}
    assert plain(deep)[0] == PLAIN
    assert plain({"x": deep}) == (NOT_PLAIN, None)
    assert plain({"x": [deep]}) == (NOT_PLAIN, None)


@needs_parser
@pytest.mark.parametrize(("text", "careful"), [
    ("a: 1_000\n", "1_000"), ("a: 0o17\n", "0o17"), ("a: 0x1F\n", "0x1F"), ("a: 007\n", "007"),
    ("a: .inf\n", ".inf"), ("a: .NaN\n", ".NaN"),
])
def test_numbers_yaml_1_2_keeps_as_text_take_the_careful_path(text: str, careful: str) -> None:
    assert fast.fast_load(text) is None
    assert load(text, 100) == {"a": careful}


@needs_parser
def test_a_number_beside_timestamps_still_takes_the_fast_path() -> None:
    text = "a: 75\nb: 2026-11-02T09:00:00+01:00\nc: [1, -2, 0, 0.5]\n"
    assert fast.fast_load(text) == {"a": 75, "b": "2026-11-02T09:00:00+01:00",
                                    "c": [1, -2, 0, 0.5]}


@needs_parser
@pytest.mark.parametrize("text", ["a: 1\na: 2\n", "a: 99999999999999999999\n", "a: 1e400\n",
                                  "1: a\n", "null: a\n", "- a\n", "a\n", "", "# only\n"])
def test_what_the_careful_loader_refuses_or_words_is_left_to_it(text: str) -> None:
    assert fast.fast_load(text) is None


def test_without_the_compiled_parser_the_careful_loader_reads_every_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast, "_loads", None)
    assert fast.fast_load(RECORD) is None
    assert parse_bytes(RECORD.encode(), "shop.yaml", Limits()) == load(RECORD, 100)
    found = parse_bytes(b"a: 1\na: 2\n", "shop.yaml", Limits())
    assert isinstance(found, Finding)
    assert (found.line, found.rule) == (2, "yaml-duplicate-key")


@pytest.mark.parametrize(("text", "tag", "shown"), [
    ("a: !!int abc\n", "!!int", "abc"), ("a: !!int 09\n", "!!int", "09"),
    ("a: !!float x1\n", "!!float", "x1"), ("a: !!bool maybe\n", "!!bool", "maybe"),
])
def test_an_explicit_tag_that_does_not_fit_its_value_is_a_finding(
        text: str, tag: str, shown: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        load(text, 100)
    assert (caught.value.rule, caught.value.message, caught.value.line) == (
        "yaml-tag", f"the tag {tag} does not fit the value '{shown}': remove the tag", 1)


def test_the_record_cache_is_keyed_by_the_fast_path_code_too() -> None:
    from itsm_as_code.store import cache

    source = Path(cache.__file__).read_text(encoding="utf-8")
    assert '"fast.py"' in source and '"screen.py"' in source
