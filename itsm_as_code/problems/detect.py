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
from datetime import datetime, timedelta
from typing import Any

from itsm_as_code.problems.similarity import Words, similar_pairs, words
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.timefmt import parse_timestamp

DEFAULT_WINDOW = timedelta(days=30)
DEFAULT_THRESHOLD = 3


@dataclass(frozen=True)
class Item:
    """An incident as trend detection sees it."""

    id: str
    record: Record
    opened: datetime
    services: tuple[str, ...]
    category: str | None
    fingerprints: frozenset[str]
    words: Words


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


def detect(repo: Repository, now: datetime, window: timedelta = DEFAULT_WINDOW,
           threshold: int = DEFAULT_THRESHOLD) -> Detection:
    """The candidate problems, largest first, then oldest first."""
    since = now - window
    linked = _linked(repo.of_kind("Problem"))
    by_service: defaultdict[str, list[Item]] = defaultdict(list)
    considered = 0
    titles: dict[str, Words] = {}  # the same title is normalised once
    for record in repo.of_kind("Incident"):
        opened = _opened(record)
        if opened is None or not since < opened <= now or record.id in linked:
            continue
        item = _item(record, opened, titles)
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
    return Detection(ordered, considered, since, now)


def _linked(problems: Iterable[Record]) -> set[str]:
    linked: set[str] = set()
    for problem in problems:
        listed = problem.get("incidents")
        if isinstance(listed, list):
            linked.update(value for value in listed if isinstance(value, str))
    return linked


def _opened(record: Record) -> datetime | None:
    """When the incident was opened; None when it does not take part or cannot be read."""
    if record.get("status") == "canceled" or record.get("problem"):
        return None
    try:
        return parse_timestamp(str(record.get("opened_at")))
    except ValueError:
        return None


def _item(record: Record, opened: datetime, titles: dict[str, Words]) -> Item:
    """The fields of the incident that clustering compares."""
    services = tuple(dict.fromkeys(
        entry["id"] for entry in _list(record.get("services"))
        if isinstance(entry, dict) and isinstance(entry.get("id"), str)
    ))
    category = record.get("category")
    fingerprints = frozenset(
        alert["fingerprint"] for alert in _list(record.get("alerts"))
        if isinstance(alert, dict) and isinstance(alert.get("fingerprint"), str)
    )
    title = record.get("title")
    if not isinstance(title, str):
        title = ""
    if title not in titles:
        titles[title] = words(title)
    return Item(record.id, record, opened, services,
                category if isinstance(category, str) else None, fingerprints, titles[title])


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


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
