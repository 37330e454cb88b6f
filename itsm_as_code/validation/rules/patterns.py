"""Known errors' `match` patterns are regular expressions that compile."""

from __future__ import annotations

import re
from collections.abc import Iterator

from itsm_as_code.model.types import KnownError
from itsm_as_code.rule import Hit
from itsm_as_code.validation.rules.base import Judged


def compile_(judged: Judged) -> Iterator[Hit]:
    for record, known in judged.values("KnownError", KnownError):
        for index, pattern in enumerate(known.match):
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as error:
                yield Hit(
                    record,
                    f"match[{index}] is not a valid regular expression: {error.msg}"
                    + (f" at position {error.pos}" if error.pos is not None else "")
                    + ": fix it or quote special characters with a backslash",
                    ("match", index),
                )
