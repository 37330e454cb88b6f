"""How the change's timeline holds the base revision's, and the status moves it makes.

A record's update files are folded in time order, so after two branches merge, an update
of one branch may sit between entries the other had already committed. The base's entries
must be in the change as an ordered subsequence: each one still there, unchanged, in the
same relative order; the change's other entries are inserted, anywhere. A base entry not
found is changed when an entry of the change in its place (between the base entries
around it) has its time, else its message; otherwise it is removed.

These are raw-shape helpers, like the rules that use them: every value is checked for its
type first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from itsm_as_code.model.lifecycle import Lifecycle
from itsm_as_code.store.record import Record
from itsm_as_code.timefmt import parse_timestamp

ENTRY_KEYS = ("at", "status", "public", "message", "author")


@dataclass(frozen=True)
class Alignment:
    """Where each base entry is in the change. `kept`: base index -> change index of the
    same entry; `changed`: base index -> change index of the entry in its place, which
    differs; `removed`: base indexes of entries gone (after the change's timeline ran out,
    only the first). `inserted`: change indexes of entries the base does not have."""

    kept: dict[int, int] = field(default_factory=dict)
    changed: dict[int, int] = field(default_factory=dict)
    removed: list[int] = field(default_factory=list)
    inserted: frozenset[int] = frozenset()

    @property
    def tail(self) -> int:
        """The change index after the last base entry: where appended entries begin."""
        return 1 + max([*self.kept.values(), *self.changed.values()], default=-1)


@dataclass(frozen=True)
class Move:
    """A status move of a timeline: entry `index` moves it from `before` to `after`.
    `judged`: the change made this move (an inserted entry, or the next move after one)."""

    index: int
    before: str
    after: str
    judged: bool


def entries(record: Record) -> list[dict[str, Any]]:
    found = record.get("timeline")
    if not isinstance(found, list):
        return []
    return [entry if isinstance(entry, dict) else {} for entry in found]


def align(old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]) -> Alignment:
    """The base entries `old` found in the change's `new` (greedy, earliest match first:
    a base entry that is there is always found)."""
    kept: dict[int, int] = {}
    start = 0
    for index, entry in enumerate(old):
        found = next((k for k in range(start, len(new)) if same_entry(entry, new[k])), None)
        if found is not None:
            kept[index], start = found, found + 1
    changed: dict[int, int] = {}
    removed: list[int] = []
    start = 0
    for index, entry in enumerate(old):
        if index in kept:
            start = kept[index] + 1
            continue
        if start >= len(new):
            removed.append(index)
            break  # the change's timeline ran out: the rest is gone too, said once
        end = next((kept[later] for later in range(index + 1, len(old)) if later in kept),
                   len(new))
        place = _stand_in(entry, new, range(start, end))
        if place is None:
            removed.append(index)
        else:
            changed[index], start = place, place + 1
    inserted = frozenset(range(len(new))) - set(kept.values()) - set(changed.values())
    return Alignment(kept, changed, removed, inserted)


def walk(lifecycle: Lifecycle, timeline: Sequence[dict[str, Any]], alignment: Alignment,
         base_status: str | None) -> tuple[list[Move], str]:
    """The status moves of `timeline` and the status after it. The walk starts in the
    kind's initial status; where appended entries begin (`alignment.tail`) it goes on from
    the status the record had at the base revision, which is what they moved it from."""
    moves: list[Move] = []
    current, shifted = lifecycle.initial, False
    for index in range(len(timeline) + 1):
        if index == alignment.tail and base_status is not None:
            current, shifted = base_status, False
        if index == len(timeline):
            break
        status = timeline[index].get("status")
        if not isinstance(status, str) or status not in lifecycle.moves:
            continue
        new = index in alignment.inserted
        if status != current:
            moves.append(Move(index, current, status, new or shifted))
        # Only an inserted entry's move changes where the next move starts from.
        shifted, current = new and status != current, status
    return moves, current


def same_entry(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return first_difference(old, new) is None


def first_difference(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """The first field in which two entries differ (the usual ones first), or None."""
    for name in (*ENTRY_KEYS, *sorted(set(old) | set(new) - set(ENTRY_KEYS))):
        if not same(name, entry_value(old, name), entry_value(new, name)):
            return name
    return None


def entry_value(entry: dict[str, Any], name: str) -> Any:
    value = entry.get(name)
    return True if name == "public" and value is None else value


def same(name: str, old: Any, new: Any) -> bool:
    """Equal values; timestamps are equal when they name the same instant."""
    if old == new:
        return True
    if name.endswith("_at") or name == "at":
        try:
            return bool(parse_timestamp(str(old)) == parse_timestamp(str(new)))
        except (ValueError, IndexError):
            return False
    return False


def _stand_in(entry: dict[str, Any], new: Sequence[dict[str, Any]],
              places: range) -> int | None:
    """The change's entry that stands where a changed base entry was: the one with its
    time, else with its message; None when there is none (removed)."""
    tests: list[Callable[[dict[str, Any]], bool]] = [
        lambda other: same("at", entry.get("at"), other.get("at")),
        lambda other: entry.get("message") == other.get("message"),
    ]
    for test in tests:
        for place in places:
            if test(new[place]):
                return place
    return None
