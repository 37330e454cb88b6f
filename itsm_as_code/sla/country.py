"""Public holidays of a country (and subdivision) through the `holidays` package.

The package is imported only when a calendar names a country: it costs about 0.1 s,
which a repository whose calendars list their holidays by hand should not pay.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from functools import cache


@dataclass(frozen=True)
class Country:
    code: str
    subdivision: str | None = None

    def __str__(self) -> str:
        return self.code + (f"-{self.subdivision}" if self.subdivision else "")


def lookup(text: str) -> tuple[Country | None, str]:
    """The country of `DE` or `DE-BE`, or None and a message saying what is known."""
    code, _, subdivision = text.partition("-")
    if code not in _codes():
        return None, (f"the holidays package knows no country '{code}': use an ISO 3166 "
                      "code such as DE, GB or US, or list the holidays by hand")
    subdivisions = _subdivisions(code)
    if subdivision and subdivision not in subdivisions:
        known = ", ".join(subdivisions[:12]) + (", ..." if len(subdivisions) > 12 else "")
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
def _codes() -> frozenset[str]:
    """Every country code the package knows (aliases too), read from its registry:
    `holidays.list_supported_countries()` imports all of its 250 country modules to list
    their subdivisions, 0.1 s of every run whose calendar names a country."""
    from holidays.registry import EntityLoader

    return frozenset(EntityLoader.get_country_codes())


@cache
def _subdivisions(code: str) -> list[str]:
    """The subdivisions of one country, as `list_supported_countries()` lists them."""
    import holidays

    return list(getattr(holidays, code).subdivisions)
