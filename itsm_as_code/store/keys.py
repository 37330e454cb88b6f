"""One string object for each distinct mapping key of the records parsed.

Every record repeats the same few dozen keys (`title`, `status`, `at`, ...), and a parser
makes a new string for each: at 100,000 records they were about a fifth of the memory of
the records (bench/README.md, "Memory and scaling"). Interned keys are one object each in
a process; a parse worker's chunk of records, pickled back with them, carries each key
once (pickle writes an object it has seen as a reference to it).

The fast path interns its keys in the walk that checks its result (store/screen.py,
`plain`), which costs one walk instead of two; the careful path's data comes here.
"""

from __future__ import annotations

from sys import intern
from typing import Any


def shared_keys(data: Any) -> Any:
    """`data` with every string key of its mappings, at any depth, interned; the same
    values otherwise (lists are changed in place, mappings made again)."""
    if type(data) is dict:
        return {intern(key) if type(key) is str else key: shared_keys(value)
                for key, value in data.items()}
    if type(data) is list:
        data[:] = [shared_keys(item) for item in data]
    return data
