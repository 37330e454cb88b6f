"""Safe YAML for hostile input: plain data only, duplicate keys and alias bombs refused.

The fast path is libyaml's parser with a constructor that builds plain dicts, lists and
scalars. Timestamps stay the text the author wrote (the record format keeps them as
RFC 3339 strings), and only YAML 1.2 core scalars are typed: `on`, `no` or `1:30` stay
text, so a country code `NO` is not read as false.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import Mark, MarkedYAMLError
from yaml.nodes import MappingNode, Node
from yaml.resolver import BaseResolver

from itsm_as_code.yamlerrors import YamlProblem, location, shown, syntax_problem
from itsm_as_code.yamllimits import check_aliases, check_depth, too_deep

try:
    from yaml import cyaml

    _CParser: Any = getattr(cyaml, "CParser", None)
except ImportError:  # pragma: no cover - libyaml ships in PyYAML's wheels
    _CParser = None

MAX_DIGITS = 18
# C0 controls other than tab, line feed and carriage return, and DEL: never in a record.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.MULTILINE)



class RecordResolver(BaseResolver):
    """YAML 1.2 core schema: null, true/false, decimal ints and plain floats."""


RecordResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
RecordResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
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

    text: str  # the source, set by RecordLoader: messages count lines as editors do

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[str, Any]:  # type: ignore[override]
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping: dict[str, Any] = {}
        seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(
                    "yaml-key",
                    "merge keys (<<) are not allowed in records: write the fields out",
                    key_node.start_mark,
                )
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                found = "null" if key is None else f"{type(key).__name__} {key!r}"
                raise YamlProblem(
                    "yaml-key",
                    f"mapping keys must be text, found {found}: quote the key",
                    key_node.start_mark,
                )
            if key in seen:
                first, _ = location(self.text, seen[key].index)
                raise YamlProblem(
                    "yaml-duplicate-key",
                    f"duplicate key '{shown(key)}' (first at line {first}): "
                    "keep one and delete the other",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_number(self, node: Node) -> Any:
        """Ints of at most 18 digits and finite floats: what every JSON reader keeps exact."""
        text = str(node.value)
        try:
            return self._number(node, text)
        except (ValueError, OverflowError):  # only an explicit tag (`!!int abc`) gets here
            raise _misfit(node) from None

    def construct_bool(self, node: Node) -> Any:
        try:
            return self.construct_yaml_bool(node)  # type: ignore[arg-type]
        except KeyError:  # only an explicit tag (`!!bool abc`) gets here
            raise _misfit(node) from None

    def _number(self, node: Node, text: str) -> Any:
        if node.tag.endswith(":int"):
            if len(text.lstrip("+-").replace("_", "")) > MAX_DIGITS:
                raise YamlProblem(
                    "yaml-number",
                    f"the number {shown(text[:24])}{'...' if len(text) > 24 else ''} is too long: "
                    f"numbers in records have at most {MAX_DIGITS} digits",
                    node.start_mark,
                )
            return self.construct_yaml_int(node)  # type: ignore[arg-type]
        value = self.construct_yaml_float(node)  # type: ignore[arg-type]
        if math.isinf(value) or math.isnan(value):
            raise YamlProblem(
                "yaml-number", f"{text} is not a finite number: write a smaller one",
                node.start_mark,
            )
        return value

    def construct_text(self, node: Node) -> str:
        """Text; a double-quoted escape may not smuggle in what a raw byte may not be."""
        value = str(self.construct_scalar(node))  # type: ignore[arg-type]
        if getattr(node, "style", None) == '"':
            bad = _ESCAPED.search(value)
            if bad is not None:
                raise YamlProblem(
                    "file-encoding",
                    f"the escape for U+{ord(bad.group()):04X} writes a control character, "
                    "which is not allowed in a record: remove it",
                    node.start_mark,
                )
        return value

    def construct_undefined(self, node: Node) -> Any:
        raise YamlProblem(
            "yaml-tag",
            f"the tag {shown(node.tag.replace('tag:yaml.org,2002:', '!!'))} is not allowed: "
            "records hold plain text, numbers, true/false, lists and mappings",
            node.start_mark,
        )


def _misfit(node: Node) -> YamlProblem:
    text = str(node.value)
    return YamlProblem(
        "yaml-tag",
        f"the tag {shown(node.tag.replace('tag:yaml.org,2002:', '!!'))} does not fit the value "
        f"'{shown(text[:24])}{'...' if len(text) > 24 else ''}': remove the tag",
        node.start_mark,
    )


# Only plain data: SafeConstructor's !!binary, !!set, !!omap, !!timestamp ... are not kept.
RecordConstructor.yaml_constructors = {}
for _tag, _method in (
    ("tag:yaml.org,2002:null", SafeConstructor.construct_yaml_null),
    ("tag:yaml.org,2002:bool", RecordConstructor.construct_bool),
    ("tag:yaml.org,2002:int", RecordConstructor.construct_number),
    ("tag:yaml.org,2002:float", RecordConstructor.construct_number),
    ("tag:yaml.org,2002:str", RecordConstructor.construct_text),
    ("tag:yaml.org,2002:seq", SafeConstructor.construct_yaml_seq),
    ("tag:yaml.org,2002:map", SafeConstructor.construct_yaml_map),
    (None, RecordConstructor.construct_undefined),
):
    RecordConstructor.add_constructor(_tag, _method)  # type: ignore[type-var]


if _CParser is not None:

    class RecordLoader(_CParser, RecordConstructor, RecordResolver):  # type: ignore[misc]
        """libyaml's parser with the record constructor and resolver."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            self.text = stream
            RecordConstructor.__init__(self)
            RecordResolver.__init__(self)

else:  # pragma: no cover - the same in pure Python, about ten times slower

    class RecordLoader(  # type: ignore[no-redef]
        yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
        RecordConstructor, RecordResolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            self.text = stream
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            RecordConstructor.__init__(self)
            RecordResolver.__init__(self)


def compose(text: str) -> Node | None:
    """The node tree of a one-document text, with positions (for locating findings): marks'
    `index` counts from after a leading byte order mark, as `load` does."""
    loader = RecordLoader(text.removeprefix("\ufeff"))
    try:
        node: Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


def load(text: str, max_aliases: int) -> Any:
    """Parse one YAML document of plain data, or raise YamlProblem (its line and column
    counted as editors count them; a leading byte order mark is skipped)."""
    text = text.removeprefix("\ufeff")
    try:
        return _load(text, max_aliases)
    except YamlProblem as problem:
        conflict = _CONFLICT.search(text)
        if conflict is not None:
            raise YamlProblem(
                "yaml-syntax",
                f"the file holds an unresolved merge conflict (a {conflict.group()[:7]} line):"
                " keep the right lines between <<<<<<< and >>>>>>>, then delete the three "
                "marker lines", _mark(conflict.start()), text) from None
        problem.place(text)
        raise


def _mark(index: int) -> Mark:
    return Mark("", index, 0, 0, None, 0)


def _load(text: str, max_aliases: int) -> Any:
    control = _CONTROL.search(text)
    if control is not None:
        raise YamlProblem(
            "file-encoding",
            f"control character U+{ord(control.group()):04X} is not allowed in a record: "
            "remove it", _mark(control.start()))
    bom = text.find("\ufeff")
    if bom >= 0:
        raise YamlProblem(
            "file-encoding",
            "a byte order mark (U+FEFF, invisible in most editors) in the middle of the file:"
            " remove it (joining two files can leave one)", _mark(bom))
    try:
        loader = RecordLoader(text)
    except yaml.YAMLError as error:  # pragma: no cover - the pure-Python reader's checks
        raise YamlProblem("yaml-syntax", f"not valid YAML: {error}") from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "&" in text and "*" in text:
            check_aliases(node, max_aliases)
        else:
            check_depth(node)
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
        raise syntax_problem(error, text) from None
    except MarkedYAMLError as error:
        if "maximum nesting depth" in str(error.problem):
            raise too_deep(error.problem_mark) from None
        raise syntax_problem(error, text) from None
    except yaml.YAMLError as error:
        raise YamlProblem("yaml-syntax", f"not valid YAML: {error}") from None
    finally:
        loader.dispose()


