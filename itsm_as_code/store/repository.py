"""The repository index: every record of a run, loaded once and shared by every step."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath

from itsm_as_code.config import Config, find_root, load_config
from itsm_as_code.findings import Finding
from itsm_as_code.store.cache import RecordCache
from itsm_as_code.store.loader import (
    Found,
    Limits,
    find_files,
    parse_files,
    read_text,
    to_record,
)
from itsm_as_code.store.record import Record
from itsm_as_code.store.stats import StatIndex
from itsm_as_code.store.updates import Update, fold_all, folder_of, read_as_update, split


@dataclass
class Repository:
    """The records of one ITSM repository, indexed by id and by kind.

    `findings` holds what stopped files from becoming records (YAML errors, unknown
    kinds); the validator reports them with its own.
    """

    config: Config
    records: list[Record]
    findings: list[Finding] = field(default_factory=list)
    by_id: dict[str, list[Record]] = field(default_factory=dict)
    by_kind: dict[str, list[Record]] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        by_id: defaultdict[str, list[Record]] = defaultdict(list)
        by_kind: defaultdict[str, list[Record]] = defaultdict(list)
        for record in self.records:
            if record.id:
                by_id[record.id].append(record)
            by_kind[record.kind].append(record)
        self.by_id, self.by_kind = dict(by_id), dict(by_kind)
        # Ids that files which failed to load probably hold: references to them are not
        # reported again, the file's own finding says what is wrong.
        self.unreadable = {PurePosixPath(finding.path).stem for finding in self.findings}

    @property
    def root(self) -> Path:
        return self.config.root

    def get(self, record_id: str, kinds: Iterable[str] | None = None) -> Record | None:
        """The record with this id (of one of `kinds`, when given), or None."""
        wanted = set(kinds) if kinds is not None else None
        for record in self.by_id.get(record_id, ()):
            if wanted is None or record.kind in wanted:
                return record
        return None

    def of_kind(self, kind: str) -> list[Record]:
        return self.by_kind.get(kind, [])


Progress = Callable[[int, int], None]
FREEZE_FROM = 100_000  # objects made while paused; fewer cost the collector nothing


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside: loading and building make millions of short-lived
    objects and next to no cycles, and the collector would walk them again and again
    for nothing (a third of a warm load).

    When many objects were made, they are frozen (gc.freeze) before the collector comes
    back: its next pass, and the one at exit, would otherwise walk them all once more
    (0.4 s after loading 11,696 records). The few cycles among them are then never
    freed, a fair price for a command that ends soon after; a small run freezes nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_count()[0] >= FREEZE_FROM:
                gc.freeze()
            gc.enable()


def load_repository(config: Config, progress: Progress | None = None,
                    cache: RecordCache | None = None, *, found: Found | None = None,
                    stats: StatIndex | None = None,
                    each: Callable[[Record], None] | None = None) -> Repository:
    """Read every record file under the records folder, each with its update files folded
    in (store/updates.py); `progress(done, total)` is told as the files are read (every
    few hundred files, and once at the end).

    `cache` defaults to the repository's record cache (store/cache.py), which the
    environment can turn off (ITSM_NO_CACHE=1), and `stats` to its index of content keys
    by file status (store/stats.py); `found` is the walk of the records folder, when the
    caller made it already (with `stats` told of its files). `each(record)` is called
    for every record that no update file changes, as soon as it is read, while the
    rest are still being parsed."""
    if found is None:
        found = find_files(config.records_dir, config.root)
        if stats is None:
            stats = StatIndex.for_root(config.root)
        stats.look(found.files + found.updates)
    stats = stats or StatIndex(None)
    findings = list(found.findings)  # the walk's own stay as they were: a run key reads them
    limits = Limits(config.max_file_bytes, config.max_aliases)
    if cache is None:
        cache = RecordCache.for_root(config.root, (limits.max_file_bytes, limits.max_aliases))
    records: list[Record] = []
    updates: list[Update] = []
    total = len(found.files) + len(found.updates)
    folded = {where[0] for _, shown in found.updates if (where := split(shown)) is not None}
    with collector_paused():
        # Update files are parsed with the records: the same protections, processes and
        # cache; they come after them in the list.
        for done, (path, shown, key, parsed) in enumerate(
                parse_files(found.files + found.updates, limits, cache, known=stats.keys), 1):
            stats.learn(shown, key)
            if progress is not None and (done % 500 == 0 or done == total):
                progress(done, total)
            if done > len(found.files):
                updates.append(read_as_update(shown, key, parsed, partial(read_text, path)))
                continue
            result = parsed if isinstance(parsed, Finding) else to_record(path, shown, parsed)
            if isinstance(result, Finding):
                findings.append(result)
            else:
                result.content_key = key
                records.append(result)
                if each is not None and folder_of(shown) not in folded:
                    each(result)
        cache.save()
        stats.save()
        records, about_updates = fold_all(records, updates,
                                          (shown for _, shown in found.files))
    findings += about_updates
    return Repository(config, records, findings)


def open_repository(start: Path, progress: Progress | None = None) -> Repository:
    """Find itsm.yaml at or above `start`, read it, and load the records."""
    return load_repository(load_config(find_root(start)), progress)
