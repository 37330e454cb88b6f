"""The safe YAML loader: plain data typed by the YAML 1.2 core schema, hostile input refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.yamlerrors import YamlProblem, shown
from itsm_as_code.yamllimits import MAX_DEPTH, MAX_EXPANDED_BYTES, MAX_EXPANDED_NODES
from itsm_as_code.yamlsafe import RecordLoader, load


def problem(text: str, max_aliases: int = 100) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        load(text, max_aliases)
    return caught.value


def value(text: str) -> Any:
    return load(f"v: {text}\n", 100)["v"]


# --- scalars ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-02T09:14:00+01:00",
        "2026-11-02T08:14:00Z",
        "2026-11-02 09:14:00",
        "2026-12-24",
    ],
)
def test_timestamps_and_dates_stay_the_text_written(text: str) -> None:
    assert value(text) == text


@pytest.mark.parametrize(
    "text", ["NO", "no", "yes", "Yes", "on", "off", "y", "n", "1:30", "12:30:00"]
)
def test_yaml_1_1_booleans_and_sexagesimals_stay_text(text: str) -> None:
    assert value(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("True", True),
        ("false", False),
        ("FALSE", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("0", 0),
        ("42", 42),
        ("-7", -7),
        ("+3", 3),
        ("1.5", 1.5),
        ("-0.25", -0.25),
        ("1e3", 1000.0),
    ],
)
def test_core_schema_scalars_are_typed(text: str, expected: Any) -> None:
    loaded = value(text)
    assert loaded == expected
    assert type(loaded) is type(expected)


@pytest.mark.parametrize("text", [".inf", "-.inf", "+.inf", ".Inf", ".nan", ".NaN"])
def test_infinity_and_nan_stay_text(text: str) -> None:
    assert value(text) == text


def test_quoted_scalars_are_text() -> None:
    assert load("a: 'true'\nb: \"42\"\nc: '2026-11-02T09:14:00Z'\n", 100) == {
        "a": "true", "b": "42", "c": "2026-11-02T09:14:00Z",
    }


def test_empty_and_comment_only_texts_hold_nothing() -> None:
    assert load("", 100) is None
    assert load("# just a comment\n", 100) is None


# --- duplicate keys --------------------------------------------------------------------


def test_duplicate_key_is_refused_at_the_second_with_the_first_line_named() -> None:
    found = problem("kind: Service\nid: shop\nname: Shop\nowner: ops\nname: Again\n")
    assert found.rule == "yaml-duplicate-key"
    assert (found.line, found.column) == (5, 1)
    assert found.message == (
        "duplicate key 'name' (first at line 3): keep one and delete the other"
    )


def test_duplicate_key_in_a_nested_mapping_is_refused() -> None:
    found = problem("targets:\n  P1: {response: 15m}\n  P2: {response: 1h}\n  P1: {response: 5m}\n")
    assert found.rule == "yaml-duplicate-key"
    assert (found.line, found.column) == (4, 3)
    assert "'P1' (first at line 2)" in found.message


# --- aliases ---------------------------------------------------------------------------


def _aliases(count: int) -> str:
    return "base: &b {x: 1}\n" + "".join(f"k{i}: *b\n" for i in range(count))


def test_aliases_up_to_the_limit_load() -> None:
    loaded = load(_aliases(3), max_aliases=3)
    assert loaded["k2"] == {"x": 1}


def test_one_alias_over_the_limit_is_refused() -> None:
    found = problem(_aliases(4), max_aliases=3)
    assert found.rule == "yaml-alias"
    assert found.message == (
        "more than 3 aliases in one file: write the values out (limits.max_aliases in itsm.yaml)"
    )


def test_max_aliases_zero_refuses_any_alias() -> None:
    assert problem(_aliases(1), max_aliases=0).rule == "yaml-alias"


def test_recursive_alias_is_refused() -> None:
    found = problem("a: &loop\n  - x\n  - *loop\n")
    assert found.rule == "yaml-alias"
    assert found.message == "an alias refers to a node that contains it"


def test_billion_laughs_under_the_alias_limit_is_refused_by_its_expanded_size() -> None:
    lines = ['l0: &a0 "lol"']
    lines += [f"l{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    text = "\n".join(lines) + "\n"
    assert text.count("*") == 90
    found = problem(text, max_aliases=100)
    assert found.rule == "yaml-alias"
    assert f"more than {MAX_EXPANDED_NODES:,} values" in found.message
    # 10**5 values are first passed by l5 (line 6): the finding points there.
    assert (found.line, found.column) == (6, 5)


# --- documents, syntax, keys -----------------------------------------------------------


def test_several_documents_are_refused_at_the_second() -> None:
    found = problem("kind: Service\nid: a\n---\nkind: Service\nid: b\n")
    assert found.rule == "file-documents"
    assert (found.line, found.column) == (3, 1)
    assert "exactly one YAML document" in found.message


def test_syntax_error_has_a_position() -> None:
    found = problem("title: Checkout: 502\n")
    assert found.rule == "yaml-syntax"
    assert (found.line, found.column) == (1, 16)
    assert found.message.startswith("YAML syntax error: ")


def test_merge_key_is_refused() -> None:
    found = problem("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert found.rule == "yaml-key"
    assert (found.line, found.column) == (3, 3)
    assert found.message.startswith("merge keys (<<) are not allowed")


@pytest.mark.parametrize(
    ("text", "shown"),
    [("3: x\n", "int 3"), ("true: x\n", "bool True"), ("? [a, b]\n: x\n", "list ['a', 'b']")],
)
def test_mapping_keys_must_be_text(text: str, shown: str) -> None:
    found = problem(text)
    assert found.rule == "yaml-key"
    assert f"mapping keys must be text, found {shown}" in found.message


# --- tags ------------------------------------------------------------------------------


def test_python_object_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    text = f'pwn: !!python/object/apply:os.system ["touch \'{marker}\'"]\n'
    found = problem(text)
    assert found.rule == "yaml-tag"
    assert (found.line, found.column) == (1, 6)
    assert "!!python/object/apply:os.system is not allowed" in found.message
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/name:os.system\n",
        "a: !<tag:yaml.org,2002:python/object/apply:os.system> [true]\n",
        "%TAG !p! tag:yaml.org,2002:python/\n---\na: !p!object/apply:os.system [true]\n",
        "a: !custom x\n",
    ],
    ids=["python-name", "verbatim-tag", "tag-directive", "local-tag"],
)
def test_other_tags_are_refused(text: str) -> None:
    assert problem(text).rule == "yaml-tag"


@pytest.mark.parametrize(
    "text",
    [
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x: null}\n",
        "a: !!omap [{x: 1}]\n",
        "a: !!pairs [{x: 1}]\n",
        "a: !!timestamp 2026-11-02T09:14:00+01:00\n",
    ],
    ids=["binary", "set", "omap", "pairs", "timestamp"],
)
def test_non_json_tags_are_refused(text: str) -> None:
    assert problem(text).rule == "yaml-tag"


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_characters_are_refused_at_their_position(character: str) -> None:
    found = problem(f"a: 1\nb: x{character}y\n")
    assert (found.rule, found.line, found.column) == ("file-encoding", 2, 5)
    assert found.message == (
        f"control character U+{ord(character):04X} is not allowed in a record: remove it"
    )


@pytest.mark.parametrize(
    "text",
    ["a: !!int " + "9" * 5000 + "\n", "a: 1234567890123456789\n", "a: -9999999999999999999\n"],
)
def test_numbers_past_18_digits_are_refused(text: str) -> None:
    found = problem(text)
    assert (found.rule, found.line, found.column) == ("yaml-number", 1, 4)
    assert "numbers in records have at most 18 digits" in found.message


def test_the_longest_allowed_number_is_exact() -> None:
    assert load("a: 999999999999999999\n", 100) == {"a": 999999999999999999}


@pytest.mark.parametrize("text", ["a: 1e400\n", "a: !!float .nan\n", "a: !!float -.inf\n"])
def test_numbers_that_are_not_finite_are_refused(text: str) -> None:
    assert problem(text).rule == "yaml-number"


def test_libyaml_parses_records() -> None:
    assert RecordLoader.__mro__[1].__module__ == "yaml._yaml"


@pytest.mark.parametrize("escape", ["\\x01", "\\u001b", "\\uFFFE", "\\0"])
def test_escaped_control_characters_are_refused(escape: str) -> None:
    found = problem(f'a: 1\nb: "x{escape}y"\n')
    assert (found.rule, found.line, found.column) == ("file-encoding", 2, 4)
    assert "writes a control character, which is not allowed in a record" in found.message


def test_ordinary_escapes_still_work() -> None:
    assert load('a: "tab\\there\\nline \\u00e9"\n', 100) == {"a": "tab\there\nline é"}


# --- budgets, positions and what messages quote ----------------------------------------


def test_nesting_up_to_the_limit_is_kept_and_one_level_more_refused() -> None:
    assert value("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)) is not None
    found = problem("v: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert (found.rule, found.line, found.column) == ("yaml-depth", 1, 4 + MAX_DEPTH - 1)


def test_nesting_past_libyaml_s_own_limit_is_a_depth_finding() -> None:
    found = problem("v: " + "[" * 5000 + "]" * 5000 + "\n")
    assert found.rule == "yaml-depth"


def test_aliases_that_expand_to_too_much_text_are_refused_before_building() -> None:
    text = f"a: &t {'x' * 50_000}\nb: [{', '.join(['*t'] * 90)}]\n"
    found = problem(text)
    assert (found.rule, found.message) == (
        "yaml-alias", "aliases expand this file to more than 4 MiB of text: write the data "
        "out instead of repeating anchors")
    assert MAX_EXPANDED_BYTES == 4 * 1024 * 1024


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_lines_are_counted_as_editors_count_them(separator: str) -> None:
    found = problem(f'a: "x{separator}y{separator}z"\nb: 1\nb: 2\n')
    assert (found.line, found.column, found.message) == (
        3, 1, "duplicate key 'b' (first at line 2): keep one and delete the other")


def test_syntax_error_positions_skip_a_byte_order_mark_and_count_carriage_returns() -> None:
    found = problem("\ufeffa: 1\r\nb: [\r\nc: 'x\u2028'\r\n")
    assert (found.rule, found.line) == ("yaml-syntax", 4)


def test_a_merge_conflict_is_named_as_such() -> None:
    found = problem("a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> topic\n")
    assert (found.rule, found.line, found.column, found.message) == (
        "yaml-syntax", 2, 1, "the file holds an unresolved merge conflict (a <<<<<<< line): "
        "keep the right lines between <<<<<<< and >>>>>>>, then delete the three marker lines")


def test_conflict_markers_inside_a_value_that_parses_are_text() -> None:
    assert load("a: |\n  <<<<<<< HEAD\n", 100) == {"a": "<<<<<<< HEAD\n"}


def test_messages_escape_bidirectional_and_control_characters() -> None:
    assert shown("ab\u202ec\u2066d\x85e\u200f") == "ab\\u202ec\\u2066d\\u0085e\\u200f"
    found = problem("\"k\u202e\": 1\n\"k\u202e\": 2\n")
    assert found.message.startswith("duplicate key 'k\\u202e' ")
