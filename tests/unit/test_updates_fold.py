"""Update files: found beside their records, folded into them in order, placed in their
own files by every finding, and refused clearly when they cannot be an update."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from itsm_as_code.authoring.updates import write_update
from itsm_as_code.authoring.writer import render
from itsm_as_code.config import load_config
from itsm_as_code.findings import Finding
from itsm_as_code.store.blobs import records_from_blobs
from itsm_as_code.store.cache import RecordCache
from itsm_as_code.store.loader import Limits, find_files
from itsm_as_code.store.repository import Repository, load_repository
from itsm_as_code.store.updates import folder_of, split
from itsm_as_code.validation.runner import validate
from tests.helpers import example_repo, incident, problem, write

RECORD = "records/incidents/INC-0002.yaml"
UPDATES = "records/incidents/INC-0002.updates"
OPENED = "2026-11-03T04:00:00+01:00"


def _repo(tmp_path: Path) -> Path:
    root = example_repo(tmp_path / "repo")
    write(root, incident("INC-0002", opened_at=OPENED, timeline=[
        {"at": OPENED, "status": "investigating", "message": "Looking into it."}]))
    return root


def _load(root: Path, cache: RecordCache | None = None) -> Repository:
    config = load_config(root)
    return load_repository(config, cache=cache or RecordCache(None, (1, 1)))


def _update(root: Path, at: str, token: str, **fields: object) -> str:
    entry = {"at": at, "message": f"Update at {at}.", **fields}
    return write_update(root, RECORD, "INC-0002", entry, token)


def test_update_files_follow_the_records_own_timeline_by_time_then_name(
        tmp_path: Path) -> None:
    root = _repo(tmp_path)
    late = _update(root, "2026-11-03T04:40:00+01:00", "aaaaaa", status="identified",
                   author="ada")
    early = _update(root, "2026-11-03T04:35:00+01:00", "bbbbbb", status="monitoring",
                    services=[{"id": "web", "status": "degraded_performance"}])
    same = _update(root, "2026-11-03T04:40:00+01:00", "000000", author="ada")
    repo = _load(root)
    (record,) = repo.by_id["INC-0002"]
    assert record.path == RECORD
    assert [entry["at"] for entry in record.data["timeline"]] == [
        OPENED, "2026-11-03T04:35:00+01:00", "2026-11-03T04:40:00+01:00",
        "2026-11-03T04:40:00+01:00"]
    assert [part.path for part in record.parts] == [early, same, late]
    assert [part.index for part in record.parts] == [1, 2, 3]
    assert record.data["status"] == "identified"
    assert validate(repo).findings == []


def test_findings_in_an_update_name_its_file_and_line(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    path = _update(root, "2026-11-03T04:40:00+01:00", "aaaaaa", status="identifed")
    findings = validate(_load(root)).findings
    # The file: a comment line, then at, message and status.
    assert [(f.path, f.line, f.rule) for f in findings] == [(path, 4, "schema")]
    assert "did you mean 'identified'?" in findings[0].message


def test_a_field_an_update_set_is_placed_at_that_update(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    path = _update(root, "2026-11-03T05:40:00+01:00", "aaaaaa", status="resolved",
                   assignee="ben")
    (record,) = _load(root).by_id["INC-0002"]
    assert record.data["resolved_at"] == "2026-11-03T05:40:00+01:00"
    assert record.where(("resolved_at",)) == path
    assert record.finding("x", "m", ("resolved_at",)).line == 2  # the update's `at`
    assert record.finding("x", "m", ("status",)).line == 4
    assert record.locate(("assignee",)) == (5, 11)
    assert record.written("timeline", 1, "status") == "resolved"
    assert record.where(("title",)) == RECORD
    assert record.finding("x", "m", ("timeline", 0, "message")).path == RECORD


def test_the_content_key_follows_every_update_file(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    plain = _load(root).by_id["INC-0002"][0].content_key
    path = _update(root, "2026-11-03T04:40:00+01:00", "aaaaaa", status="identified")
    first = _load(root).by_id["INC-0002"][0].content_key
    assert first and first != plain
    assert _load(root).by_id["INC-0002"][0].content_key == first
    (root / path).write_text((root / path).read_text().replace("identified", "monitoring"))
    assert _load(root).by_id["INC-0002"][0].content_key not in (first, plain)


def test_the_record_cache_serves_update_files_by_their_bytes(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    path = _update(root, "2026-11-03T04:40:00+01:00", "aaaaaa", status="identified")
    environ = {"ITSM_CACHE_DIR": str(tmp_path / "cache")}
    config = load_config(root)
    limits = (config.max_file_bytes, config.max_aliases)
    cold = load_repository(config, cache=RecordCache.for_root(root, limits, environ))
    warm = load_repository(config, cache=RecordCache.for_root(root, limits, environ))
    assert warm.by_id["INC-0002"][0].data == cold.by_id["INC-0002"][0].data
    (root / path).write_text((root / path).read_text().replace("identified", "monitoring"))
    changed = load_repository(config, cache=RecordCache.for_root(root, limits, environ))
    assert changed.by_id["INC-0002"][0].data["status"] == "monitoring"


def test_update_files_are_never_records_of_their_own(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    path = _update(root, "2026-11-03T04:40:00+01:00", "aaaaaa")
    found = find_files(root / "records", root)
    assert [shown for _, shown in found.updates] == [path]
    assert path not in [shown for _, shown in found.files]
    repo = _load(root)
    assert [record.path for record in repo.records if record.path.startswith(UPDATES)] == []


@pytest.mark.parametrize(("text", "rule", "words"), [
    ("- at: 2026-11-03T04:40:00+01:00\n", "update-shape",
     "an update file holds one timeline entry, a mapping (at: ..., message: ...), but this "
     "one holds a list: write the entry, or delete the file"),
    ("# nothing\n", "file-empty",
     "an update file holds one timeline entry, a mapping (at: ..., message: ...), but this "
     "one holds nothing: write the entry, or delete the file"),
    ("at: 1\nat: 2\n", "yaml-duplicate-key", None),
])
def test_an_update_file_that_cannot_be_an_entry(tmp_path: Path, text: str, rule: str,
                                                words: str | None) -> None:
    root = _repo(tmp_path)
    (root / UPDATES).mkdir()
    (root / UPDATES / "bad.yaml").write_text(text)
    findings = validate(_load(root)).findings
    assert [(f.path, f.rule) for f in findings] == [(f"{UPDATES}/bad.yaml", rule)]
    if words is not None:
        assert findings[0].message == words


def test_an_updates_folder_without_its_record(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    folder = root / "records/incidents/INC-0042.updates"
    folder.mkdir()
    (folder / "b.yaml").write_text("at: 2026-11-03T04:40:00+01:00\nmessage: Hello.\n")
    (folder / "a.yaml").write_text("at: 2026-11-03T04:40:00+01:00\nmessage: Hello.\n")
    assert validate(_load(root)).findings == [Finding(
        "records/incidents/INC-0042.updates/a.yaml", 1, 1, "update-orphan",
        "INC-0042.updates/ holds updates but there is no record INC-0042 beside it: move the "
        "folder next to INC-0042.yaml, or name it after the record it updates (its file name "
        "without .yaml, then .updates)")]


def test_an_updates_folder_beside_an_unreadable_record_is_left_to_its_finding(
        tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _update(root, "2026-11-03T04:40:00+01:00", "aaaaaa")
    (root / RECORD).write_text("kind: Incident\nid: [broken\n")
    assert [f.rule for f in validate(_load(root)).findings] == ["yaml-syntax"]


def test_an_updates_folder_of_a_kind_without_a_timeline(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    write(root, problem("PRB-0001"))
    folder = root / "records/problems/PRB-0001.updates"
    folder.mkdir()
    (folder / "a.yaml").write_text("at: 2026-11-03T04:40:00+01:00\nstatus: closed\n")
    repo = _load(root)
    assert repo.by_id["PRB-0001"][0].data.get("timeline") is None
    assert validate(repo).findings == [Finding(
        "records/problems/PRB-0001.updates/a.yaml", 1, 1, "update-kind",
        "PRB-0001.updates/ holds updates, but a problem has no timeline: its steps are edits "
        "of its own file, PRB-0001.yaml; make the change there and delete PRB-0001.updates/",
        "PRB-0001")]


def test_folders_links_and_other_files_inside_an_updates_folder(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _update(root, "2026-11-03T04:40:00+01:00", "aaaaaa")
    (root / UPDATES / "deeper").mkdir()
    (root / UPDATES / "deeper/x.yaml").write_text("at: 2026-11-03T04:40:00+01:00\n")
    (root / UPDATES / "notes.txt").write_text("not YAML, not read\n")
    (root / UPDATES / "link.yaml").symlink_to(root / RECORD)
    os.mkfifo(root / UPDATES / "pipe.yaml")
    found = sorted((f.path, f.rule) for f in validate(_load(root)).findings)
    assert found == [(f"{UPDATES}/deeper", "update-nested"),
                     (f"{UPDATES}/link.yaml", "file-symlink"),
                     (f"{UPDATES}/pipe.yaml", "file-special")]


def test_a_revision_folds_its_blobs_as_the_work_tree_is_folded(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    late = _update(root, "2026-11-03T04:40:00+01:00", "aaaaaa", status="identified")
    _update(root, "2026-11-03T04:35:00+01:00", "bbbbbb", status="monitoring")
    work = _load(root)
    blobs = [(shown, Path(path).read_bytes()) for path, shown in
             [*find_files(root / "records", root).files,
              *find_files(root / "records", root).updates]]
    blobs += [(f"{UPDATES}/deeper/x.yaml", b"at: 1\n"), (f"{UPDATES}/deeper/y.yaml", b""),
              (f"{UPDATES}/link.yaml", None)]
    records, findings = records_from_blobs(blobs, Limits())
    (folded,) = [record for record in records if record.id == "INC-0002"]
    assert folded.data == work.by_id["INC-0002"][0].data
    assert folded.where(("timeline", 2)) == late
    assert sorted((f.path, f.rule) for f in findings) == [
        (f"{UPDATES}/deeper", "update-nested"), (f"{UPDATES}/link.yaml", "file-symlink")]


def test_paths_of_updates() -> None:
    assert folder_of(RECORD) == UPDATES
    assert folder_of("records/incidents/INC.1.yml") == "records/incidents/INC.1.updates"
    assert split(f"{UPDATES}/a.yaml") == (UPDATES, "a.yaml")
    assert split(f"{UPDATES}/deeper/a.yaml") == (UPDATES, "deeper/a.yaml")
    assert split(RECORD) is None
    assert split("records/incidents/.updates/a.yaml") is None


def test_a_timeline_that_is_not_a_list_is_left_to_its_schema_finding(
        tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _update(root, "2026-11-03T04:40:00+01:00", "aaaaaa", status="identified")
    text = render(incident("INC-0002", opened_at=OPENED, timeline="none"))
    (root / RECORD).write_text(text)
    repo = _load(root)
    assert repo.by_id["INC-0002"][0].data["timeline"] == "none"
    assert {f.path for f in validate(repo).findings} == {RECORD}
