"""An ingest writes all of its files or none of them (files.write_all)."""

from __future__ import annotations

import errno
import json
import tempfile
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.errors import RecordError
from itsm_as_code.events.deliver import run_ingest
from itsm_as_code.files import write_all
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import copy_demo

# After every alert of these tests: what happened is never later than the run.
AFTER = parse_timestamp("2026-12-01T09:00:00Z")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_failure_while_preparing_the_second_file_leaves_the_first_untouched(
        tmp_path: Path) -> None:
    (tmp_path / "first.yaml").write_bytes(b"old\n")
    (tmp_path / "blocker").write_bytes(b"a file where a folder should be\n")
    before = tree(tmp_path)
    with pytest.raises(OSError):
        write_all({tmp_path / "first.yaml": b"new\n", tmp_path / "blocker/second.yaml": b"x\n"})
    assert tree(tmp_path) == before  # the first kept, no temporary file left


def test_a_taken_exclusive_path_writes_nothing_and_is_named(tmp_path: Path) -> None:
    (tmp_path / "taken.yaml").write_bytes(b"theirs\n")
    (tmp_path / "changed.yaml").write_bytes(b"old\n")
    before = tree(tmp_path)
    new, taken = tmp_path / "new.yaml", tmp_path / "taken.yaml"
    with pytest.raises(FileExistsError) as raised:
        write_all({new: b"a\n", taken: b"b\n", tmp_path / "changed.yaml": b"new\n"},
                  exclusive={new, taken})
    assert raised.value.filename == str(taken)
    assert tree(tmp_path) == before  # new.yaml, linked before taken.yaml failed, removed


def test_all_files_are_written_with_the_umasks_mode(tmp_path: Path) -> None:
    (tmp_path / "changed.yaml").write_bytes(b"old\n")
    write_all({tmp_path / "changed.yaml": b"new\n", tmp_path / "sub/new.yaml": b"a\n"},
              exclusive={tmp_path / "sub/new.yaml"}, durable=True)
    assert tree(tmp_path) == {"changed.yaml": b"new\n", "sub/new.yaml": b"a\n"}
    assert (tmp_path / "sub/new.yaml").stat().st_mode & 0o777 == \
        (tmp_path / "changed.yaml").stat().st_mode & 0o777


def alert(fingerprint: str, service: str, at: str, status: str = "firing") -> dict[str, object]:
    return {"status": status, "startsAt": at, "fingerprint": fingerprint,
            "endsAt": at if status == "resolved" else "0001-01-01T00:00:00Z",
            "labels": {"alertname": f"Alert{fingerprint}", "service": service,
                       "severity": "critical"},
            "annotations": {"summary": "something is wrong"}}


def payload(*alerts: dict[str, object]) -> bytes:
    return json.dumps({"version": "4", "status": "firing", "alerts": list(alerts)}).encode()


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path)


def test_an_ingest_that_fails_on_its_second_file_changes_none(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(demo)
    run_ingest(config, payload(alert("f1", "payments-api", "2026-11-24T09:14:00Z")),
               "alertmanager", "one.json", AFTER)
    before = tree(demo)
    made: list[str] = []
    mkstemp = tempfile.mkstemp

    def full_disk(*args: Any, **options: Any) -> tuple[int, str]:
        if Path(options["dir"]).is_relative_to(demo / "records"):  # not the record cache
            if made:
                raise OSError(errno.ENOSPC, "No space left on device")
            made.append(options["dir"])
        return mkstemp(*args, **options)

    monkeypatch.setattr("itsm_as_code.files.tempfile.mkstemp", full_disk)
    # The second ingest updates that incident and opens another: two files.
    with pytest.raises(OSError, match="No space left"):
        run_ingest(config, payload(
            alert("f1", "payments-api", "2026-11-24T09:30:00Z", "resolved"),
            alert("f2", "identity", "2026-12-01T08:00:00Z")), "alertmanager", "two.json", AFTER)
    assert len(made) == 1
    assert tree(demo) == before


def test_an_id_taken_meanwhile_writes_nothing(demo: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    """Another ingest creates the file between the check and the write: nothing changes,
    and the message is the one of a taken path found by the check."""
    config = load_config(demo)
    run_ingest(config, payload(alert("f1", "payments-api", "2026-11-24T09:14:00Z")),
               "alertmanager", "one.json", AFTER)
    before = tree(demo)
    taken: list[Path] = []

    def racing(files: Mapping[Path, bytes], *, exclusive: Collection[Path],
               durable: bool) -> None:
        # Every file is new: the update of the first incident and the second incident.
        [new] = [path for path in exclusive if not path.parent.name.endswith(".updates")]
        assert len(exclusive) == 2
        new.parent.mkdir(parents=True)
        new.write_bytes(b"theirs\n")
        taken.append(new)
        write_all(files, exclusive=exclusive, durable=durable)

    monkeypatch.setattr("itsm_as_code.events.deliver.write_all", racing)
    with pytest.raises(RecordError, match=r"^records/incidents/2026/12/INC-\d+\.yaml already "
                       r"exists, so nothing was written: run the ingest again for a fresh id$"):
        run_ingest(config, payload(
            alert("f1", "payments-api", "2026-11-24T09:30:00Z", "resolved"),
            alert("f2", "identity", "2026-12-01T08:00:00Z")), "alertmanager", "two.json", AFTER)
    [new] = taken
    assert tree(demo) == {**before, new.relative_to(demo).as_posix(): b"theirs\n"}
