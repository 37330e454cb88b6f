"""Targeted edits of a record file's text: set, add or remove a top-level field, append
an item to a top-level list.

Only the lines a change touches differ: comments, key order, quoting, blank lines and
line endings of everything else stay as the author wrote them, so `git diff` shows the
step and nothing more. Spans come from the YAML node tree (its marks), never from
patterns over the text. Every edit checks itself: the edited text, read back with the
record loader, must hold exactly the data expected, or EditError is raised and nothing
is returned to write.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from itsm_as_code.authoring.editspans import (
    Layout,
    content_end,
    line_end,
    line_start,
    parse,
    render_entry,
    render_item,
    shift,
)
from itsm_as_code.authoring.writer import RecordDumper
from itsm_as_code.errors import RecordError
from itsm_as_code.timefmt import format_timestamp
from itsm_as_code.yamlerrors import YamlProblem, shown
from itsm_as_code.yamlsafe import load


class EditError(RecordError):
    """A record file whose shape cannot be edited in place; the message says why."""


class _Remove:
    def __repr__(self) -> str:
        return "REMOVE"


REMOVE: Final = _Remove()
"""The value that deletes a field: `set_fields(text, {"closed_at": REMOVE})`."""

_HAND = "edit the file by hand"


def set_fields(text: str, changes: Mapping[str, object], *, path: str = "") -> str:
    """`text` with each top-level field of `changes` set to its value (in place where the
    key is written, at the end of the mapping where it is not) or deleted (REMOVE).
    `path` names the file in messages."""
    for key, value in changes.items():
        text = _set_one(text, key, value, path)
    return text


def append_item(text: str, key: str, item: object, *, path: str = "") -> str:
    """`text` with `item` appended to the top-level list `key`, in the list's own style
    (a block list gets a line like its last item's; a flow list `[a, b]` gets `, item`);
    a missing key or a null value becomes a new list."""
    layout = _layout(text, path)
    item = _plain(item)
    found = layout.entries.get(key)
    if found is None or _is_null(found[1]):
        return set_fields(text, {key: [item]}, path=path)
    value = found[1]
    if not isinstance(value, SequenceNode) or not isinstance(layout.data.get(key), list):
        raise _refused(path, f"'{shown(key)}' is not a list")
    _check_unshared(layout, value, key, path)
    expected = copy.deepcopy(layout.data)
    expected[key].append(item)
    body, nl = layout.body, layout.newline
    if value.flow_style:
        flow = render_item(item, flow=True)
        if value.value:
            at = content_end(body, value.value[-1])
            edited = body[:at] + ", " + flow + body[at:]
        else:
            at = value.end_mark.index - 1
            if body[at:at + 1] != "]":
                raise _refused(path, f"the empty list '{shown(key)}' is not written as []")
            edited = body[:at] + flow + body[at:]
    else:
        last = value.value[-1]
        start = last.start_mark.index
        prefix = body[line_start(body, start):start]
        if prefix.strip() != "-":
            prefix = " " * value.start_mark.column + "- "
        lines = render_item(item, flow=False).split("\n")
        indent = " " * len(prefix)
        new = [prefix + lines[0], *(indent + line if line else line for line in lines[1:])]
        at = line_end(body, content_end(body, last))
        edited = _spliced(body, at, nl + nl.join(new), at, item, nl,
                          len(prefix) - len(prefix.lstrip(" ")))
    return _checked(layout, edited, expected, key, path)


def _set_one(text: str, key: str, value: object, path: str) -> str:
    layout = _layout(text, path)
    found = layout.entries.get(key)
    expected = copy.deepcopy(layout.data)
    if value is REMOVE:
        if found is None:
            return text
        _check_unshared(layout, found[1], key, path)
        del expected[key]
        return _checked(layout, _removed(layout, found[0], found[1], key, path), expected,
                        key, path)
    value = _plain(value)
    if found is not None and _same(layout.data[key], value):
        return text  # nothing to change: the value keeps the way it is written
    expected[key] = copy.deepcopy(value)
    if found is None:
        return _checked(layout, _added(layout, key, value), expected, key, path)
    _check_unshared(layout, found[1], key, path)
    return _checked(layout, _replaced(layout, found[0], found[1], key, value, path),
                    expected, key, path)


def _replaced(layout: Layout, key_node: Node, value_node: Node, key: str, value: object,
              path: str) -> str:
    """The value of `key` rewritten; a comment beside the key or the value is kept."""
    body, nl = layout.body, layout.newline
    colon = _colon_end(layout, key_node, key, path)
    key_eol = line_end(body, colon)
    below = value_node.start_mark.index > key_eol
    end = content_end(body, value_node)
    end_eol = line_end(body, end)
    # A comment beside a value written on the key's line is kept; one beside the last
    # line of a longer value belongs to what is replaced.
    tail = body[end:end_eol] if end_eol == key_eol else ""
    if not tail.strip():
        tail, end = "", end_eol
    key_comment = body[colon:key_eol].rstrip() if below else ""
    quote = value_node.style if isinstance(value_node, ScalarNode) else None
    flow = bool(getattr(value_node, "flow_style", False))
    first, rest = render_entry(value, flow=flow, quote=quote)
    if rest:
        same_shape = (isinstance(value, list) and isinstance(value_node, SequenceNode)) or (
            isinstance(value, dict) and isinstance(value_node, MappingNode))
        if below and same_shape and not flow:
            rendered_column = len(rest[0]) - len(rest[0].lstrip(" "))
            rest = shift(rest, value_node.start_mark.column - rendered_column)
        else:
            rest = shift(rest, layout.column)
        if tail:
            key_comment, end = key_comment + tail.rstrip(), end_eol
        new = first + key_comment + nl + nl.join(rest)
    else:
        new = first + key_comment
    return _spliced(body, colon, new, end, value, nl, layout.column)


def _added(layout: Layout, key: str, value: object) -> str:
    """`key: value` after the last value of the mapping, before what follows it."""
    body, nl = layout.body, layout.newline
    lines = shift(yaml.dump({key: value}, Dumper=RecordDumper).rstrip("\n").split("\n"),
                  layout.column)
    last = layout.root.value[-1]
    at = line_end(body, max(content_end(body, last[0]), content_end(body, last[1])))
    return _spliced(body, at, nl + nl.join(lines), at, value, nl, layout.column)


def _removed(layout: Layout, key_node: Node, value_node: Node, key: str, path: str) -> str:
    """The key's lines and its value's lines deleted, and nothing else."""
    body = layout.body
    _colon_end(layout, key_node, key, path)
    start = line_start(body, key_node.start_mark.index)
    end = line_end(body, content_end(body, value_node))
    if end < len(body):
        end += 2 if body.startswith("\r\n", end) else 1
    # Comment lines indented under the key are its own: they go with it (left behind, they
    # would become the text of a block scalar above).
    while end < len(body):
        following = line_end(body, end)
        line = body[end:following].rstrip("\r")
        if not (line.lstrip(" ").startswith("#")
                and len(line) - len(line.lstrip(" ")) > layout.column):
            break
        end = following + (2 if body.startswith("\r\n", following) else 1)
    return body[:start] + body[end:]


def _spliced(body: str, start: int, new: str, end: int, value: object, nl: str,
             column: int) -> str:
    """`body` with `new` in place of start..end. When `new` ends with a block scalar
    (its parent at `column`), what follows must not become its text: at the end of a file
    without a final newline it gets its line break, and indented comment lines below it
    move to the parent's column."""
    if not _ends_in_block(value):
        return body[:start] + new + body[end:]
    if end == len(body):
        return body[:start] + new + nl
    moved: list[str] = []
    kept, resume, at = 0, end, end  # `at` is always at a line break
    while (following := body.find("\n", at) + 1) > 0:
        at = line_end(body, following)
        line = body[following:at]
        indent = len(line) - len(line.lstrip(" "))
        if line.strip() and not (line.lstrip(" ").startswith("#") and indent > column):
            break
        moved.append(" " * column + line.lstrip(" ") if line.strip() else "")
        if line.strip():
            kept, resume = len(moved), at
    return body[:start] + new + "".join(nl + line for line in moved[:kept]) + body[resume:]


def _ends_in_block(value: object) -> bool:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return bool(value) and _ends_in_block(value[-1])
    return isinstance(value, str) and "\n" in value


def _colon_end(layout: Layout, key_node: Node, key: str, path: str) -> int:
    """Where the `:` after a key ends; the key must open its line."""
    body = layout.body
    start = key_node.start_mark.index
    at = key_node.end_mark.index
    while body[at:at + 1] in (" ", "\t"):
        at += 1
    if body[line_start(body, start):start].strip(" ") or body[at:at + 1] != ":":
        raise _refused(path, f"the key '{shown(key)}' is written in an unusual form (not "
                             "at the start of its line, or not followed by its colon)")
    return at + 1


def _layout(text: str, path: str) -> Layout:
    try:
        return parse(text)
    except YamlProblem as problem:
        raise _refused(path, f"line {problem.line}: {problem.message}") from None
    except ValueError as why:
        raise _refused(path, str(why)) from None


def _check_unshared(layout: Layout, node: Node, key: str, path: str) -> None:
    if layout.shares(node):
        raise _refused(path, f"the value of '{shown(key)}' holds an anchor (&) used "
                             "elsewhere, or an alias (*)")


def _checked(layout: Layout, body: str, expected: dict[str, Any], key: str,
             path: str) -> str:
    """The edited text, if it reads back as exactly the data expected."""
    try:
        found = load(body, layout.max_aliases)
    except YamlProblem:
        found = None
    if not _same(found, expected):
        raise _refused(path, f"the file's layout around '{shown(key)}' is too unusual "
                             "for a change in place")
    return layout.bom + body


def _same(left: object, right: object) -> bool:
    """Equal, with the same types (True is not 1) and the same key order."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict) and isinstance(right, dict):
        return list(left) == list(right) and all(
            _same(left[name], right[name]) for name in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same, left, right))
    return left == right


def _plain(value: object) -> Any:
    """What the loader gives back for `value`: a time becomes its RFC 3339 text."""
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise TypeError(f"a time without an offset cannot be written: {value!r}")
        return format_timestamp(value)
    if isinstance(value, Mapping):
        return {str(name): _plain(inner) for name, inner in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(inner) for inner in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"a record holds plain data; cannot write {type(value).__name__}")


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _refused(path: str, why: str) -> EditError:
    return EditError(f"cannot change {path or 'the record'} in place: {why}; {_HAND}")
