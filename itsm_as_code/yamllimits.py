"""Limits on a composed YAML node tree, checked before any of it is built: aliases (count,
recursion, expansion in values and in bytes) and nesting depth."""

from __future__ import annotations

from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from itsm_as_code.yamlerrors import YamlProblem

MAX_EXPANDED_NODES = 100_000
# Values a file's aliases may expand it to, in bytes of text: the expanded data is what
# every later step (the schema check, the record cache's JSON) walks, however few
# bytes wrote it.
MAX_EXPANDED_BYTES = 4 * 1024 * 1024
# Records nest a few levels; json, jsonschema and repr recurse once or more per level and
# fail near a thousand, a depth that aliases can reach from a small file.
MAX_DEPTH = 64

def check_aliases(root: Node, max_aliases: int) -> None:
    """Refuse alias bombs: too many aliases, recursion, or an expanded document that is
    too large (in values or in bytes) or too deep; each counted on the node tree, before
    any of it is built."""
    # Per node: values, bytes of text and levels it expands to.
    sizes: dict[int, tuple[int, int, int]] = {}
    aliases = 0
    active: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            active.discard(key)
            parts = [sizes[id(child)] for child in _children(node)]
            sizes[key] = size = (1 + sum(part[0] for part in parts),
                                 2 + sum(part[1] for part in parts),
                                 1 + max((part[2] for part in parts), default=0))
            _check_size(node, size)
            continue
        if key in sizes:
            aliases += 1
            if aliases > max_aliases:
                raise YamlProblem(
                    "yaml-alias",
                    f"more than {max_aliases} aliases in one file: write the values out "
                    "(limits.max_aliases in itsm.yaml)",
                    node.start_mark,
                )
            continue
        if key in active:
            raise YamlProblem(
                "yaml-alias", "an alias refers to a node that contains it", node.start_mark
            )
        if isinstance(node, ScalarNode):
            sizes[key] = (1, 2 + len(node.value), 1)
            continue
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))


def _check_size(node: Node, size: tuple[int, int, int]) -> None:
    values, length, levels = size
    if values > MAX_EXPANDED_NODES:
        raise YamlProblem(
            "yaml-alias",
            f"aliases expand this file to more than {MAX_EXPANDED_NODES:,} values: "
            "write the data out instead of repeating anchors",
            node.start_mark,
        )
    if length > MAX_EXPANDED_BYTES:
        raise YamlProblem(
            "yaml-alias",
            f"aliases expand this file to more than {MAX_EXPANDED_BYTES // 1024 // 1024} MiB "
            "of text: write the data out instead of repeating anchors",
            node.start_mark,
        )
    if levels > MAX_DEPTH:
        raise too_deep(node.start_mark)


def check_depth(root: Node) -> None:
    """Refuse values nested deeper than MAX_DEPTH (a file without aliases: a tree)."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise too_deep(node.start_mark)
        if not isinstance(node, ScalarNode):
            stack.extend((child, depth + 1) for child in _children(node)
                         if not isinstance(child, ScalarNode))


def too_deep(mark: Mark | None) -> YamlProblem:
    return YamlProblem("yaml-depth", f"values nest more than {MAX_DEPTH} levels deep here: "
                       "records are a few levels deep, flatten the data", mark)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []
