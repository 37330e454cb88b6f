"""Positions of values in a source text: one walk per file, lines as editors count them."""

from __future__ import annotations

from collections.abc import Iterator

from yaml.nodes import MappingNode, Node

from itsm_as_code.positions import Located


class _Counted(list[tuple[Node, Node]]):
    """A mapping node's pairs that count how often they are walked."""

    walks = 0

    def __iter__(self) -> Iterator[tuple[Node, Node]]:
        self.walks += 1
        return super().__iter__()


def test_thousands_of_findings_in_one_mapping_cost_one_walk() -> None:
    count = 20_000  # 418 KB; asked one by one from the start, each walked the mapping
    located = Located("accounts:\n" + "".join(f"  sys{n}: user{n}\n" for n in range(count)))
    assert isinstance(located.root, MappingNode)
    accounts = located.root.value[0][1]
    pairs = accounts.value = _Counted(accounts.value)
    places = [located.find(("accounts", f"sys{n}"), key=True) for n in range(count)]
    assert places[0] == (2, 3) and places[-1] == (count + 1, 3)
    assert pairs.walks == 1


def test_lines_break_at_line_feeds_and_carriage_returns_only() -> None:
    located = Located("\ufeffa: 'x\x85y\u2028z\u2029w'\r\nb:\r  c: [1, 2]\n")
    assert located.find(("b", "c", 1)) == (3, 10)
    assert located.find(("b",), key=True) == (2, 1)


def test_a_missing_step_gives_the_deepest_node_found() -> None:
    located = Located("a:\n  b: 1\n")
    assert located.find(("a", "nope")) == (2, 3)
    assert Located("a: [unclosed\n").find(("a",)) == (1, 1)
