"""The timestamps-timeline rule replays each shape of timeline once: for any timeline,
what it reads back is what a replay of that very timeline determines."""

from __future__ import annotations

import random
from typing import Any

import pytest

from itsm_as_code.model.lifecycle import LIFECYCLES
from itsm_as_code.model.steps import replay
from itsm_as_code.validation.rules.derived import DERIVED, _replayed, _steps


def _timeline(rnd: random.Random, statuses: list[Any]) -> list[Any]:
    entries: list[Any] = []
    for _ in range(rnd.randint(0, 8)):
        entry: dict[str, Any] = {}
        if rnd.random() < 0.8:
            entry["status"] = rnd.choice(statuses)
        if rnd.random() < 0.4:
            entry["acknowledged"] = rnd.choice([True, False, "yes", None, 1])
        if rnd.random() < 0.9:
            entry["at"] = rnd.choice([f"2026-01-0{rnd.randint(1, 9)}T00:00:00Z", None, 5])
        entries.append(rnd.choice([entry, entry, entry, "not an entry"]))
    return entries


@pytest.mark.parametrize("kind", sorted(DERIVED))
def test_a_shared_replay_reads_back_each_timeline_own_times(kind: str) -> None:
    rnd = random.Random(7)
    statuses: list[Any] = [*LIFECYCLES[kind].moves, "bogus", None, 3, ["x"]]
    shapes: dict[Any, dict[str, Any]] = {}
    for _ in range(3000):
        steps = _steps(_timeline(rnd, statuses))
        expected, got = replay(kind, steps), _replayed(kind, steps, shapes)
        for name in DERIVED[kind]:
            # The very object of the entry, not an equal one.
            assert got.get(name) is expected.get(name), (steps, name)
    assert len(shapes) < 3000  # timelines of one shape were replayed once
