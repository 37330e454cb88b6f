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
from zoneinfo import ZoneInfo

from itsm_as_code.config import Config
from itsm_as_code.model.model import Model
from itsm_as_code.model.verdicts import Verdicts
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.repository import Progress, Repository, load_repository

T = TypeVar("T")


class RunContext:
    def __init__(self, repo: Repository, now: datetime) -> None:
        self.repo = repo
        self.now = now
        self._model: Model | None = None
        self._shared: dict[Callable[..., Any], Any] = {}

    @classmethod
    def read(cls, config: Config, now: datetime, progress: Progress | None = None,
             early: Collection[str] = KINDS) -> RunContext:
        """The context of the repository `config` describes, loaded with its records of
        the `early` kinds judged and read into the model as they arrive, while the parse
        workers read the rest (model/verdicts.py): the kinds the command reads first."""
        verdicts = Verdicts(ZoneInfo(config.timezone), early)
        repo = load_repository(config, progress, each=verdicts.judge)
        context = cls(repo, now)
        context._model = Model(repo, verdicts)
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
