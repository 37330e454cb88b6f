"""Lines and columns of values inside a YAML text, found by walking its node tree."""

from __future__ import annotations

from bisect import bisect_right

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from itsm_as_code.yamlerrors import LINE_BREAK
from itsm_as_code.yamlsafe import compose

# A mapping's children by key text: built the first time the mapping is asked about, so
# that a file with thousands of findings is walked once, not once per finding.
Children = dict[str, tuple[ScalarNode, Node]]


class Located:
    """The node tree of one source text, composed once, answering `find` queries."""

    def __init__(self, text: str) -> None:
        text = text.removeprefix("\ufeff")  # as `compose` counts
        try:
            self.root: Node | None = compose(text)
        except Exception:
            self.root = None
        self._starts = [0, *(found.end() for found in LINE_BREAK.finditer(text))]
        self._children: dict[int, Children] = {}

    def find(self, at: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        """The deepest node along `at` that exists; its key node when `key` is set."""
        if self.root is None:
            return 1, 1
        found: Node = self.root
        for depth, step in enumerate(at, start=1):
            child: Node | None = None
            key_node: Node | None = None
            if isinstance(found, MappingNode):
                key_node, child = self._index(found).get(str(step), (None, None))
            elif (isinstance(found, SequenceNode) and isinstance(step, int)
                  and 0 <= step < len(found.value)):
                child = found.value[step]
            if child is None:
                break
            if key and depth == len(at) and key_node is not None:
                return self._place(key_node)
            found = child
        return self._place(found)

    def _index(self, mapping: MappingNode) -> Children:
        children = self._children.get(id(mapping))
        if children is None:
            children = {}
            for key_node, value_node in mapping.value:
                if isinstance(key_node, ScalarNode):
                    children.setdefault(key_node.value, (key_node, value_node))
            self._children[id(mapping)] = children
        return children

    def _place(self, node: Node) -> tuple[int, int]:
        index = node.start_mark.index
        line = bisect_right(self._starts, index)
        return line, index - self._starts[line - 1] + 1
