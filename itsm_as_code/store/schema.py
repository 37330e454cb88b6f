"""The schema check: a compiled validator decides, jsonschema explains the failures."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from itsm_as_code.explain import Explained, explain_all, validator_for
from itsm_as_code.findings import Finding
from itsm_as_code.resources import load_schema
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Record


class SchemaCheck:
    """Checks records against their kind's schema.

    jsonschema-rs answers valid or not for every record at a small fraction of the parse
    cost; jsonschema's structured errors, which make the messages, are computed only for
    records that fail.
    """

    def __init__(self) -> None:
        self._fast: dict[str, Any] = {}
        self._detailed: dict[str, Any] = {}

    def check(self, record: Record) -> list[Finding]:
        fast = self._fast.get(record.kind)
        if fast is None:
            schema = load_schema(KINDS[record.kind].schema)
            fast = self._fast[record.kind] = jsonschema_rs.validator_for(
                schema, validate_formats=True
            )
        try:
            if fast.is_valid(record.data):
                return []
        except (ValueError, OverflowError, TypeError):
            pass  # a value the compiled validator cannot take: let jsonschema judge it
        problems = self._explain(record)
        return [record.finding("schema", p.message, p.at, key=p.key) for p in problems]

    def _explain(self, record: Record) -> list[Explained]:
        detailed = self._detailed.get(record.kind)
        if detailed is None:
            schema = load_schema(KINDS[record.kind].schema)
            detailed = self._detailed[record.kind] = validator_for(schema)
        problems = explain_all(detailed, record.data)
        if problems:
            return problems
        # The two validators disagree (a format edge case): report the compiled one's words.
        fast = self._fast[record.kind]
        return [
            Explained(tuple(error.instance_path), error.message)
            for error in fast.iter_errors(record.data)
        ] or [Explained((), "the record does not match its schema")]
