"""The rules that compare a record at the base revision with the same record in the change.

Each rule takes a `Compared`: the record as it was (`before`), as it is now (`after`) and
the name of the base revision, and yields hits located in the change. These are raw-shape
rules: records of the change may have failed their schema, and messages quote values as
written, so every value read here is checked for its type first. Statuses and moves come
from the lifecycle tables (model/lifecycle.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from itsm_as_code.model.lifecycle import INCIDENT, INCIDENT_LINKS, LIFECYCLES, TIMELINE_KINDS
from itsm_as_code.rule import FileStart, Hit, Place
from itsm_as_code.store.record import Record
from itsm_as_code.validation.lifecycle.timeline import (
    Move,
    align,
    entries,
    first_difference,
    same,
    walk,
)

IMMUTABLE = ("kind", "opened_at")
# What links an incident to later work: set or changed after closure too.
# An incident is frozen in the statuses it can leave only by being reopened (closed) or
# not at all (canceled): every move out of them leads back to an active status.
FROZEN = frozenset(status for status in INCIDENT.ended if INCIDENT.moves[status] <= INCIDENT.active)
SHOWN = 60  # characters of a value quoted in a message


@dataclass(frozen=True)
class Compared:
    """A record at the base revision `ref` (`before`) and the same record in the change."""

    before: Record
    after: Record
    ref: str


@dataclass(frozen=True)
class Deleted:
    """A record at `ref` gone from the change; `successor` is the record its file now holds."""

    before: Record
    successor: Record | None
    ref: str


def deleted(gone: Deleted) -> Iterator[Hit]:
    """A record gone from the change: deleted, or its file now holds another id."""
    before, successor, ref = gone.before, gone.successor, gone.ref
    if successor is not None:
        yield Hit(
            successor,
            f"this file held {before.id} at {ref} and now holds {successor.id or 'no id'}: ids "
            f"never change; put back id: {before.id}, and cancel or close the record instead "
            "of reusing it",
            ("id",))
        return
    yield Hit(
        FileStart(before.path, before.id),
        f"{before.kind} {before.id} exists at {ref} but was deleted: records are never "
        "deleted; restore the file, and cancel or close it instead")


def immutable(compared: Compared) -> Iterator[Hit]:
    """`kind` and `opened_at` keep the value they had at the base revision."""
    before, after, ref = compared.before, compared.after, compared.ref
    for name in IMMUTABLE:
        old, new = before.get(name), after.get(name)
        if old is None or same(name, old, new):
            continue
        yield Hit(
            after,
            f"{name} was {_shown(old)} at {ref} and is {_shown(new)} now: {name} never "
            f"changes once committed; put back {name}: {_shown(old)}",
            (name,) if new is not None else ())


def timeline(compared: Compared) -> Iterator[Hit]:
    """Entries that exist at the base revision are all still there, unchanged and in their
    order; entries the change adds may stand anywhere among them (updates merged from two
    branches are folded in time order)."""
    before, after, ref = compared.before, compared.after, compared.ref
    old_entries, new_entries = entries(before), entries(after)
    alignment = align(old_entries, new_entries)
    for index in sorted([*alignment.changed, *alignment.removed]):
        old = old_entries[index]
        if index in alignment.removed:
            yield Hit(
                after,
                f"timeline[{index}] ({_shown(old.get('at'))}) exists at {ref} but was removed: "
                "the timeline is append-only; put the entry back",
                ("timeline",), key=True)
            continue
        place = alignment.changed[index]
        new = new_entries[place]
        name = first_difference(old, new) or "at"
        yield Hit(
            after,
            f"timeline[{place}] {name} was {_shown(old.get(name))} at {ref} and is "
            f"{_shown(new.get(name))} now: the timeline is append-only; restore the "
            "entry and add a new one that corrects it",
            ("timeline", place, name) if name in new else ("timeline", place))


def transition(compared: Compared) -> Iterator[Hit]:
    """Every status move the change makes follows the kind's transition table: each
    entry it adds, and the next move after one it added between earlier entries."""
    before, after = compared.before, compared.after
    lifecycle = LIFECYCLES[after.kind]
    table = lifecycle.moves
    current = before.get("status")
    if not isinstance(current, str) or current not in table:
        return
    if after.kind in TIMELINE_KINDS:
        moves, current = _moves(compared)
        for move in moves:
            if move.judged and not lifecycle.allowed(move.before, move.after):
                yield _refused(after, move.before, move.after, ("timeline", move.index, "status"))
        status = after.get("status")
        if isinstance(status, str) and status in table and not lifecycle.allowed(current, status):
            yield _refused(after, current, status, ("status",))
        return
    status = after.get("status")
    if isinstance(status, str) and status in table and not lifecycle.reachable(current, status):
        yield _refused(after, current, status, ("status",))


def closed(compared: Compared) -> Iterator[Hit]:
    """A closed or canceled incident is frozen, unless the change reopens a closed one.
    What links it to later work (`INCIDENT_LINKS`: its problem, known error, postmortem and
    category) may be set or changed without reopening: problem management starts after
    closure."""
    before, after, ref = compared.before, compared.after, compared.ref
    status = before.get("status")
    if after.kind != "Incident" or status not in FROZEN:
        return
    reopened_to = INCIDENT.moves[status]
    if reopened_to and _reopenings(compared):
        return
    for name in _changed_fields(before.data, after.data):
        if name in ("id", *IMMUTABLE, *INCIDENT_LINKS) or (
                name == "timeline" and any(timeline(compared))):
            continue  # history-immutable and history-timeline report these
        place: Place = (name,) if name in after.data else ()
        if name == "timeline":
            added = align(entries(before), entries(after)).inserted
            place = ("timeline", min(added, default=len(entries(before))))
        how = (f"reopen it with a timeline entry that moves it to {_either(sorted(reopened_to))}"
               if reopened_to else "open a new incident instead")
        yield Hit(
            after,
            f"{after.id} is {status} at {ref}, so its fields are frozen, but {name} changed: "
            f"put {name} back as it was, or {how}", place)


def reopen_count(compared: Compared) -> Iterator[Hit]:
    """reopen_count grows by the reopenings the change makes: those of the entries it adds,
    less any an entry it added between earlier ones took over from them."""
    before, after, ref = compared.before, compared.after, compared.ref
    if after.kind != "Incident":
        return
    old, new = before.get("reopen_count", 0), after.get("reopen_count", 0)
    if not isinstance(old, int) or not isinstance(new, int):
        return
    reopened = _reopenings(compared)
    moves, _ = _moves(compared)
    base_moves, _ = _moves(Compared(before, before, ref))
    more = _count_reopenings(moves) - _count_reopenings(base_moves)
    expected = old + more
    if new == expected:
        return
    if more > 0:
        where = ", ".join(f"timeline[{index}]" for index in reopened)
        said = f"the change reopens {after.id} {more} time(s) ({where})"
    else:
        said = "the change reopens nothing"
    yield Hit(
        after,
        f"reopen_count is {new} but was {old} at {ref} and {said}: set reopen_count: {expected}",
        ("reopen_count",) if "reopen_count" in after.data else
        ("timeline", reopened[0], "status") if reopened else ())


def _refused(after: Record, current: str, status: str, place: Place) -> Hit:
    onward = sorted(LIFECYCLES[after.kind].moves[current])
    if onward:
        hint = f"from {current} it moves to {_either(onward)}"
    else:
        hint = f"{current} is final; open a new record instead"
    return Hit(
        after,
        f"status moves from {current} to {status}, which the {after.kind} lifecycle does not "
        f"allow: {hint}", place)


def _moves(compared: Compared) -> tuple[list[Move], str]:
    """The status moves of the change's timeline, and the status after them."""
    before, after = compared.before, compared.after
    status = before.get("status")
    lifecycle = LIFECYCLES[after.kind]
    new_entries = entries(after)
    return walk(lifecycle, new_entries, align(entries(before), new_entries),
                status if isinstance(status, str) and status in lifecycle.moves else None)


def _reopenings(compared: Compared) -> list[int]:
    """Indexes of the timeline entries whose reopening of an incident the change made."""
    moves, _ = _moves(compared)
    return [move.index for move in moves
            if move.judged and INCIDENT.is_reopening(move.before, move.after)]


def _count_reopenings(moves: list[Move]) -> int:
    return sum(1 for move in moves if INCIDENT.is_reopening(move.before, move.after))


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    names = [*new, *(name for name in old if name not in new)]
    return [name for name in names if not same(name, old.get(name), new.get(name))]


def _shown(value: Any) -> str:
    if value is None:
        return "not set"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= SHOWN else f"{text[:SHOWN - 5]}...{text[-1]}"


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
