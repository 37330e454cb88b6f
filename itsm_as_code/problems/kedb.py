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
from dataclasses import dataclass, field

from itsm_as_code.errors import UsageError
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.lifecycle import INCIDENT, KNOWN_ERROR
from itsm_as_code.model.types.itil import Incident, KnownError
from itsm_as_code.problems.patterns import BUDGET_SECONDS, Matcher, Pattern, compile_pattern
from itsm_as_code.store.record import Record

WEIGHTS = {"title": 4, "alert name": 2, "timeline message": 1}


@dataclass(frozen=True)
class Hit:
    place: str  # a key of WEIGHTS
    pattern: Pattern


@dataclass(frozen=True)
class Suggestion:
    known_error: KnownError
    hits: tuple[Hit, ...]  # the first pattern found in each place, in WEIGHTS order
    services: tuple[str, ...]  # services the incident and the known error share
    linked: bool  # the incident already names this known error

    @property
    def weight(self) -> int:
        return sum(WEIGHTS[hit.place] for hit in self.hits)

    @property
    def fixed(self) -> bool:
        return self.known_error.status in KNOWN_ERROR.done

    def rank(self) -> tuple[int, int, bool, str]:
        return (-self.weight, -len(self.services), self.fixed, self.known_error.id)


@dataclass(frozen=True)
class Matches:
    incident: Incident
    source: Record  # the incident's record, for the positions of findings
    suggestions: list[Suggestion]  # best first


@dataclass(frozen=True)
class KedbResult:
    matches: list[Matches]
    known_errors: int  # entries that were tried (not retired)
    # Patterns set aside, with their known error's record: those that do not compile
    # (itsm validate reports them too) and those that ran out of time.
    invalid: list[tuple[Record, Pattern]]
    timed_out: list[tuple[Record, Pattern]]
    # Incidents not (fully) matched because the run's time budget was spent, by id.
    unmatched: list[tuple[Record, Incident]] = field(default_factory=list)
    budget: float = BUDGET_SECONDS


def incidents_to_match(ctx: RunContext, ids: Iterable[str], open_only: bool
                       ) -> list[Incident]:
    """The incidents named by id (in the order given), or every open incident by id."""
    incidents = ctx.model.incidents
    if open_only:
        return sorted((incident for incident in incidents.values()
                       if incident.status not in INCIDENT.ended),
                      key=lambda incident: incident.id)
    chosen: list[Incident] = []
    for record_id in dict.fromkeys(ids):
        incident = incidents.get(record_id)
        if incident is None:
            if ctx.repo.get(record_id, ["Incident"]) is not None:
                raise UsageError(f"the incident '{record_id}' does not match its schema, so "
                                 "it cannot be matched: run itsm validate")
            raise UsageError(f"no incident with the id '{record_id}' in this repository")
        chosen.append(incident)
    return chosen


def match(ctx: RunContext, incidents: list[Incident], matcher: Matcher | None = None
          ) -> KedbResult:
    matcher = matcher or Matcher()
    model = ctx.model
    entries = [(known, _patterns(known)) for known in model.known_errors.values()
               if known.status not in KNOWN_ERROR.dropped]
    results = []
    unmatched: list[tuple[Record, Incident]] = []
    for incident in incidents:
        if matcher.spent:
            unmatched.append((model.source(incident.id), incident))
            continue
        places = _places(incident)
        services = set(incident.service_ids)
        suggestions = []
        for known, patterns in entries:
            hits = tuple(_hits(matcher, patterns, places))
            shared = tuple(sorted(services.intersection(known.services)))
            if hits or shared:
                suggestions.append(Suggestion(known, hits, shared,
                                              known.id == incident.known_error))
        if matcher.spent:  # during this incident: what it found is not all there is
            unmatched.append((model.source(incident.id), incident))
            continue
        results.append(Matches(incident, model.source(incident.id),
                               sorted(suggestions, key=Suggestion.rank)))
    invalid = [(model.source(known.id), p) for known, patterns in entries for p in patterns
               if p.compiled is None]
    tried = {known.id for known, _ in entries}
    timed_out = [(model.source(p.owner), p) for p in matcher.timed_out.values()
                 if p.owner in tried]
    return KedbResult(results, len(entries), invalid, timed_out, unmatched, matcher.budget)


def _patterns(known: KnownError) -> list[Pattern]:
    return [compile_pattern(known.id, index, text)
            for index, text in enumerate(known.match) if text]


def _places(incident: Incident) -> dict[str, list[str]]:
    return {
        "title": [incident.title],
        "alert name": [alert.name for alert in incident.alerts if alert.name],
        "timeline message": [entry.message for entry in incident.timeline],
    }


def _hits(matcher: Matcher, patterns: list[Pattern], places: dict[str, list[str]]
          ) -> Iterator[Hit]:
    for place, texts in places.items():
        found = next((pattern for pattern in patterns
                      if any(matcher.search(pattern, text) for text in texts)), None)
        if found is not None:
            yield Hit(place, found)
