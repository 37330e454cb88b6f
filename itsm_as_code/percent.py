"""Percentages as people read them, shortened one way everywhere: the uptime of the
status site, its badges, and the availability of `itsm report` (its data and its text).

A figure is cut, never rounded up: 99.9996% of uptime is not a perfect record, and a
page must not say `100%` beside a day of outage.
"""

from __future__ import annotations

import math


def truncated(value: float, digits: int) -> float:
    """`value` cut to `digits` decimals (towards zero)."""
    scale: int = 10 ** digits
    # Rounded to 9 places first: 99.879 * 1000 is 99878.99999999999 in binary floating
    # point, which a plain cut would make 99.878.
    return math.floor(round(value * scale, 9)) / scale


def percent_text(value: float, digits: int = 2) -> str:
    """`99.95%`: `value` cut to `digits` decimals, all of them written."""
    return f"{truncated(value, digits):.{digits}f}%"
