"""The history index: written atomically, read back the same, ignored when unusable."""

from __future__ import annotations

from pathlib import Path

import pytest

from itsm_as_code.git.index import (
    CommitInfo,
    Details,
    FileChange,
    Index,
    load_index,
    save_index,
)

DETAILS = Details("Ada Example <ada@example.com>", 1_764_000_000, 60, 1_764_000_100,
                  "Resolve INC-0001")


def _lookup(oid: str) -> Details:
    assert oid == "c" * 40
    return DETAILS


INFO = CommitInfo(
    "c" * 40, ("d" * 40,),
    (FileChange("records/incidents/INC-0001.yaml", "a" * 40, "b" * 40),
     FileChange("records/incidents/INC-0002.yaml", None, "e" * 40, own=False)),
    _lookup,
)


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "itsm" / "history-v2.bin"
    save_index(path, "records", Index({INFO.oid: INFO}, INFO.oid, [INFO.oid]))
    loaded = load_index(path, "records", _lookup)
    assert loaded == Index({INFO.oid: INFO}, INFO.oid, [INFO.oid])
    assert [p.name for p in path.parent.iterdir()] == ["history-v2.bin"]
    assert loaded.commits[INFO.oid].author == "Ada Example <ada@example.com>"
    assert loaded.commits[INFO.oid].committed == 1_764_000_100


def test_the_json_index_of_version_1_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "history-v1.json").write_text('{"version": 1}')
    save_index(tmp_path / "history-v2.bin", "records", Index({INFO.oid: INFO}))
    assert [p.name for p in tmp_path.iterdir()] == ["history-v2.bin"]


def test_another_records_folder_starts_over(tmp_path: Path) -> None:
    path = tmp_path / "history-v2.bin"
    save_index(path, "records", Index({INFO.oid: INFO}))
    assert load_index(path, "data/records", _lookup) == Index()


@pytest.mark.parametrize("damage", [
    lambda data: b"", lambda data: b"{not json", lambda data: data[:-1],
    lambda data: data[:-5] + b"x" + data[-4:], lambda data: data.replace(b" 2 ", b" 3 ", 1),
    lambda data: data.split(b"\n", 1)[1],
])
def test_a_damaged_index_is_ignored(tmp_path: Path, damage: object) -> None:
    path = tmp_path / "history-v2.bin"
    save_index(path, "records", Index({INFO.oid: INFO}, INFO.oid, [INFO.oid]))
    assert callable(damage)
    path.write_bytes(damage(path.read_bytes()))
    assert load_index(path, "records", _lookup) == Index()


def test_a_git_dir_that_cannot_be_written_only_costs_speed(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    save_index(blocked / "itsm" / "history-v2.bin", "records", Index({INFO.oid: INFO}))
    assert not (blocked / "itsm").exists()


def test_a_walk_order_naming_unknown_commits_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "history-v2.bin"
    save_index(path, "records", Index({INFO.oid: INFO}, "f" * 40, [INFO.oid, "f" * 40]))
    assert load_index(path, "records", _lookup) == Index({INFO.oid: INFO})
