"""Public holidays of a country (and subdivision) through the `holidays` package.

The package is imported only when a calendar names a country: it costs about 0.1 s,
which a repository whose calendars list their holidays by hand should not pay.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Country:
    code: str
    subdivision: str | None = None

    def __str__(self) -> str:
        return self.code + (f"-{self.subdivision}" if self.subdivision else "")


def lookup(text: str) -> tuple[Country | None, str]:
    """The country of `DE` or `DE-BE`, or None and a message saying what is known."""
    code, _, subdivision = text.partition("-")
    supported = _supported()
    if code not in supported:
        return None, (f"the holidays package knows no country '{code}': use an ISO 3166 "
                      "code such as DE, GB or US, or list the holidays by hand")
    if subdivision and subdivision not in supported[code]:
        known = ", ".join(supported[code][:12]) + (", ..." if len(supported[code]) > 12 else "")
        what = f"one of {known}" if known else f"just {code}: it has no subdivisions"
        return None, f"{code} has no subdivision '{subdivision}': use {what}"
    return Country(code, subdivision or None), ""


@cache
def days(country: Country, year: int) -> frozenset[date]:
    """The public holidays of `country` in `year` (whole local days)."""
    import holidays

    found = holidays.country_holidays(country.code, subdiv=country.subdivision, years=year)
    return frozenset(day for day in found if day.year == year)


def suggest_zone(name: str) -> str:
    """` (did you mean Europe/Berlin?)` for a misspelt time zone name, else ``."""
    import zoneinfo

    close = difflib.get_close_matches(name, sorted(zoneinfo.available_timezones()), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


@cache
def _supported() -> dict[str, list[str]]:
    import holidays

    found: dict[str, Any] = holidays.list_supported_countries()
    return {code: list(subdivisions) for code, subdivisions in found.items()}
