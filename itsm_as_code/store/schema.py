"""The schema check: a compiled validator decides, jsonschema explains the failures."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

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

    The compiled check leaves the sense of a timestamp or a date (the schemas' patterns
    check their shape) to the model, which reads every one of them anyway: calling back
    into Python for each of a large repository's hundreds of thousands of times would cost
    more than the whole check. A value the model cannot read comes back here (`explain`),
    where jsonschema's format checks, which know what `parse_timestamp` reads (formats.py),
    word it.
    """

    def __init__(self, zone: ZoneInfo | None = None) -> None:
        # itsm.yaml's time zone: the offset a timestamp without one is suggested with.
        self._zone = zone
        self._fast: dict[str, Any] = {}
        self._detailed: dict[str, Any] = {}

    def check(self, record: Record) -> list[Finding]:
        fast = self._fast.get(record.kind)
        if fast is None:
            schema = load_schema(KINDS[record.kind].schema)
            fast = self._fast[record.kind] = jsonschema_rs.validator_for(
                schema, validate_formats=False
            )
        try:
            if fast.is_valid(record.data):
                return []
        except (ValueError, OverflowError, TypeError):
            pass  # a value the compiled validator cannot take: let jsonschema judge it
        problems = self._detailed_problems(record) or [
            # The two validators disagree (a format edge case): the compiled one's words.
            Explained(tuple(error.instance_path), error.message)
            for error in fast.iter_errors(record.data)
        ] or [Explained((), "the record does not match its schema")]
        return self._findings(record, problems)

    def explain(self, record: Record) -> list[Finding]:
        """jsonschema's findings on a record the compiled check passed (none when it too
        finds nothing wrong)."""
        return self._findings(record, self._detailed_problems(record))

    @staticmethod
    def _findings(record: Record, problems: list[Explained]) -> list[Finding]:
        return [record.finding("schema", p.message, p.at, key=p.key) for p in problems]

    def _detailed_problems(self, record: Record) -> list[Explained]:
        detailed = self._detailed.get(record.kind)
        if detailed is None:
            schema = load_schema(KINDS[record.kind].schema)
            detailed = self._detailed[record.kind] = validator_for(schema)
        return explain_all(detailed, record.data, self._zone)
