"""What a record rule is given: the model of the repository and the records to judge.

Rules of scope `record` judge records that passed their schema and read their typed
values from the model (`values`), with the record for positions; rules of scope
`repository` see every record read, whatever its shape, and guard what they read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from itsm_as_code.model.model import Model
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository

T = TypeVar("T")


@dataclass(frozen=True)
class Judged:
    """The records a run judges (all of a repository, or only those a change writes), and
    the run's now (None: the run does not judge times against the clock)."""

    model: Model
    records: Sequence[Record]
    now: datetime | None = None
    _by_kind: dict[str, list[Record]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def repo(self) -> Repository:
        return self.model.repo

    def values(self, kind: str, cls: type[T]) -> Iterator[tuple[Record, T]]:
        """Each judged record of `kind` with the typed value the model read from it."""
        values = self.model.of(kind, cls)
        if not self._by_kind:
            for record in self.records:
                self._by_kind.setdefault(record.kind, []).append(record)
        for record in self._by_kind.get(kind, ()):
            value = values.get(record.id)
            if value is not None and self.model.source(record.id) is record:
                yield record, value
