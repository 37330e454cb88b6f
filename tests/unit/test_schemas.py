"""The schemas themselves: valid draft 2020-12, documented, closed, and consistent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from itsm_as_code.config import CONFIG_SCHEMA
from itsm_as_code.store.kinds import KINDS

SCHEMAS = Path(__file__).parents[2] / "schemas"
FILES = sorted(SCHEMAS.glob("*.schema.json"))


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _objects(schema: Any, where: str = "#") -> list[tuple[str, dict[str, Any]]]:
    """Every sub-schema that declares properties, with a readable location."""
    found = []
    if isinstance(schema, dict):
        if "properties" in schema:
            found.append((where, schema))
        for key, value in schema.items():
            found += _objects(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            found += _objects(value, f"{where}/{index}")
    return found


def test_one_schema_per_kind_and_one_for_settings() -> None:
    expected = {kind.schema for kind in KINDS.values()} | {CONFIG_SCHEMA}
    assert {path.name for path in FILES} == expected


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_schema_passes_the_metaschema(path: Path) -> None:
    schema = _load(path)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + path.name)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_field_is_described_and_objects_are_closed(path: Path) -> None:
    schema = _load(path)
    defs = schema.get("$defs", {})
    for where, node in _objects(schema):
        assert node.get("additionalProperties") is False, f"{where} is open"
        for name, field in node["properties"].items():
            described = "description" in field
            ref = field.get("$ref", "")
            if not described and ref.startswith("#/$defs/"):
                described = "description" in defs[ref.removeprefix("#/$defs/")]
            assert described, f"{path.name}: {where}/properties/{name} has no description"


def test_shared_definitions_are_identical_in_every_schema() -> None:
    seen: dict[str, tuple[str, Any]] = {}
    for path in FILES:
        for name, definition in _load(path).get("$defs", {}).items():
            if name in seen:
                first, value = seen[name]
                assert definition == value, f"$defs/{name} differs in {first} and {path.name}"
            else:
                seen[name] = (path.name, definition)
