"""The README stays true to the code: every rule, command and kind is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from itsm_as_code.cli.main import COMMANDS
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.loader import FILE_RULES
from itsm_as_code.validation.rules import RULES

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("rule", [*FILE_RULES, "schema", *RULES])
def test_every_rule_is_in_the_rules_tables(rule: str) -> None:
    assert f"| `{rule}` |" in README


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_in_the_reference(command: str) -> None:
    assert f"| `itsm {command}" in README


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_is_in_the_record_table(kind: str) -> None:
    assert f"| {kind} | `{KINDS[kind].folder}/" in README
