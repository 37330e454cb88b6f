"""Known errors' `match` patterns are regular expressions that compile."""

from __future__ import annotations

import re
from collections.abc import Iterator

from itsm_as_code.findings import Finding
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository


def compile_(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    for record in records:
        if record.kind != "KnownError":
            continue
        for index, pattern in enumerate(record.get("match") or []):
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as error:
                yield record.finding(
                    "match-pattern",
                    f"match[{index}] is not a valid regular expression: {error.msg}"
                    + (f" at position {error.pos}" if error.pos is not None else "")
                    + ": fix it or quote special characters with a backslash",
                    ("match", index),
                )
