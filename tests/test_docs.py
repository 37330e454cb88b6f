"""The README stays true to the code: every rule, command, kind and status is documented,
and the tables that print the lifecycle say what model/lifecycle.py says."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from itsm_as_code.cli.main import COMMANDS, load_command
from itsm_as_code.model.lifecycle import INCIDENT, KNOWN_ERROR, LIFECYCLES, TIMELINE_KINDS
from itsm_as_code.reporters import FORMATS
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.validation.registry import RULES, of_scope

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
LINES = README.splitlines()


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _tables(header: str) -> list[list[list[str]]]:
    """The rows (as cells) of every README table whose header line is `header`."""
    found: list[list[list[str]]] = []
    rows: list[list[str]] | None = None
    for line in LINES:
        if line.strip() == header:
            rows = []
            found.append(rows)
        elif rows is not None and line.startswith("|"):
            if not line.startswith("| ---"):
                rows.append(_cells(line))
        else:
            rows = None
    return found


def _names(text: str) -> set[str]:
    return set(re.findall(r"`([\w-]+)`", text))


def _row(rule: str) -> str:
    (line,) = [line for line in LINES if line.startswith(f"| `{rule}` |")]
    return line


def test_the_rule_tables_hold_exactly_the_registered_rules() -> None:
    tables = [[row[0].strip("`") for row in rows] for rows in _tables("| rule | finding |")]
    assert tables == [of_scope("file"), of_scope("record", "repository"), of_scope("history"),
                      of_scope("audit")]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_is_in_a_rules_table(rule: str) -> None:
    assert f"| `{rule}` |" in README


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_in_the_reference(command: str) -> None:
    assert f"| `itsm {command}" in README


def _formats() -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each command (`access plan`, ...) with the choices of its `--format`."""
    def walk(name: str, command: click.Command) -> Iterator[tuple[str, click.Command]]:
        if isinstance(command, click.Group):
            for sub, below in command.commands.items():
                yield from walk(f"{name} {sub}", below)
        else:
            yield name, command

    for group in sorted(COMMANDS):
        for name, command in walk(group, load_command(group)):
            for param in command.params:
                if param.name == "output_format" and isinstance(param.type, click.Choice):
                    yield name, tuple(str(choice) for choice in param.type.choices)


FORMATS_OF = dict(_formats())


@pytest.mark.parametrize("command", sorted(FORMATS_OF))
def test_the_reference_names_the_formats_a_command_has(command: str) -> None:
    """`[--format F]` stands for the shared formats; a command with others lists them."""
    (line,) = [line for line in LINES if line.startswith(f"| `itsm {command}")]
    written = re.search(r"\[--format ([^\]]*)\]", line)
    if written is not None:
        shown = FORMATS if written[1] == "F" else tuple(written[1].split("\\|"))
        assert shown == FORMATS_OF[command]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_is_in_the_record_table(kind: str) -> None:
    assert f"| {kind} | `{KINDS[kind].folder}/" in README


def test_the_readme_prints_every_transition_table_as_it_is() -> None:
    (rows,) = _tables("| kind | from | may move to |")
    printed: dict[str, dict[str, frozenset[str]]] = {}
    for kind, before, after in rows:
        for status in re.findall(r"`(\w+)`", before):
            printed.setdefault(kind, {})[status] = frozenset(re.findall(r"`(\w+)`", after))
    assert printed == {kind: dict(table.moves) for kind, table in LIFECYCLES.items()}
    assert "(`itsm_as_code/model/lifecycle.py`)" in README


def test_the_rules_name_the_statuses_of_the_lifecycle() -> None:
    initial = re.search(r"\(([^)]*) when no entry has one\)", _row("status-timeline"))
    assert initial is not None
    assert _names(initial[1]) == {LIFECYCLES[kind].initial for kind in TIMELINE_KINDS}
    reopen = re.search(r"from (.*) to an active status \((.*)\) counts", _row("history-reopen"))
    assert reopen is not None
    assert (_names(reopen[1]), _names(reopen[2])) == (set(INCIDENT.done), set(INCIDENT.active))
    closed = re.search(r"moves it to ([^)]*)\)", _row("history-closed"))
    assert closed is not None and _names(closed[1]) == INCIDENT.moves["closed"]


def test_the_record_table_lists_a_known_error_s_statuses() -> None:
    (line,) = [line for line in LINES if line.startswith("| KnownError | `known-errors")]
    written = re.search(r"\*\*status\*\* \(([^)]*)\)", line)
    assert written is not None
    assert tuple(re.findall(r"`(\w+)`", written[1])) == KNOWN_ERROR.statuses


def test_every_module_of_the_architecture_table_exists() -> None:
    """The README's table of the flow's arrows names real modules, and every top-level part
    of the package appears in the layers paragraph."""
    package = Path(__file__).parent.parent / "itsm_as_code"
    [table] = _tables("| arrow | module |")
    named = [path for row in table for path in re.findall(r"`([a-z_/]+\.py)`", row[1])]
    assert named and [path for path in named if not (package / path).is_file()] == []
    section = README.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    for part in ("cli", "pipeline", "site", "model", "store", "git", "config", "templating"):
        assert f"`{part}`" in section
