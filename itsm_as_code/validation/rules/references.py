"""References between records: every id a record names must exist, with the right kind."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from itsm_as_code.explain import field_name
from itsm_as_code.rule import Hit
from itsm_as_code.store.kinds import KINDS, Path
from itsm_as_code.store.record import Key, Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.validation.rules.base import Judged
from itsm_as_code.yamlerrors import shown

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def check(judged: Judged) -> Iterator[Hit]:
    repo = judged.repo
    # The ids a reference to each set of kinds may name, built once: 170,000 references
    # of 20,000 records are each one set lookup, and only a miss is looked at closer.
    known: dict[tuple[str, ...], set[str]] = {}
    for kind in KINDS.values():
        for reference in kind.references:
            if reference.targets not in known:
                known[reference.targets] = repo.unreadable.union(
                    *({r.id for r in repo.of_kind(target)} for target in reference.targets))
    match = ID.match
    for record in judged.records:
        data = record.data
        for reference in KINDS[record.kind].references:
            path = reference.path
            first = path[0]
            if not (isinstance(data, dict) and first in data):
                continue  # most references are optional fields left out
            ok = known[reference.targets]
            if len(path) == 1:
                # A single field, the most common reference: no walk.
                found: Any = (((first,), data[first]),)
            elif len(path) == 3 and path[1] == "*" and path[2] not in ("*", "@") and \
                    isinstance(items := data[first], list):
                # A field of each item of a list (every timeline entry's author).
                key = path[2]
                found = [((first, index, key), item[key]) for index, item in enumerate(items)
                         if isinstance(item, dict) and key in item]
            else:
                found = walk(data, path)
            for at, value in found:
                if not isinstance(value, str) or value in ok or not match(value):
                    continue  # resolved, or not an id at all: the schema check says so
                yield from _resolve(repo, record, at, value, reference.targets)


def walk(data: Any, path: Path, at: tuple[Key, ...] = ()) -> Iterator[tuple[tuple[Key, ...], Any]]:
    """Every (location, value) that a reference path names in `data`."""
    if not path:
        yield at, data
        return
    step, rest = path[0], path[1:]
    if step == "*":
        items: Any = (enumerate(data) if isinstance(data, list)
                      else data.items() if isinstance(data, dict) else ())
        key = rest[0] if rest and rest[0] not in ("*", "@") else None
        for name, item in items:
            # Most items hold no such key (a timeline entry without `services`): skip them
            # without a generator each, which over every record is a visible cost.
            if key is not None and not (isinstance(item, dict) and key in item):
                continue
            if key is not None and len(rest) == 1:
                yield (*at, name, key), item[key]
            else:
                yield from walk(item, rest, (*at, name))
    elif step == "@" and isinstance(data, dict):
        for name in data:
            yield (*at, name), name
    elif isinstance(data, dict) and step in data:
        yield from walk(data[step], rest, (*at, step))


def _resolve(
    repo: Repository, record: Record, at: tuple[Key, ...], value: str, targets: tuple[str, ...]
) -> Iterator[Hit]:
    wanted = " or ".join(targets)
    found = repo.by_id.get(value, [])
    if any(other.kind in targets for other in found) or value in repo.unreadable:
        return
    name = field_name(at)
    is_key = isinstance(at[-1], str) and at[-1] == value
    if found:
        message = (f"{name}: '{shown(value)}' is a {found[0].kind}, not a {wanted}: use the "
                   f"id of a {wanted}")
    else:
        candidates = [r.id for kind in targets for r in repo.of_kind(kind)]
        close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
        # The nearest id may be one of a record its schema refused: quoted escaped too.
        hint = (f": did you mean '{shown(close[0])}'?" if close
                else f": add the {wanted} or fix the id")
        message = f"{name}: no {wanted} with id '{shown(value)}'{hint}"
    yield Hit(record, message, at, key=is_key)
