"""Where things are in a record file's text, and new values as text to put there: the
helpers of the round-trip editor (edit.py).

Positions come from the node tree's marks; a value's span ends at its last written
character (a block collection's own end mark lies past the comments and blank lines that
follow it, which belong to what comes next).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from itsm_as_code.authoring.writer import RecordDumper
from itsm_as_code.store.loader import Limits
from itsm_as_code.yamlsafe import compose, load

# Wide enough that a one-line value is never folded over lines.
_WIDE = 1 << 20


@dataclass
class Layout:
    """One record text, read: its data, its node tree and how its lines are written."""

    body: str  # the text after a byte order mark: the marks count from there
    bom: str
    newline: str
    data: dict[str, Any]
    root: MappingNode
    column: int  # where the top-level keys start
    max_aliases: int
    entries: dict[str, tuple[Node, Node]] = field(default_factory=dict)
    seen: Counter[int] = field(default_factory=Counter)  # times each node is reached

    def shares(self, node: Node) -> bool:
        """Whether anything inside `node` is an anchored node an alias repeats."""
        return any(self.seen[id(inner)] > 1 for inner in _walk(node))


def parse(text: str) -> Layout:
    """The layout of a record text; YamlProblem for what the loader refuses (several
    documents, duplicate keys...), ValueError for a shape that cannot be edited."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    max_aliases = Limits().max_aliases
    data = load(body, max_aliases)
    root = compose(body)
    if not isinstance(data, dict) or not isinstance(root, MappingNode):
        raise ValueError("the file does not hold a mapping of fields")
    if root.flow_style:
        raise ValueError("the record is written as one flow mapping ({...})")
    first_break = body.find("\n")
    newline = "\r\n" if first_break > 0 and body[first_break - 1] == "\r" else "\n"
    layout = Layout(body, bom, newline, data, root, root.start_mark.column, max_aliases)
    for key_node, value_node in root.value:
        layout.entries[str(key_node.value)] = (key_node, value_node)
    layout.seen.update(id(node) for node in _walk(root, repeat=True))
    return layout


def _walk(node: Node, repeat: bool = False) -> list[Node]:
    """Every node under `node`; with `repeat`, an aliased node once per alias too (its
    insides once: the loader has refused alias bombs already)."""
    found: list[Node] = []
    done: set[int] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        found.append(current)
        if id(current) in done:
            continue
        done.add(id(current))
        if isinstance(current, MappingNode):
            for key_node, value_node in current.value:
                pending += [key_node, value_node]
        elif isinstance(current, SequenceNode):
            pending += current.value
    return found if repeat else list({id(node): node for node in found}.values())


def content_end(body: str, node: Node) -> int:
    """Where the last character written for `node` ends."""
    if isinstance(node, ScalarNode):
        end: int = node.end_mark.index
        if node.style in ("|", ">"):
            # A block scalar's mark lies past its trailing line breaks.
            while end > node.start_mark.index and body[end - 1] in " \t\r\n":
                end -= 1
        return end
    assert isinstance(node, (MappingNode, SequenceNode))
    if node.flow_style or not node.value:
        return int(node.end_mark.index)
    last = node.value[-1]
    if isinstance(node, MappingNode):
        return max(content_end(body, last[0]), content_end(body, last[1]))
    return content_end(body, last)


def line_start(body: str, index: int) -> int:
    return body.rfind("\n", 0, index) + 1


def line_end(body: str, index: int) -> int:
    """Where the line holding `index` ends, before its line break (LF or CRLF)."""
    found = body.find("\n", index)
    if found < 0:
        return len(body)
    return found - 1 if found > index and body[found - 1] == "\r" else found


def shift(lines: list[str], by: int) -> list[str]:
    """Lines moved right (or left) by `by` columns; empty lines stay empty."""
    if by >= 0:
        return [" " * by + line if line else line for line in lines]
    return [line[-by:] if line[:-by].strip(" ") == "" else line for line in lines]


class _Styled(RecordDumper):
    """RecordDumper, with a flow style or a quote style for every value when asked."""

    def __init__(self, stream: Any, **options: Any) -> None:
        super().__init__(stream, width=options.get("width", 100))
        self.default_flow_style = options.get("default_flow_style", False)
        self.default_style = options.get("default_style")


def render_entry(value: object, flow: bool = False, quote: str | None = None,
                 ) -> tuple[str, list[str]]:
    """`value` as it follows a key's colon: the rest of the key's line, and the lines
    below it (indented for a key at column 0). A flow value stays flow where it fits on
    one line; quoted text stays quoted in the same way."""
    if flow and isinstance(value, (list, dict)):
        one = _dump(value, default_flow_style=True)
        if "\n" not in one:
            return " " + one, []
    if quote in ("'", '"') and isinstance(value, str) and "\n" not in value:
        one = _dump(value, default_style=quote)
        if "\n" not in one:
            return " " + one, []
    lines = yaml.dump({"k": value}, Dumper=RecordDumper).rstrip("\n").split("\n")
    return lines[0][len("k:"):], lines[1:]


def render_item(item: object, flow: bool) -> str:
    """`item` as a list item is written after its `- ` (lines below indented for a dash at
    column 0) or, with `flow`, between the commas of a `[...]` list."""
    if flow:
        return _dump([item], default_flow_style=True)[1:-1]
    lines = yaml.dump([item], Dumper=RecordDumper).rstrip("\n").split("\n")
    return "\n".join(line[2:] for line in lines)


def _dump(value: object, **style: Any) -> str:
    text = yaml.dump(value, Dumper=_Styled, width=_WIDE, **style)
    return str(text).removesuffix("\n...\n").rstrip("\n")
