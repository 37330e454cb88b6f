"""Fresh ids for numbered kinds: the prefix and one more than the highest number in use."""

from __future__ import annotations

import re
from collections.abc import Iterable

WIDTH = 4


def next_id(prefix: str, taken: Iterable[str]) -> str:
    """`INC-0042` after `INC-0041`; numbers grow past four digits when they must."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    highest = 0
    for record_id in taken:
        match = pattern.match(record_id)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"{prefix}-{highest + 1:0{WIDTH}d}"
