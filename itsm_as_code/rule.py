"""The one rule shape: every check itsm makes is a `Rule(id, summary, scope, check)`.

A rule's check yields `Hit`s: where (something that can place a finding, such as a
record) and what. The runner, not the rule, stamps the rule's id and level on each hit
and so makes the `Finding` (yamllint's way): a rule cannot report under another's name,
and the registry (validation/registry.py) is the one list of what can be reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, Literal, Protocol, TypeVar

from itsm_as_code.findings import Finding, Level

Key = str | int
Place = tuple[Key, ...]
In = TypeVar("In", contravariant=True)
Subject = TypeVar("Subject")

# What a rule sees: a file as it is read (the loader), one record that passed its schema
# (with the model around it), every record of the repository whatever its shape, a record
# at a base revision and in the change (`itsm validate --base`), or one commit's version
# of a record (`itsm audit`).
Scope = Literal["file", "record", "repository", "history", "audit"]


class Locator(Protocol):
    """What a finding can be placed in: a record, a version of one, a file."""

    def finding(self, rule: str, message: str, at: Place = (), *, key: bool = False,
                level: Level = "error") -> Finding: ...


@dataclass(frozen=True)
class Hit:
    """What a rule found: in what (`where`), at which place in it, and the message. With
    `key`, the finding points at the place's key rather than its value."""

    where: Locator
    message: str
    place: Place = ()
    key: bool = False


@dataclass(frozen=True)
class FileStart:
    """The first line of a file, for what has no better place (a deleted record)."""

    path: str
    record: str | None = None

    def finding(self, rule: str, message: str, at: Place = (), *, key: bool = False,
                level: Level = "error") -> Finding:
        return Finding(self.path, 1, 1, rule, message, self.record, level)


@dataclass(frozen=True)
class Rule(Generic[Subject]):
    """One rule. `check` is None where the finding is made while the data is read (the
    loader's file rules, the schema check): the rule is registered for its id and summary."""

    id: str
    summary: str
    scope: Scope
    check: Callable[[Subject], Iterable[Hit]] | None = None
    level: Level = "error"

    def run(self, subject: Subject) -> Iterator[Finding]:
        """The rule's findings on `subject`, each stamped with this rule's id and level."""
        if self.check is None:
            return
        for hit in self.check(subject):
            yield hit.where.finding(self.id, hit.message, hit.place, key=hit.key,
                                    level=self.level)


def registry(*rules: Rule[Subject]) -> dict[str, Rule[Subject]]:
    """Rules by id; an id given twice is a programming error."""
    found: dict[str, Rule[Subject]] = {}
    for rule in rules:
        if rule.id in found:
            raise ValueError(f"rule {rule.id} is registered twice")
        found[rule.id] = rule
    return found
