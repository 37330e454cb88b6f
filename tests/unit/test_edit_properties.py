"""Properties of the round-trip editor over generated record-like files: mappings dumped in
varied styles (block and flow lists, indented or not, quoted text, block scalars, empty
values), comments and blank lines sprinkled, LF or CRLF, with or without a final newline.
For a random change, the edited text reads back as exactly the data expected, and every
line outside the changed key's own lines is unchanged."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from itsm_as_code.authoring.edit import REMOVE, append_item, set_fields
from itsm_as_code.authoring.writer import RecordDumper
from itsm_as_code.yamlsafe import load

PROPERTY = settings(max_examples=200, deadline=None)
KEYS = ("title", "status", "priority", "incidents", "services", "owner", "root_cause",
        "opened_at", "resolved_at", "postmortem", "category", "notes", "count", "major")
WIDE = 1 << 20


class StyledDumper(RecordDumper):
    """The project's dumper with a chosen quote and flow style, lists not indented."""

    def __init__(self, stream: Any, **options: Any) -> None:
        super().__init__(stream, width=WIDE)
        self.default_style = options.get("default_style")
        self.default_flow_style = options.get("default_flow_style", False)


class IndentedDumper(StyledDumper):
    """Lists indented under their key, as many people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


words = st.text(st.sampled_from("abcxyz019 :#-'\"é/."), min_size=1, max_size=12)
scalars = st.one_of(
    words, st.integers(-10**6, 10**6), st.booleans(), st.none(),
    st.sampled_from(["2026-12-06T04:40:00+01:00", "P1", "null", "true", "12", "on"]),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
multi_line = st.lists(words, min_size=2, max_size=4).map(lambda lines: "\n".join(lines) + "\n")
values = st.one_of(
    scalars, multi_line, st.lists(scalars, max_size=4),
    st.dictionaries(st.sampled_from(["a", "b", "c"]), scalars, min_size=1, max_size=3))


@dataclass
class Generated:
    text: str
    data: dict[str, Any]
    spans: dict[str, tuple[int, int]]  # key -> its first and last line (0-based)
    # key -> its last line, or the last indented comment under it: a value that ends in
    # a block scalar would take those in, so they move to the key's column
    reach: dict[str, int]
    newline: str


def dumped(key: str, value: Any, draw: st.DrawFn) -> list[str]:
    """`key: value` in a drawn style, with comments beside it where they cannot change it."""
    if isinstance(value, (list, dict)) and (not value or draw(st.booleans())):
        flow = yaml.dump(value, Dumper=StyledDumper, default_flow_style=True).strip()
        lines = [f"{key}: {flow}"]
    else:
        style = draw(st.sampled_from([None, "'", '"'])) if isinstance(value, str) else None
        # With a quote style the key comes out quoted too: a variation worth having.
        dumper = draw(st.sampled_from([StyledDumper, IndentedDumper]))
        lines = yaml.dump({key: value}, Dumper=dumper, default_style=style
                          ).rstrip("\n").split("\n")
    if value is None and draw(st.booleans()):
        lines = [lines[0].replace(" null", "")]
    block_scalar = re.search(r"[|>][-+0-9]*$", lines[0]) is not None
    for index, line in enumerate(lines):
        inside_block_scalar = block_scalar and index > 0
        if not inside_block_scalar and draw(st.integers(0, 3)) == 0:
            lines[index] = line + "  # " + draw(st.sampled_from(["why", "note: x", "#"]))
    return lines


@st.composite
def records(draw: st.DrawFn) -> Generated:
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=2, max_size=7, unique=True))
    data = {key: draw(values) for key in keys}
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("# yaml-language-server: $schema=../schema.json")
    spans: dict[str, tuple[int, int]] = {}
    reach: dict[str, int] = {}
    for key, value in data.items():
        # An indented line after a block scalar would be its text, not a comment.
        after_block = bool(lines) and lines[-1].startswith(" ") and "|" in "".join(lines)
        comments = ["", "# a comment"] + ([] if after_block else ["  # indented comment"])
        for _ in range(draw(st.integers(0, 2))):
            lines.append(draw(st.sampled_from(comments)))
            if lines[-1].startswith(" ") and spans:
                reach[list(spans)[-1]] = len(lines) - 1
        entry = dumped(key, value, draw)
        spans[key] = (len(lines), len(lines) + len(entry) - 1)
        reach[key] = spans[key][1]
        lines += entry
    lines += draw(st.lists(st.sampled_from(["", "# trailing comment"]), max_size=3))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    if strict(load(text, 100)) != strict(data):
        text += newline  # a block scalar ends with the file: it needs its line break
    assert strict(load(text, 100)) == strict(data), text  # the generator's own check
    return Generated(text, data, spans, reach, newline)


def strict(data: Any) -> str:
    """Data as text that tells True from 1 and keeps key order."""
    return json.dumps(data, ensure_ascii=False)


def assert_only_lines(before: str, after: str, first: int, last: int) -> None:
    """Every line of `before` outside first..last is in `after`, in place."""
    old, new = before.splitlines(), after.splitlines()
    kept_tail = len(old) - last - 1
    diff = "\n".join(difflib.unified_diff(old, new, lineterm=""))
    assert new[:first] == old[:first], diff
    assert len(new) >= first + kept_tail, diff
    assert new[len(new) - kept_tail:] == old[last + 1:], diff


@PROPERTY
@given(records(), st.data())
def test_a_change_reads_back_and_touches_only_its_key(record: Generated,
                                                       data: st.DataObject) -> None:
    expected = json.loads(strict(record.data))
    missing = [key for key in (*KEYS, "new_key") if key not in record.data]
    operation = data.draw(st.sampled_from(["set", "add", "remove", "append"]))
    if operation == "set":
        key = data.draw(st.sampled_from(sorted(record.data)))
        value = data.draw(values)
        after, expected[key] = set_fields(record.text, {key: value}), value
    elif operation == "add":
        key = data.draw(st.sampled_from(missing))
        value = data.draw(values)
        after, expected[key] = set_fields(record.text, {key: value}), value
    elif operation == "remove":
        key = data.draw(st.sampled_from(sorted(record.data)))
        after = set_fields(record.text, {key: REMOVE})
        del expected[key]
    else:
        lists = [key for key, value in record.data.items() if isinstance(value, list)]
        key = data.draw(st.sampled_from([*lists, missing[0]]))
        item = data.draw(scalars)
        after = append_item(record.text, key, item)
        expected[key] = [*expected.get(key, []), item]
    assert strict(load(after, 100)) == strict(expected), after
    if key in record.spans:
        first, last = record.spans[key]
        if operation in ("set", "remove"):  # comment lines indented under a key are its
            last = record.reach[key]
        assert_only_lines(record.text, after, first, last)
    else:
        last = max(end for _, end in record.spans.values())
        assert_only_lines(record.text, after, last + 1, last)
    # A file without a final newline keeps none, unless the change ends the file.
    touched = record.spans[key][1] if key in record.spans else max(
        end for _, end in record.spans.values())
    at_end = touched == len(record.text.splitlines()) - 1
    if record.text.endswith(record.newline) or not at_end:
        assert after.endswith(record.newline) == record.text.endswith(record.newline)
    if record.newline == "\r\n":
        assert after.count("\n") == after.count("\r\n")
