"""A record: one YAML document of a known kind, with the file it came from (and, for a
record with a timeline, the update files folded into it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from itsm_as_code import positions
from itsm_as_code.findings import Finding, Level

Key = str | int

# Record fields an update sets, and the field of its entry that set them: a finding on
# `approvals` or `reopen_count` set by an update points at the update's `approval` or
# `status`, one on `assignee` at its `assignee`; a time it stamped (`resolved_at`, ...)
# at its `at`.
_FROM_ENTRY = {"approvals": "approval", "reopen_count": "status", "status": "status"}


@dataclass(frozen=True)
class Part:
    """An update file folded into its record: the timeline entry at `index` came from the
    file at `path`, and set the record's fields `sets` (as model/steps.py applied it)."""

    path: str
    index: int
    read_source: Callable[[], str] = field(repr=False)
    sets: frozenset[str] = frozenset()


@dataclass(eq=False)
class Record:
    """A loaded record. `path` is relative to the repository root, with `/` separators.

    Positions are not kept while loading (that would double the cost of the parse);
    `locate` re-reads the source the first time a finding needs a line. A record folded
    with update files (store/updates.py) places what came from one of them in that file:
    `where` names the file, `locate` gives the line in it.
    """

    kind: str
    id: str
    path: str
    data: dict[str, Any]
    read_source: Callable[[], str] = field(repr=False)
    # The content key of the bytes the record was parsed from (store/cache.py), when the
    # loader read them, and of its update files' bytes when it has any: what a build may
    # key its own caches by. Empty when unknown.
    content_key: str = field(default="", repr=False)
    # The update files folded into it, in timeline order.
    parts: tuple[Part, ...] = field(default=(), repr=False)
    # With update files folded in: the record file's own data, as its file writes it.
    own: dict[str, Any] | None = field(default=None, repr=False)
    _nodes: positions.Located | None = field(default=None, repr=False)
    _part_nodes: dict[int, positions.Located] = field(default_factory=dict, repr=False)

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

    def where(self, at: tuple[Key, ...] = ()) -> str:
        """The path of the file that holds the value at `at`."""
        part, _ = self._source(at)
        return self.path if part is None else self.parts[part].path

    def locate(self, at: tuple[Key, ...] = (), key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `at`, or of its key when `key`, in the
        file `where(at)` names."""
        part, inside = self._source(at)
        if part is None:
            if self._nodes is None:
                self._nodes = positions.Located(self.read_source())
            return self._nodes.find(at, key)
        nodes = self._part_nodes.get(part)
        if nodes is None:
            nodes = self._part_nodes[part] = positions.Located(self.parts[part].read_source())
        return nodes.find(inside, key and bool(inside))

    def finding(
        self, rule: str, message: str, at: tuple[Key, ...] = (), *, key: bool = False,
        level: Level = "error",
    ) -> Finding:
        line, column = self.locate(at, key)
        return Finding(self.where(at), line, column, rule, message, self.id or None, level)

    def _source(self, at: tuple[Key, ...]) -> tuple[int | None, tuple[Key, ...]]:
        """Which part holds `at` (None: the record's own file), and the place in it."""
        if not self.parts or not at:
            return None, at
        if at[0] == "timeline":
            if len(at) > 1 and isinstance(at[1], int):
                for number, part in enumerate(self.parts):
                    if part.index == at[1]:
                        return number, at[2:]
            return None, at
        # A field an update set: the last update that set it.
        for number in range(len(self.parts) - 1, -1, -1):
            part = self.parts[number]
            if isinstance(at[0], str) and at[0] in part.sets:
                entry = self.written("timeline", part.index)
                name = _FROM_ENTRY.get(at[0], at[0])
                if isinstance(entry, dict) and name in entry:
                    return number, (name,)
                return number, ("at",)
        return None, at
