"""The cycle collector is paused while records are loaded and a site is built."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from itsm_as_code.store import repository
from itsm_as_code.store.repository import collector_paused


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.enable()


def test_no_collection_inside_and_the_collector_back_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the outer block turns it back on
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # a few objects: nothing frozen


def test_many_objects_made_inside_are_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repository, "FREEZE_FROM", 1_000)
    with collector_paused():
        kept = [{"n": n} for n in range(5_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)


def test_a_paused_collector_stays_paused() -> None:
    gc.disable()
    with collector_paused():
        kept = [{"n": n} for n in range(200_000)]
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert len(kept) == 200_000
