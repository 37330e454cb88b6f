"""Lines and columns of values inside a YAML text, found by walking its node tree."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from itsm_as_code.yamlsafe import compose


class Located:
    """The node tree of one source text, composed once, answering `find` queries."""

    def __init__(self, text: str) -> None:
        try:
            self.root: Node | None = compose(text)
        except Exception:
            self.root = None

    def find(self, at: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        """The deepest node along `at` that exists; its key node when `key` is set."""
        node = self.root
        if node is None:
            return 1, 1
        found: Node = node
        for depth, step in enumerate(at, start=1):
            child: Node | None = None
            key_node: Node | None = None
            if isinstance(found, MappingNode):
                for candidate_key, candidate_value in found.value:
                    if isinstance(candidate_key, ScalarNode) and candidate_key.value == str(step):
                        key_node, child = candidate_key, candidate_value
                        break
            elif (isinstance(found, SequenceNode) and isinstance(step, int)
                  and 0 <= step < len(found.value)):
                child = found.value[step]
            if child is None:
                break
            if key and depth == len(at) and key_node is not None:
                return key_node.start_mark.line + 1, key_node.start_mark.column + 1
            found = child
        return found.start_mark.line + 1, found.start_mark.column + 1
