"""The record cache: a speed-up that never changes what a load returns."""

from __future__ import annotations

import hashlib
import multiprocessing
import shutil
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.store.cache import RecordCache, content_key
from itsm_as_code.store.repository import Repository, load_repository
from tests.helpers import DEMO, EXAMPLES, example_repo

CASES = sorted(p for p in (EXAMPLES / "positive").iterdir() if p.is_dir()) + sorted(
    p for p in (EXAMPLES / "negative").iterdir() if p.is_dir())


def typed(value: Any) -> Any:
    """The value with the type of every part spelt out: 1 and 1.0 and True differ."""
    if isinstance(value, dict):
        return ("dict", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, value)


def loaded(repo: Repository) -> Any:
    return ([(r.kind, r.id, r.path, typed(r.data)) for r in repo.records], repo.findings)


def cache_at(folder: Path, root: Path, limits: tuple[int, int] = (1024 * 1024, 100),
             ) -> RecordCache:
    return RecordCache.for_root(root, limits, {"ITSM_CACHE_DIR": str(folder)})


def check_same(root: Path, folder: Path) -> None:
    config = load_config(root)
    fresh = loaded(load_repository(config, cache=RecordCache(None, (0, 0))))
    first = cache_at(folder, root)
    assert not first.has_entries()
    assert loaded(load_repository(config, cache=first)) == fresh
    second = cache_at(folder, root)
    assert second.has_entries()
    assert loaded(load_repository(config, cache=second)) == fresh


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_cached_load_is_a_fresh_load(case: Path, tmp_path: Path) -> None:
    check_same(example_repo(tmp_path / "repo", case), tmp_path / "cache")


def test_the_demo_loads_the_same_from_the_cache(tmp_path: Path) -> None:
    shutil.copytree(DEMO / "records", tmp_path / "demo/records")
    shutil.copy(DEMO / "itsm.yaml", tmp_path / "demo/itsm.yaml")
    check_same(tmp_path / "demo", tmp_path / "cache")


def test_only_records_are_kept_and_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo")
    config = load_config(root)
    broken = root / "records/services/broken.yaml"
    broken.write_text("kind: Service\nid: [unclosed\n")
    load_repository(config, cache=cache_at(tmp_path / "cache", root))
    cache = cache_at(tmp_path / "cache", root)
    assert cache.get(content_key(broken.read_bytes())) is None
    web = root / "records/services/web.yaml"
    assert cache.get(content_key(web.read_bytes())) is not None
    web.write_text(web.read_text().replace("name: ", "name: Renamed "))
    repo = load_repository(config, cache=cache_at(tmp_path / "cache", root))
    assert str(repo.get("web").get("name")).startswith("Renamed ")  # type: ignore[union-attr]
    assert [f.rule for f in repo.findings] == ["yaml-syntax"]


def _wrong_shapes(data: bytes) -> bytes:
    """The same keys with values that are JSON but not records, under a right checksum."""
    header, _, rest = data.partition(b"\n")
    body = b"".join(line.partition(b" ")[0] + b" [1]\n" for line in rest.splitlines()[1:])
    return header + b"\n" + hashlib.blake2b(body, digest_size=20).hexdigest().encode() + (
        b"\n" + body)


DAMAGE = {
    "empty": lambda data: b"",
    "not-json": lambda data: b"{not json",
    "not-text": lambda data: b"\xff\xfe" + data,
    "truncated": lambda data: data[:len(data) // 2],
    "one-byte-changed": lambda data: data[:-20] + bytes([data[-20] ^ 1]) + data[-19:],
    "wrong-shapes": _wrong_shapes,
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path: Path, damage: str) -> None:
    root = example_repo(tmp_path / "repo")
    config = load_config(root)
    fresh = loaded(load_repository(config, cache=RecordCache(None, (0, 0))))
    path = cache_at(tmp_path / "cache", root).path
    assert path is not None
    load_repository(config, cache=cache_at(tmp_path / "cache", root))
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    assert loaded(load_repository(config, cache=cache_at(tmp_path / "cache", root))) == fresh
    assert cache_at(tmp_path / "cache", root).get(
        content_key((root / "records/services/web.yaml").read_bytes())) is not None


def test_a_cache_of_other_limits_or_another_version_is_not_read(tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo")
    load_repository(load_config(root), cache=cache_at(tmp_path / "cache", root))
    assert cache_at(tmp_path / "cache", root).has_entries()
    assert not cache_at(tmp_path / "cache", root, (1024, 100)).has_entries()
    path = cache_at(tmp_path / "cache", root).path
    assert path is not None
    path.write_text(path.read_text().replace('"schema": ', '"schema": 9', 1))
    assert not cache_at(tmp_path / "cache", root).has_entries()


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = example_repo(tmp_path / "repo")
    monkeypatch.setenv("ITSM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ITSM_NO_CACHE", "1")
    load_repository(load_config(root))
    assert not (tmp_path / "cache").exists()
    monkeypatch.setenv("ITSM_NO_CACHE", "0")
    load_repository(load_config(root))
    assert [p.name.startswith("records-") for p in (tmp_path / "cache").iterdir()] == [True]


def test_files_with_the_same_bytes_get_their_own_data(tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo")
    load_repository(load_config(root), cache=cache_at(tmp_path / "cache", root))
    cache = cache_at(tmp_path / "cache", root)
    key = content_key((root / "records/services/web.yaml").read_bytes())
    first, second = cache.get(key), cache.get(key)
    assert first == second and first is not second


def _writer(path: str, mark: str) -> None:
    for round_ in range(40):
        cache = RecordCache(Path(path), (1, 1))
        for n in range(200):
            cache.put(f"{mark}{n}", {"writer": mark, "n": n, "round": round_})
        cache.save()


def test_two_processes_writing_at_once_leave_one_whole_cache(tmp_path: Path) -> None:
    path = tmp_path / "records-x.json"
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_writer, args=(str(path), mark)) for mark in "ab"]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert [writer.exitcode for writer in writers] == [0, 0]
    cache = RecordCache(path, (1, 1))
    marks = {cache.get(f"{m}{n}")["writer"] for m in "ab" for n in range(200)  # type: ignore[index]
             if cache.get(f"{m}{n}") is not None}
    assert len(marks) == 1
    mark = marks.pop()
    assert all(cache.get(f"{mark}{n}") is not None for n in range(200))
    assert [p.name for p in tmp_path.iterdir()] == ["records-x.json"]


def test_only_the_most_recent_repositories_are_kept(tmp_path: Path) -> None:
    for n in range(23):
        cache = RecordCache(tmp_path / f"records-{n:02}.json", (1, 1))
        cache.put("k", {"n": n})
        cache.save()
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert len(kept) == 20 and "records-22.json" in kept
