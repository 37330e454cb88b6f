"""The run context: what one command, or every step of `itsm run`, works on.

It holds the run's `now` (read once, at the command line), the settings, the loaded
repository and its model, and the results that several steps compute from them
(agreements and clocks, the desired access state, ...), each computed the first time a
step asks for it and shared after that.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any, TypeVar

from itsm_as_code.config import Config
from itsm_as_code.model.model import Model
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.loader import Found
from itsm_as_code.store.repository import Progress, Repository
from itsm_as_code.store.stats import StatIndex

T = TypeVar("T")


class RunContext:
    def __init__(self, repo: Repository, now: datetime) -> None:
        self.repo = repo
        self.now = now
        self._model: Model | None = None
        self._shared: dict[Callable[..., Any], Any] = {}

    @classmethod
    def read(cls, config: Config, now: datetime, progress: Progress | None = None,
             early: Collection[str] = KINDS, *, found: Found | None = None,
             stats: StatIndex | None = None) -> RunContext:
        """The context of the repository `config` describes, its model read as
        `Model.read` reads it (the `early` kinds: those the command reads first)."""
        model = Model.read(config, progress, early, found=found, stats=stats)
        context = cls(model.repo, now)
        context._model = model
        return context

    @property
    def config(self) -> Config:
        return self.repo.config

    @property
    def model(self) -> Model:
        if self._model is None:
            self._model = Model(self.repo)
        return self._model

    def shared(self, compute: Callable[[RunContext], T]) -> T:
        """`compute(self)`, computed once per run: the function is the key."""
        if compute not in self._shared:
            self._shared[compute] = compute(self)
        return self._shared[compute]  # type: ignore[no-any-return]
