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
    assert sorted(p.name[:8] for p in (tmp_path / "cache").iterdir()) == ["key", "records-"]


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
            cache.put(f"{mark}{n}", {"writer": mark, "n": n, "round": round_}, 100)
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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key", "records-x.json"]


def test_only_the_most_recent_repositories_are_kept(tmp_path: Path) -> None:
    for n in range(23):
        cache = RecordCache(tmp_path / f"records-{n:02}.json", (1, 1))
        cache.put("k", {"n": n}, 100)
        cache.save()
    kept = sorted(p.name for p in tmp_path.glob("records-*"))
    assert len(kept) == 20 and "records-22.json" in kept


def _unkeyed(data: bytes, replace: dict[bytes, bytes]) -> bytes:
    """The cache file with entries replaced, re-hashed as anyone could (without the key)."""
    header, _, rest = data.partition(b"\n")
    lines = rest.splitlines()[1:]
    body = b"".join(replace.get(line.partition(b" ")[0], line) + b"\n" for line in lines)
    check = hashlib.blake2b(body, digest_size=20).hexdigest().encode()
    return header + b"\n" + check + b"\n" + body


@pytest.mark.parametrize("forged", [
    b'{"apiVersion":"itsm/v1","kind":"Service","id":"web","name":"W","owner":"nobody"}',
    b"[" * 100_000 + b"]" * 100_000,  # json.loads: RecursionError, once an exit 3
])
def test_an_entry_written_without_the_key_is_never_used(tmp_path: Path, forged: bytes) -> None:
    root = example_repo(tmp_path / "repo")
    config = load_config(root)
    fresh = loaded(load_repository(config, cache=RecordCache(None, (0, 0))))
    load_repository(config, cache=cache_at(tmp_path / "cache", root))
    path = cache_at(tmp_path / "cache", root).path
    assert path is not None
    web = content_key((root / "records/services/web.yaml").read_bytes()).encode()
    path.write_bytes(_unkeyed(path.read_bytes(), {web: web + b" " + forged}))
    assert loaded(load_repository(config, cache=cache_at(tmp_path / "cache", root))) == fresh


def test_the_key_is_private_and_made_once(tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo")
    load_repository(load_config(root), cache=cache_at(tmp_path / "cache", root))
    key = tmp_path / "cache/key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32
    before = key.read_bytes()
    assert cache_at(tmp_path / "cache", root).has_entries()
    assert key.read_bytes() == before
    key.chmod(0o644)  # readable by others: anyone could sign entries, so none is trusted
    assert not cache_at(tmp_path / "cache", root).has_entries()


def test_pruning_deletes_only_files_the_cache_wrote(tmp_path: Path) -> None:
    mine = tmp_path / "records-mine.json"
    mine.write_text('{"my": "notes"}\n')
    for n in range(22):
        cache = RecordCache(tmp_path / f"records-{n:02}.json", (1, 1))
        cache.put("k", {"n": n}, 100)
        cache.save()
    kept = sorted(p.name for p in tmp_path.glob("records-*"))
    assert len(kept) == 21 and "records-mine.json" in kept
    assert mine.read_text() == '{"my": "notes"}\n'


def test_an_entry_is_never_much_larger_than_its_file(tmp_path: Path) -> None:
    cache = RecordCache(tmp_path / "records-x.json", (1, 1))
    cache.put("small", {"a": "x" * 100}, 110)
    cache.put("expanded", {"a": ["x" * 100] * 30}, 140)  # what aliases make of 140 bytes
    cache.put_json("expanded-text", '{"a":"' + "x" * 2000 + '"}', 140)
    cache.save()
    cache = RecordCache(tmp_path / "records-x.json", (1, 1))
    assert cache.get("small") == {"a": "x" * 100}
    assert cache.get("expanded") is None and cache.get("expanded-text") is None


def test_an_alias_bomb_within_every_limit_is_refused_at_once(tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo")
    # The bomb: 1,111 values, 30 aliases, one 0.9 MB text; expanded, 0.9 GB that
    # the cache once encoded as JSON (13 s, 3.3 GB).
    lines = [f"a: &a {'x' * 900_000}\n", "b: &b [" + ", ".join(["*a"] * 10) + "]\n",
             "c: &c [" + ", ".join(["*b"] * 10) + "]\n", "d: [" + ", ".join(["*c"] * 10) + "]\n"]
    (root / "records/services/bomb.yaml").write_text(
        "apiVersion: itsm/v1\nkind: Service\nid: bomb\n" + "".join(lines))
    repo = load_repository(load_config(root), cache=cache_at(tmp_path / "cache", root))
    assert [(f.path, f.rule) for f in repo.findings] == [
        ("records/services/bomb.yaml", "yaml-alias")]
    # Nothing of it kept: not even the 0.9 MB text, let alone its expansion.
    kept = [path for path in (tmp_path / "cache").rglob("*") if path.is_file()]
    assert kept and sum(path.stat().st_size for path in kept) < 100_000
