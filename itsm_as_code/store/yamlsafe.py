"""Safe YAML for hostile input: plain data only, duplicate keys and alias bombs refused.

The fast path is libyaml's parser with a constructor that builds plain dicts, lists and
scalars. Timestamps stay the text the author wrote (the record format keeps them as
RFC 3339 strings), and only YAML 1.2 core scalars are typed: `on`, `no` or `1:30` stay
text, so a country code `NO` is not read as false.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import Mark, MarkedYAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

_Parser: type[Any] = getattr(yaml, "CParser", None) or yaml.parser.Parser
_HAS_LIBYAML = hasattr(yaml, "CParser")

MAX_EXPANDED_NODES = 100_000


class YamlProblem(Exception):
    """A file that is not acceptable YAML for a record; `rule` names why."""

    def __init__(self, rule: str, message: str, mark: Mark | None = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.line = mark.line + 1 if mark else 1
        self.column = mark.column + 1 if mark else 1


class RecordResolver(BaseResolver):
    """YAML 1.2 core schema: null, true/false, decimal ints and plain floats."""


RecordResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
RecordResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,17})$"), list("-+0123456789")
)
RecordResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
RecordResolver.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^<<$"), ["<"])
RecordResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class RecordConstructor(SafeConstructor):
    """Builds only JSON-like values; any other tag (`!!python/...`, `!!binary`) is refused."""


    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[str, Any]:  # type: ignore[override]
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping: dict[str, Any] = {}
        seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(
                    "yaml-syntax",
                    "merge keys (<<) are not allowed in records: write the fields out",
                    key_node.start_mark,
                )
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise YamlProblem(
                    "yaml-syntax",
                    f"mapping keys must be text, found {type(key).__name__} {key!r}: quote it",
                    key_node.start_mark,
                )
            if key in seen:
                first = seen[key]
                raise YamlProblem(
                    "yaml-duplicate-key",
                    f"duplicate key '{key}' (first at line {first.line + 1}): "
                    "keep one and delete the other",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_undefined(self, node: Node) -> Any:
        raise YamlProblem(
            "yaml-tag",
            f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed: records "
            "hold plain text, numbers, true/false, lists and mappings",
            node.start_mark,
        )


for _tag, _method in (
    ("tag:yaml.org,2002:null", SafeConstructor.construct_yaml_null),
    ("tag:yaml.org,2002:bool", SafeConstructor.construct_yaml_bool),
    ("tag:yaml.org,2002:int", SafeConstructor.construct_yaml_int),
    ("tag:yaml.org,2002:float", SafeConstructor.construct_yaml_float),
    ("tag:yaml.org,2002:str", SafeConstructor.construct_yaml_str),
    ("tag:yaml.org,2002:seq", SafeConstructor.construct_yaml_seq),
    ("tag:yaml.org,2002:map", SafeConstructor.construct_yaml_map),
    (None, RecordConstructor.construct_undefined),
):
    RecordConstructor.add_constructor(_tag, _method)  # type: ignore[type-var]


class RecordLoader(_Parser, RecordConstructor, RecordResolver):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        RecordConstructor.__init__(self)
        RecordResolver.__init__(self)


if not _HAS_LIBYAML:  # pragma: no cover - libyaml ships in PyYAML's wheels

    class _PureLoader(
        yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
        RecordConstructor, RecordResolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            RecordConstructor.__init__(self)
            RecordResolver.__init__(self)

    RecordLoader = _PureLoader  # type: ignore[misc, assignment]


def compose(text: str) -> Node | None:
    """The node tree of a one-document text, with positions (for locating findings)."""
    loader = RecordLoader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


def load(text: str, max_aliases: int) -> Any:
    """Parse one YAML document of plain data, or raise YamlProblem."""
    loader = RecordLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "&" in text and "*" in text:
            _check_aliases(node, max_aliases)
        return loader.construct_document(node)
    except YamlProblem:
        raise
    except yaml.composer.ComposerError as error:
        if "single document" in f"{error.context} {error.problem}":
            raise YamlProblem(
                "file-documents",
                "a record file holds exactly one YAML document: split it into one file per record",
                error.problem_mark,
            ) from None
        raise _syntax(error) from None
    except MarkedYAMLError as error:
        raise _syntax(error) from None
    except yaml.YAMLError as error:
        raise YamlProblem("yaml-syntax", f"not valid YAML: {error}") from None
    finally:
        loader.dispose()


def _syntax(error: MarkedYAMLError) -> YamlProblem:
    what = " ".join(part for part in (error.context, error.problem) if part)
    mark = error.problem_mark or error.context_mark
    return YamlProblem("yaml-syntax", f"YAML syntax error: {what}", mark)


def _check_aliases(root: Node, max_aliases: int) -> None:
    """Refuse alias bombs: too many aliases, recursion, or a huge expanded document."""
    sizes: dict[int, int] = {}
    aliases = 0
    active: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            active.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_EXPANDED_NODES:
                raise YamlProblem(
                    "yaml-alias",
                    f"aliases expand this file to more than {MAX_EXPANDED_NODES:,} values: "
                    "write the data out instead of repeating anchors",
                    node.start_mark,
                )
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
            sizes[key] = 1
            continue
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []
