"""The schema's verdict on each record, and the typed value read from a record that
passes: worked out once per record, either when the model first asks for its kind or
while the repository is still being read.

Reading a large repository leaves the main process waiting on its parse workers most of
the time; `Model.read` judges each record as it arrives (`judge`, given to
`load_repository`), so the model is built by the time the last file is parsed instead of
after it. A record whose update files are still to be folded in is not judged early:
its data is not final until then.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from zoneinfo import ZoneInfo

from itsm_as_code.findings import Finding
from itsm_as_code.model.build import READERS
from itsm_as_code.model.readers.values import unusable
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Record
from itsm_as_code.store.schema import SchemaCheck

Verdict = tuple[Any, list[Finding]]  # the value (None when refused) and the findings


class Verdicts:
    """Verdicts by record; `judge` works out early only those of the `early` kinds (a
    command judges early what it will read: the rest may never be asked for)."""

    def __init__(self, zone: ZoneInfo | None, early: Collection[str] = KINDS) -> None:
        self._check = SchemaCheck(zone)
        self._kinds = frozenset(early)
        # By the record's id(); the record is kept with its verdict, so the id cannot be
        # taken by another object meanwhile.
        self._early: dict[int, tuple[Record, Verdict]] = {}

    def judge(self, record: Record) -> None:
        """Work out the verdict on `record` now, for the model to take later."""
        if record.kind in self._kinds:
            self._early[id(record)] = (record, self._verdict(record))

    def of(self, record: Record) -> Verdict:
        """The verdict on `record`: the one worked out early (then forgotten: the model
        keeps it), or worked out now."""
        early = self._early.pop(id(record), None)
        if early is not None and early[0] is record:
            return early[1]
        return self._verdict(record)

    def _verdict(self, record: Record) -> Verdict:
        problems = self._check.check(record)
        if problems:
            return None, problems
        try:
            return READERS[record.kind](record.data), []
        except (ValueError, OverflowError) as error:
            # A time that does not exist (30 February) in the schema's words; one outside
            # what Python holds in the model's.
            return None, self._check.explain(record) or [unusable(record, error)]
