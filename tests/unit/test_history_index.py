"""The history index: written atomically and signed, read back the same, ignored when unusable
or not signed with this user's key."""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

import pytest

from itsm_as_code.git import index
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
    path = tmp_path / "itsm" / "history-v3.bin"
    save_index(path, "records", Index({INFO.oid: INFO}, INFO.oid, [INFO.oid]))
    loaded = load_index(path, "records", _lookup)
    assert loaded == Index({INFO.oid: INFO}, INFO.oid, [INFO.oid])
    assert [p.name for p in path.parent.iterdir()] == ["history-v3.bin"]
    assert loaded.commits[INFO.oid].author == "Ada Example <ada@example.com>"
    assert loaded.commits[INFO.oid].committed == 1_764_000_100


def test_the_unsigned_indexes_of_versions_1_and_2_are_replaced(tmp_path: Path) -> None:
    (tmp_path / "history-v1.json").write_text('{"version": 1}')
    (tmp_path / "history-v2.bin").write_bytes(b"itsm-history 2 0\n")
    save_index(tmp_path / "history-v3.bin", "records", Index({INFO.oid: INFO}))
    assert [p.name for p in tmp_path.iterdir()] == ["history-v3.bin"]


def test_another_records_folder_starts_over(tmp_path: Path) -> None:
    path = tmp_path / "history-v3.bin"
    save_index(path, "records", Index({INFO.oid: INFO}))
    assert load_index(path, "data/records", _lookup) == Index()


@pytest.mark.parametrize("damage", [
    lambda data: b"", lambda data: b"{not json", lambda data: data[:-1],
    lambda data: data[:-5] + b"x" + data[-4:], lambda data: data.replace(b" 3 ", b" 4 ", 1),
    lambda data: data.split(b"\n", 1)[1],
])
def test_a_damaged_index_is_ignored(tmp_path: Path, damage: object) -> None:
    path = tmp_path / "history-v3.bin"
    save_index(path, "records", Index({INFO.oid: INFO}, INFO.oid, [INFO.oid]))
    assert callable(damage)
    path.write_bytes(damage(path.read_bytes()))
    assert load_index(path, "records", _lookup) == Index()


def test_a_git_dir_that_cannot_be_written_only_costs_speed(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    save_index(blocked / "itsm" / "history-v3.bin", "records", Index({INFO.oid: INFO}))
    assert not (blocked / "itsm").exists()


def test_a_walk_order_naming_unknown_commits_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "history-v3.bin"
    save_index(path, "records", Index({INFO.oid: INFO}, "f" * 40, [INFO.oid, "f" * 40]))
    assert load_index(path, "records", _lookup) == Index({INFO.oid: INFO})


def _unkeyed(body: bytes) -> bytes:
    """The index as version 2 wrote it: anyone could compute its (unkeyed) digest."""
    digest = hashlib.blake2b(body, digest_size=16).hexdigest().encode("ascii")
    return b"itsm-history 3 " + digest + b"\n" + body


@pytest.mark.parametrize("content", [
    _unkeyed(marshal.dumps(("records", INFO.oid, (INFO.oid,), ((INFO.oid, (), ()),)), 4)),
    _unkeyed(marshal.dumps(((INFO.oid, (), ()),), 4)),
    bytes(range(256)) * 64,
])
def test_an_index_itsm_did_not_sign_is_never_read(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "history-v3.bin"
    path.write_bytes(content)
    assert load_index(path, "records", _lookup) == Index()


def test_an_index_signed_with_another_key_is_not_read(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "git" / "itsm" / "history-v3.bin"
    save_index(path, "records", Index({INFO.oid: INFO}, INFO.oid, [INFO.oid]))
    monkeypatch.setenv("ITSM_CACHE_DIR", str(tmp_path / "another-user"))
    assert load_index(path, "records", _lookup) == Index()


def test_an_index_copied_into_another_git_dir_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "one" / "history-v3.bin"
    save_index(path, "records", Index({INFO.oid: INFO}, INFO.oid, [INFO.oid]))
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "history-v3.bin").write_bytes(path.read_bytes())
    assert load_index(tmp_path / "two" / "history-v3.bin", "records", _lookup) == Index()


def test_without_a_key_nothing_is_trusted_or_written(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "history-v3.bin"
    save_index(path, "records", Index({INFO.oid: INFO}))
    (tmp_path / "blocked").write_text("a file where the cache folder should be")
    monkeypatch.setenv("ITSM_CACHE_DIR", str(tmp_path / "blocked"))
    assert load_index(path, "records", _lookup) == Index()
    path.unlink()
    save_index(path, "records", Index({INFO.oid: INFO}))
    assert not path.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_or_a_link_is_not_read_and_is_replaced(tmp_path: Path) -> None:
    saved = tmp_path / "saved.bin"
    save_index(saved, "records", Index({INFO.oid: INFO}))
    path = tmp_path / "history-v3.bin"
    os.mkfifo(path)
    assert load_index(path, "records", _lookup) == Index()  # returns, never waits
    save_index(path, "records", Index({INFO.oid: INFO}))
    assert path.is_file()
    path.unlink()
    path.symlink_to(saved)
    assert load_index(path, "records", _lookup) == Index()


def test_an_index_larger_than_the_limit_is_not_read(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "history-v3.bin"
    save_index(path, "records", Index({INFO.oid: INFO}))
    monkeypatch.setattr(index, "MAX_BYTES", path.stat().st_size - 1)
    assert load_index(path, "records", _lookup) == Index()
