"""Who writes a step, and the ids a step names (people, teams, services), checked at once so
that a typo is a usage error with a suggestion, not a finding after the fact."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from itsm_as_code.errors import UsageError
from itsm_as_code.model.types.organisation import Person
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.yamlerrors import shown

AUTHOR_ENV = "ITSM_AUTHOR"


@dataclass(frozen=True)
class Author:
    """The Person who writes a step (`id` None: nobody known) and where that came from."""

    id: str | None
    name: str | None = None
    source: str = ""

    @property
    def by(self) -> str:
        """" by <name>" for a default message, or nothing."""
        return f" by {self.name}" if self.name else ""


NOBODY = Author(None)


def find_author(people: Mapping[str, Person], given: str | None, email: str | None,
                environ: Mapping[str, str]) -> Author:
    """`--author`, else the Person whose email is git's `user.email`, else ITSM_AUTHOR;
    an id that names no Person is a usage error, an unknown email means no author."""
    if given is not None:
        person = people[known(given, people, "person", "--author")]
        return Author(person.id, person.name, "--author")
    if email:
        wanted = email.strip().lower()
        for person in people.values():
            if person.email.lower() == wanted:
                return Author(person.id, person.name, "git config user.email")
    named = environ.get(AUTHOR_ENV)
    if named:
        person = people[known(named, people, "person", AUTHOR_ENV)]
        return Author(person.id, person.name, AUTHOR_ENV)
    return NOBODY


def a(kind: str) -> str:
    """A kind as a message names it, with its article: `an incident`, `a known error`."""
    noun = KINDS[kind].noun
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def known(value: str, ids: Collection[str], what: str, option: str) -> str:
    """`value` when it is one of `ids`; else a usage error naming the nearest id."""
    if value in ids:
        return value
    close = difflib.get_close_matches(value, list(ids), n=1, cutoff=0.6)
    hint = f": did you mean '{close[0]}'?" if close else f": give the id of a {what} record"
    raise UsageError(f"{option}: no {what} with id '{shown(value)}'{hint}")


def choice(value: str, choices: Collection[str], what: str, option: str) -> str:
    """`value` when it is one of `choices`; else a usage error listing them, nearest first."""
    if value in choices:
        return value
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise UsageError(f"{option}: '{shown(value)}' is not {what}: {hint}choose one of "
                     f"{', '.join(choices)}")
