"""One timestamp check for the schemas, both validators and the model: a space for `T`
(RFC 3339 section 5.6) is read everywhere, what the model cannot read is refused by all."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator

from itsm_as_code.formats import FORMATS, format_checker, is_timestamp
from itsm_as_code.resources import load_schema
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import context, example_repo, incident, run_itsm

SPACED = "2026-11-22 09:00:00+02:00"
SAMPLES = [
    (SPACED, True), ("2026-11-22T09:00:00+02:00", True), ("2026-11-22t07:00:00z", True),
    ("2026-11-22 09:00:00.123456789Z", True), ("2026-12-31T23:59:60Z", True),
    ("2026-11-22_09:00:00Z", False), ("2026-11-22  09:00:00Z", False),
    ("2026-11-22 09:00:00", False), ("2026-02-30 09:00:00Z", False),
    ("2026-11-22 25:00:00Z", False), ("20261122T090000Z", False), (" 2026-11-22T09:00:00Z", False),
]
TIMESTAMP = {"type": "string", "format": "date-time"}


@pytest.mark.parametrize(("text", "valid"), SAMPLES)
def test_pattern_format_checks_and_parser_agree(text: str, valid: bool) -> None:
    pattern = load_schema("incident.schema.json")["$defs"]["timestamp"]["pattern"]
    fast = jsonschema_rs.validator_for(TIMESTAMP, validate_formats=True, formats=FORMATS)
    detailed = Draft202012Validator(TIMESTAMP, format_checker=format_checker())
    assert is_timestamp(text) is valid
    assert fast.is_valid(text) is valid
    assert detailed.is_valid(text) is valid
    if valid:
        assert re.search(pattern, text)
        parse_timestamp(text)


def test_the_stock_checks_refuse_the_space_that_the_pattern_allows() -> None:
    # Why FORMATS exists: without it the two validators refuse what the pattern allows.
    assert not jsonschema_rs.validator_for(TIMESTAMP, validate_formats=True).is_valid(SPACED)
    stock = Draft202012Validator(TIMESTAMP,
                                 format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert not stock.is_valid(SPACED)


def test_a_spaced_timestamp_reaches_the_model() -> None:
    opened = "2026-11-22 08:00:00+01:00"
    ctx = context(incident(opened_at=opened, timeline=[
        {"at": "2026-11-22 08:05:00.25+01:00", "status": "investigating", "message": "Looking."}
    ]))
    assert ctx.model.schema_findings(["Incident"]) == []
    value = ctx.model.incidents["INC-0001"]
    assert value.opened_at == datetime(2026, 11, 22, 8, tzinfo=timezone(timedelta(hours=1)))
    assert value.timeline[0].at == datetime(2026, 11, 22, 8, 5, 0, 250000,
                                            tzinfo=timezone(timedelta(hours=1)))


def test_itsm_validate_reads_a_spaced_timestamp_and_refuses_an_impossible_one(
        tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo")
    path = root / "records/incidents/INC-0001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("opened_at: 2026-11-02T09:14:00+01:00",
                                 "opened_at: 2026-11-02 09:14:00+01:00"), encoding="utf-8")
    assert run_itsm("validate", cwd=root).lines == ["ok: 11 records valid"]
    path.write_text(text.replace("opened_at: 2026-11-02T09:14:00+01:00",
                                 "opened_at: 2026-02-30 09:14:00+01:00"), encoding="utf-8")
    refused = run_itsm("validate", cwd=root)
    assert refused.code == 1
    assert refused.lines[0] == (
        "records/incidents/INC-0001.yaml:11:12: error: opened_at: '2026-02-30 09:14:00+01:00' "
        "is not valid: expected an RFC 3339 timestamp with an offset, such as "
        "`2026-11-02T09:14:00+01:00` or `2026-11-02T08:14:00Z`. [schema]")
