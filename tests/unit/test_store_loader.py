"""Parsing record files: in processes or in this one, with or without the cache, the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.findings import Finding
from itsm_as_code.store.cache import RecordCache, content_key
from itsm_as_code.store.loader import (
    Limits,
    find_files,
    parse_bytes,
    parse_files,
    read_file,
    record_from_bytes,
)

LIMITS = Limits()
SERIAL = 10**9  # `parallel_from` no run reaches


def _files(root: Path) -> list[tuple[str, str]]:
    folder = root / "records/people"
    folder.mkdir(parents=True)
    for number in range(14):
        (folder / f"p{number:02d}.yaml").write_text(
            f"apiVersion: itsm/v1\nkind: Person\nid: p{number:02d}\nname: P {number}\n")
    (folder / "p03.yaml").write_text("kind: Person\nid: [unclosed\n")
    (folder / "p09.yaml").write_bytes(b"kind: Person\nname: \xff\n")
    files, findings, _ = find_files(root / "records", root)
    assert findings == []
    return files


def _parsed(files: list[tuple[str, str]], cache: RecordCache | None = None,
            **thresholds: int) -> list[tuple[str, str, Any]]:
    return [(shown, key, parsed) for _, shown, key, parsed in
            parse_files(files, LIMITS, cache, **thresholds)]


@pytest.mark.parametrize("cached", [False, True])
def test_processes_give_what_this_process_gives(tmp_path: Path, cached: bool) -> None:
    files = _files(tmp_path)

    def cache() -> RecordCache | None:
        return RecordCache(tmp_path / "cache.json", (1, 1)) if cached else None

    serial = _parsed(files, cache(), parallel_from=SERIAL)
    assert _parsed(files, cache(), parallel_from=2, chunk=3) == serial
    assert [shown for shown, _, _ in serial] == [f"records/people/p{n:02d}.yaml"
                                                 for n in range(14)]
    broken = {shown: parsed.rule for shown, _, parsed in serial if isinstance(parsed, Finding)}
    assert broken == {"records/people/p03.yaml": "yaml-syntax",
                      "records/people/p09.yaml": "file-encoding"}
    first = Path(files[0][0]).read_bytes()
    assert serial[0] == ("records/people/p00.yaml", content_key(first), {
        "apiVersion": "itsm/v1", "kind": "Person", "id": "p00", "name": "P 0"})


def test_what_is_parsed_goes_into_the_cache_and_is_read_from_it(tmp_path: Path) -> None:
    files = _files(tmp_path)
    cache = RecordCache(tmp_path / "cache.json", (1, 1))
    first = _parsed(files, cache, parallel_from=2, chunk=3)
    cache.save()
    again = RecordCache(tmp_path / "cache.json", (1, 1))
    assert again.has_entries()
    assert again.get(content_key(Path(files[0][0]).read_bytes())) == first[0][2]
    assert _parsed(files, again, parallel_from=SERIAL) == first


def test_an_unreadable_file_is_a_finding_with_no_key(tmp_path: Path) -> None:
    missing = tmp_path / "gone.yaml"
    [(shown, key, parsed)] = _parsed([(str(missing), "records/gone.yaml")])
    assert (shown, key) == ("records/gone.yaml", "")
    assert isinstance(parsed, Finding)
    assert (parsed.rule, parsed.message.startswith("cannot read the file: ")) == (
        "file-read", True)


def test_read_file_never_opens_a_fifo_or_follows_a_link(tmp_path: Path) -> None:
    import os

    fifo, link = tmp_path / "pipe.yaml", tmp_path / "link.yaml"
    os.mkfifo(fifo)  # listed as a file, then swapped: read_file must still not block
    link.symlink_to(tmp_path / "elsewhere.yaml")
    (tmp_path / "elsewhere.yaml").write_text("kind: Person\n")
    assert isinstance(read_file(fifo, "pipe.yaml", LIMITS), Finding)
    assert read_file(fifo, "pipe.yaml", LIMITS).rule == "file-special"  # type: ignore[union-attr]
    assert read_file(link, "link.yaml", LIMITS).rule == "file-symlink"  # type: ignore[union-attr]


def test_bytes_from_git_nested_too_deep_are_a_finding() -> None:
    raw = ("apiVersion: itsm/v1\nkind: Service\nx: " + "[" * 990 + "]" * 990 + "\n").encode()
    found = record_from_bytes(raw, "records/services/deep.yaml", LIMITS)
    assert isinstance(found, Finding)
    assert (found.rule, found.line, found.column) == ("yaml-depth", 3, 67)


def test_a_byte_that_is_not_utf8_is_placed_in_characters() -> None:
    found = parse_bytes("name: é€\n".encode() + b"\xff\n", "f.yaml", LIMITS)
    assert isinstance(found, Finding)
    assert (found.line, found.column) == (2, 1)
    found = parse_bytes("name: é€".encode() + b"\xff\n", "f.yaml", LIMITS)
    assert (found.line, found.column, found.message) == (  # type: ignore[union-attr]
        1, 9, "byte 0xff is not UTF-8: save the file as UTF-8")
