"""The history index: written atomically, read back the same, ignored when unusable."""

from __future__ import annotations

from pathlib import Path

import pytest

from itsm_as_code.git.index import CommitInfo, FileChange, Index, load_index, save_index

INFO = CommitInfo(
    "c" * 40, ("d" * 40,), "Ada Example <ada@example.com>", 1_764_000_000, 60, 1_764_000_100,
    "Resolve INC-0001",
    (FileChange("records/incidents/INC-0001.yaml", "a" * 40, "b" * 40),
     FileChange("records/incidents/INC-0002.yaml", None, "e" * 40, own=False)),
)


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "itsm" / "history-v1.json"
    save_index(path, "records", Index({INFO.oid: INFO}, INFO.oid, [INFO.oid]))
    assert load_index(path, "records") == Index({INFO.oid: INFO}, INFO.oid, [INFO.oid])
    assert [p.name for p in path.parent.iterdir()] == ["history-v1.json"]


def test_another_records_folder_starts_over(tmp_path: Path) -> None:
    path = tmp_path / "history-v1.json"
    save_index(path, "records", Index({INFO.oid: INFO}))
    assert load_index(path, "data/records") == Index()


@pytest.mark.parametrize("text", [
    "", "{not json", "[]", '{"version": 2, "prefix": "records", "commits": {}}',
    '{"version": 1, "prefix": "records", "commits": {"x": [1, 2]}}',
    '{"version": 1, "prefix": "records", "commits": {"x": [[], "a", "1", 0, 0, "m", []]}}',
    '{"version": 1, "prefix": "records", "commits": {"x": [[], "a", 1, 0, 0, "m", '
    '[["p", "short", null, true]]]}}',
])
def test_an_unusable_index_is_ignored(tmp_path: Path, text: str) -> None:
    path = tmp_path / "history-v1.json"
    path.write_text(text)
    assert load_index(path, "records") == Index()


def test_a_git_dir_that_cannot_be_written_only_costs_speed(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    save_index(blocked / "itsm" / "history-v1.json", "records", Index({INFO.oid: INFO}))
    assert not (blocked / "itsm").exists()


def test_a_walk_order_naming_unknown_commits_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "history-v1.json"
    save_index(path, "records", Index({INFO.oid: INFO}, "f" * 40, [INFO.oid, "f" * 40]))
    assert load_index(path, "records") == Index({INFO.oid: INFO})
