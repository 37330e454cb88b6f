"""Trend detection: incidents that keep coming back on one service, not yet a problem.

An incident takes part when it is not canceled, not linked to a problem (neither its own
`problem` field nor a Problem's `incidents` list names the link) and was opened within the
window that ends at `now`. Within each service, two such incidents belong together when
they share an alert fingerprint, a category, or a similar title (see `similarity`); a
cluster is what holds together through such links, and a cluster of `threshold` incidents
or more is a candidate problem.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from itsm_as_code.model.context import RunContext
from itsm_as_code.model.lifecycle import INCIDENT
from itsm_as_code.model.types.itil import Incident
from itsm_as_code.problems.similarity import Words, similar_pairs, words
from itsm_as_code.store.record import Record

DEFAULT_WINDOW = timedelta(days=30)
DEFAULT_THRESHOLD = 3


@dataclass(frozen=True)
class Item:
    """An incident as trend detection sees it: what clustering compares, and the record it
    was read from (for the positions of findings)."""

    incident: Incident
    source: Record
    services: tuple[str, ...]  # each once, in the incident's order
    fingerprints: frozenset[str]
    words: Words

    @property
    def id(self) -> str:
        return self.incident.id

    @property
    def opened(self) -> datetime:
        return self.incident.opened_at

    @property
    def category(self) -> str | None:
        return self.incident.category


@dataclass(frozen=True)
class Candidate:
    """Incidents that look like one problem, and what they share."""

    services: tuple[str, ...]
    incidents: tuple[Item, ...]  # oldest first
    fingerprints: tuple[str, ...]  # shared by two or more of the incidents
    categories: tuple[str, ...]
    words: tuple[str, ...]  # title words at least half of the incidents have

    @property
    def first(self) -> datetime:
        return self.incidents[0].opened

    @property
    def last(self) -> datetime:
        return self.incidents[-1].opened


@dataclass(frozen=True)
class Detection:
    candidates: list[Candidate]
    considered: int  # incidents in the window and not linked to a problem
    since: datetime
    until: datetime
    zone: tzinfo  # where the incidents' times are shown (itsm.yaml's `timezone`)


def detect(ctx: RunContext, window: timedelta = DEFAULT_WINDOW,
           threshold: int = DEFAULT_THRESHOLD) -> Detection:
    """The candidate problems, largest first, then oldest first, in the window that ends
    at the run's `now`."""
    now = ctx.now
    since = now - window
    model = ctx.model
    linked = model.problem_links()
    by_service: defaultdict[str, list[Item]] = defaultdict(list)
    considered = 0
    titles: dict[str, Words] = {}  # the same title is normalised once
    for incident in model.incidents.values():
        if (incident.status in INCIDENT.dropped or incident.id in linked
                or not since < incident.opened_at <= now):
            continue
        item = _item(incident, model.source(incident.id), titles)
        considered += 1
        for service in item.services:
            by_service[service].append(item)
    found: dict[tuple[str, ...], Candidate] = {}
    for service in sorted(by_service):
        for cluster in _clusters(by_service[service]):
            if len(cluster) < threshold:
                continue
            key = tuple(item.id for item in cluster)
            earlier = found.get(key)
            services = (*earlier.services, service) if earlier else (service,)
            found[key] = _candidate(services, cluster)
    ordered = sorted(found.values(),
                     key=lambda c: (-len(c.incidents), c.first, c.services, c.incidents[0].id))
    return Detection(ordered, considered, since, now, ZoneInfo(ctx.config.timezone))


def _item(incident: Incident, source: Record, titles: dict[str, Words]) -> Item:
    """The fields of the incident that clustering compares."""
    title = incident.title
    if title not in titles:
        titles[title] = words(title)
    return Item(incident, source, tuple(dict.fromkeys(incident.service_ids)),
                frozenset(alert.fingerprint for alert in incident.alerts), titles[title])


def _clusters(items: list[Item]) -> list[list[Item]]:
    """Connected groups of one service's incidents, linked by what they share."""
    parent = list(range(len(items)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def join(members: Iterable[int]) -> None:
        first: int | None = None
        for member in members:
            if first is None:
                first = root(member)
            else:
                parent[root(member)] = first

    by_key: defaultdict[tuple[str, Any], list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_key["title", item.words].append(index)
        if item.category:
            by_key["category", item.category].append(index)
        for fingerprint in item.fingerprints:
            by_key["fingerprint", fingerprint].append(index)
    for (what, _key), members in by_key.items():
        if what != "title" or _key:  # an empty title shares nothing
            join(members)
    titles = [key for (what, key) in by_key if what == "title"]
    for left, right in similar_pairs(titles):
        join((by_key["title", titles[left]][0], by_key["title", titles[right]][0]))
    groups: defaultdict[int, list[Item]] = defaultdict(list)
    for index, item in enumerate(items):
        groups[root(index)].append(item)
    return [sorted(group, key=lambda item: (item.opened, item.id)) for group in groups.values()]


def _candidate(services: tuple[str, ...], cluster: list[Item]) -> Candidate:
    fingerprints: Counter[str] = Counter(f for item in cluster for f in item.fingerprints)
    categories: Counter[str] = Counter(item.category for item in cluster if item.category)
    title_words: Counter[str] = Counter(word for item in cluster for word in item.words)
    half = max(2, (len(cluster) + 1) // 2)
    return Candidate(
        services, tuple(cluster),
        tuple(sorted(f for f, count in fingerprints.items() if count >= 2)),
        tuple(sorted(c for c, count in categories.items() if count >= 2)),
        tuple(sorted(w for w, count in title_words.items()
                     if count >= half and not w.startswith("<"))),
    )
