"""Records parsed apart share one string per mapping key, in this process and when parse
workers send them back: what keeps 100,000 records under 1 GiB."""

from __future__ import annotations

from pathlib import Path
from sys import intern

import pytest

from itsm_as_code.store.keys import shared_keys
from itsm_as_code.store.loader import Limits, parse_files

TEXT = """kind: Incident
id: INC-{n}
title: Disk {n} full
timeline:
  - at: 2026-01-01T10:00:00Z
    status: investigating
    nested: {{deep: [{{"status": x}}]}}
"""


def _keys(data: object) -> list[str]:
    if isinstance(data, dict):
        return [*data, *(key for value in data.values() for key in _keys(value))]
    if isinstance(data, list):
        return [key for item in data for key in _keys(item)]
    return []


def test_shared_keys_keeps_values_order_and_other_keys() -> None:
    data = {"".join(["ti", "tle"]): [1, {"".join(["st", "atus"]): "open", 3: None}], "n": 2.5}
    shared = shared_keys(data)
    assert shared == data and list(shared) == ["title", "n"]
    assert next(iter(shared)) is intern("title")
    assert list(shared["title"][1]) == ["status", 3]


@pytest.mark.parametrize("parallel_from", [1000, 2], ids=["this process", "workers"])
def test_records_parsed_apart_share_their_keys(tmp_path: Path, parallel_from: int) -> None:
    files = []
    for n in range(6):
        path = tmp_path / f"INC-{n}.yaml"
        path.write_text(TEXT.format(n=n), encoding="utf-8")
        files.append((str(path), path.name))
    parsed = [data for *_, data in parse_files(files, Limits(), parallel_from=parallel_from,
                                               chunk=3)]
    assert [data["id"] for data in parsed] == [f"INC-{n}" for n in range(6)]  # type: ignore[index]
    # Within a chunk (a worker's or this process's), one object per key.
    first, second = _keys(parsed[0]), _keys(parsed[1])
    assert first == ["kind", "id", "title", "timeline", "at", "status", "nested", "deep",
                     "status"]
    assert all(a is b for a, b in zip(first, second, strict=True))
    assert first[5] is first[8]
