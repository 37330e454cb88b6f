"""Known error matching: which entries of the known error database fit an incident.

A known error fits when one of its `match` patterns is found in the incident's title, an
alert name (`alerts[].name`) or a timeline message, or when it names a service the
incident affects. Suggestions are ranked, best first, by:

1. where a pattern was found: the title weighs 4, an alert name 2, a timeline message 1,
   added up over the places with a hit (a title hit beats hits in alerts and messages);
2. then the number of services shared with the incident;
3. then open known errors before fixed ones (a fixed one may still show where the fix is
   not deployed, so it is listed, and flagged);
4. then the id.

Retired known errors are never suggested.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from itsm_as_code.errors import UsageError
from itsm_as_code.problems.patterns import Matcher, Pattern, compile_pattern
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository

WEIGHTS = {"title": 4, "alert name": 2, "timeline message": 1}
ENDED = frozenset({"resolved", "closed", "canceled"})


@dataclass(frozen=True)
class Hit:
    place: str  # a key of WEIGHTS
    pattern: Pattern


@dataclass(frozen=True)
class Suggestion:
    known_error: Record
    hits: tuple[Hit, ...]  # the first pattern found in each place, in WEIGHTS order
    services: tuple[str, ...]  # services the incident and the known error share
    linked: bool  # the incident already names this known error

    @property
    def weight(self) -> int:
        return sum(WEIGHTS[hit.place] for hit in self.hits)

    @property
    def fixed(self) -> bool:
        return bool(self.known_error.get("status") == "fixed")

    def rank(self) -> tuple[int, int, bool, str]:
        return (-self.weight, -len(self.services), self.fixed, self.known_error.id)


@dataclass(frozen=True)
class Matches:
    incident: Record
    suggestions: list[Suggestion]  # best first


@dataclass(frozen=True)
class KedbResult:
    matches: list[Matches]
    known_errors: int  # entries that were tried (not retired)
    # Patterns set aside, with their known error: those that do not compile (itsm validate
    # reports them too) and those that ran out of time.
    invalid: list[tuple[Record, Pattern]]
    timed_out: list[tuple[Record, Pattern]]


def incidents_to_match(repo: Repository, ids: Iterable[str], open_only: bool) -> list[Record]:
    """The incidents named by id (in the order given), or every open incident by id."""
    if open_only:
        return sorted((r for r in repo.of_kind("Incident") if r.get("status") not in ENDED),
                      key=lambda record: record.id)
    chosen: list[Record] = []
    for record_id in dict.fromkeys(ids):
        record = repo.get(record_id, ["Incident"])
        if record is None:
            raise UsageError(f"no incident with the id '{record_id}' in this repository")
        chosen.append(record)
    return chosen


def match(repo: Repository, incidents: list[Record], matcher: Matcher | None = None
          ) -> KedbResult:
    matcher = matcher or Matcher()
    entries = [(record, _patterns(record)) for record in repo.of_kind("KnownError")
               if record.get("status") != "retired"]
    results = []
    for incident in incidents:
        places = _places(incident)
        services = set(_strings(incident.get("services"), "id"))
        linked = incident.get("known_error")
        suggestions = []
        for record, patterns in entries:
            hits = tuple(_hits(matcher, patterns, places))
            shared = tuple(sorted(services.intersection(_strings(record.get("services")))))
            if hits or shared:
                suggestions.append(Suggestion(record, hits, shared, record.id == linked))
        results.append(Matches(incident, sorted(suggestions, key=Suggestion.rank)))
    invalid = [(record, p) for record, patterns in entries for p in patterns
               if p.compiled is None]
    owners = {record.id: record for record, _ in entries}
    timed_out = [(owners[p.owner], p) for p in matcher.timed_out.values() if p.owner in owners]
    return KedbResult(results, len(entries), invalid, timed_out)


def _patterns(record: Record) -> list[Pattern]:
    found = record.get("match")
    return [compile_pattern(record.id, index, text)
            for index, text in enumerate(found if isinstance(found, list) else [])
            if isinstance(text, str) and text]


def _places(incident: Record) -> dict[str, list[str]]:
    title = incident.get("title")
    return {
        "title": [title] if isinstance(title, str) else [],
        "alert name": list(_strings(incident.get("alerts"), "name")),
        "timeline message": list(_strings(incident.get("timeline"), "message")),
    }


def _hits(matcher: Matcher, patterns: list[Pattern], places: dict[str, list[str]]
          ) -> Iterator[Hit]:
    for place, texts in places.items():
        found = next((pattern for pattern in patterns
                      if any(matcher.search(pattern, text) for text in texts)), None)
        if found is not None:
            yield Hit(place, found)


def _strings(value: Any, key: str | None = None) -> Iterator[str]:
    """The strings of a list, or of one key of each mapping in a list."""
    for item in value if isinstance(value, list) else []:
        if key is not None:
            item = item.get(key) if isinstance(item, dict) else None
        if isinstance(item, str):
            yield item
