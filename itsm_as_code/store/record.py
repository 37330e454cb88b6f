"""A record: one YAML document of a known kind, with the file it came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from itsm_as_code import positions
from itsm_as_code.findings import Finding, Level

Key = str | int


@dataclass(eq=False)
class Record:
    """A loaded record. `path` is relative to the repository root, with `/` separators.

    Positions are not kept while loading (that would double the cost of the parse);
    `locate` re-reads the source the first time a finding needs a line.
    """

    kind: str
    id: str
    path: str
    data: dict[str, Any]
    read_source: Callable[[], str] = field(repr=False)
    # The content key of the bytes the record was parsed from (store/cache.py), when the
    # loader read them: what a build may key its own caches by. Empty when unknown.
    content_key: str = field(default="", repr=False)
    _nodes: positions.Located | None = field(default=None, repr=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def written(self, *place: Key) -> object:
        """The value at `place` as the file writes it, for a message to quote (the model
        holds a timestamp as an instant in UTC; the user wrote it with their offset)."""
        value: object = self.data
        for step in place:
            if isinstance(value, dict) and isinstance(step, str):
                value = value.get(step)
            elif isinstance(value, list) and isinstance(step, int) and step < len(value):
                value = value[step]
            else:
                return None
        return value

    def locate(self, at: tuple[Key, ...] = (), key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `at`, or of its key when `key`."""
        if self._nodes is None:
            self._nodes = positions.Located(self.read_source())
        return self._nodes.find(at, key)

    def finding(
        self, rule: str, message: str, at: tuple[Key, ...] = (), *, key: bool = False,
        level: Level = "error",
    ) -> Finding:
        line, column = self.locate(at, key)
        return Finding(self.path, line, column, rule, message, self.id or None, level)
