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

from itsm_as_code.model.lifecycle import INCIDENT, LIFECYCLES, TIMELINE_KINDS
from itsm_as_code.rule import FileStart, Hit, Place
from itsm_as_code.store.record import Record
from itsm_as_code.timefmt import parse_timestamp

IMMUTABLE = ("kind", "opened_at")
ENTRY_KEYS = ("at", "status", "public", "message", "author")
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
        if old is None or _same(name, old, new):
            continue
        yield Hit(
            after,
            f"{name} was {_shown(old)} at {ref} and is {_shown(new)} now: {name} never "
            f"changes once committed; put back {name}: {_shown(old)}",
            (name,) if new is not None else ())


def timeline(compared: Compared) -> Iterator[Hit]:
    """Entries that exist at the base revision keep their time, status, text and audience."""
    before, after, ref = compared.before, compared.after, compared.ref
    old_entries, new_entries = _entries(before), _entries(after)
    for index, old in enumerate(old_entries):
        if index >= len(new_entries):
            yield Hit(
                after,
                f"timeline[{index}] ({_shown(old.get('at'))}) exists at {ref} but was removed: "
                "the timeline is append-only; put the entry back",
                ("timeline",), key=True)
            return
        new = new_entries[index]
        for name in (*ENTRY_KEYS, *sorted(set(old) | set(new) - set(ENTRY_KEYS))):
            if not _same(name, _entry_value(old, name), _entry_value(new, name)):
                yield Hit(
                    after,
                    f"timeline[{index}] {name} was {_shown(old.get(name))} at {ref} and is "
                    f"{_shown(new.get(name))} now: the timeline is append-only; restore the "
                    "entry and add a new one that corrects it",
                    ("timeline", index, name) if name in new else ("timeline", index))
                break


def transition(compared: Compared) -> Iterator[Hit]:
    """Every status move follows the kind's transition table."""
    before, after = compared.before, compared.after
    lifecycle = LIFECYCLES[after.kind]
    table = lifecycle.moves
    current = before.get("status")
    if not isinstance(current, str) or current not in table:
        return
    if after.kind in TIMELINE_KINDS:
        for index, status in _appended_statuses(before, after):
            if status not in table or status == current:
                continue
            if not lifecycle.allowed(current, status):
                yield _refused(after, current, status, ("timeline", index, "status"))
            current = status
        status = after.get("status")
        if isinstance(status, str) and status in table and not lifecycle.allowed(current, status):
            yield _refused(after, current, status, ("status",))
        return
    status = after.get("status")
    if isinstance(status, str) and status in table and not lifecycle.reachable(current, status):
        yield _refused(after, current, status, ("status",))


def closed(compared: Compared) -> Iterator[Hit]:
    """A closed or canceled incident is frozen, unless the change reopens a closed one."""
    before, after, ref = compared.before, compared.after, compared.ref
    status = before.get("status")
    if after.kind != "Incident" or status not in FROZEN:
        return
    reopened_to = INCIDENT.moves[status]
    if reopened_to and any(_reopenings(before, after)):
        return
    for name in _changed_fields(before.data, after.data):
        if name in ("id", *IMMUTABLE) or (name == "timeline" and any(timeline(compared))):
            continue  # history-immutable and history-timeline report these
        place: Place = (name,) if name in after.data else ()
        if name == "timeline":
            place = ("timeline", len(_entries(before)))
        how = (f"reopen it with a timeline entry that moves it to {_either(sorted(reopened_to))}"
               if reopened_to else "open a new incident instead")
        yield Hit(
            after,
            f"{after.id} is {status} at {ref}, so its fields are frozen, but {name} changed: "
            f"put {name} back as it was, or {how}", place)


def reopen_count(compared: Compared) -> Iterator[Hit]:
    """reopen_count grows by exactly the reopenings the change appends to the timeline."""
    before, after, ref = compared.before, compared.after, compared.ref
    if after.kind != "Incident":
        return
    old, new = before.get("reopen_count", 0), after.get("reopen_count", 0)
    if not isinstance(old, int) or not isinstance(new, int):
        return
    reopened = list(_reopenings(before, after))
    expected = old + len(reopened)
    if new == expected:
        return
    if reopened:
        where = ", ".join(f"timeline[{index}]" for index in reopened)
        said = f"the change reopens {after.id} {len(reopened)} time(s) ({where})"
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


def _appended_statuses(before: Record, after: Record) -> Iterator[tuple[int, str]]:
    entries = _entries(after)
    for index in range(len(_entries(before)), len(entries)):
        status = entries[index].get("status")
        if isinstance(status, str):
            yield index, status


def _reopenings(before: Record, after: Record) -> Iterator[int]:
    """Indexes of the appended timeline entries that reopen an incident."""
    current = before.get("status")
    for index, status in _appended_statuses(before, after):
        if isinstance(current, str) and INCIDENT.is_reopening(current, status):
            yield index
        current = status


def _entries(record: Record) -> list[dict[str, Any]]:
    entries = record.get("timeline")
    if not isinstance(entries, list):
        return []
    return [entry if isinstance(entry, dict) else {} for entry in entries]


def _entry_value(entry: dict[str, Any], name: str) -> Any:
    value = entry.get(name)
    return True if name == "public" and value is None else value


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    names = [*new, *(name for name in old if name not in new)]
    return [name for name in names if not _same(name, old.get(name), new.get(name))]


def _same(name: str, old: Any, new: Any) -> bool:
    """Equal values; timestamps are equal when they name the same instant."""
    if old == new:
        return True
    if name.endswith("_at") or name == "at":
        try:
            return bool(parse_timestamp(str(old)) == parse_timestamp(str(new)))
        except (ValueError, IndexError):
            return False
    return False


def _shown(value: Any) -> str:
    if value is None:
        return "not set"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= SHOWN else f"{text[:SHOWN - 5]}...{text[-1]}"


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
