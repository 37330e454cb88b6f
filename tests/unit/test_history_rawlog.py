"""Reading `git log --raw -z` output: every path is read as a path, whatever it holds."""

from __future__ import annotations

import pytest

from itsm_as_code.git.index import FileChange
from itsm_as_code.git.rawlog import parse

A, B, Z = "a" * 40, "b" * 40, "0" * 40
C1, C2, C3 = "1" * 40, "2" * 40, "3" * 40


def _entry(old_mode: str, new_mode: str, old: str, new: str, status: str, path: bytes,
           ) -> bytes:
    return f"\n:{old_mode} {new_mode} {old} {new} {status}".encode() + b"\0" + path + b"\0"


OUTPUT = (
    b"\x01" + C1.encode() + b"\0"
    + _entry("100644", "100644", A, B, "M", b"records/incidents/INC-1.yaml")
    + _entry("000000", "100644", Z, A, "A", b"records/incidents/\x01:odd.yaml")
    + _entry("100644", "000000", B, Z, "D", b"records/incidents/INC-2.yml")
    + b"\x01" + C2.encode() + b"\0"
    + b"\x01" + C3.encode() + b"\0"
    + _entry("100644", "120000", A, B, "T", b"records/services/api.yaml")
    + _entry("000000", "100644", Z, A, "A", b"records/.drafts/INC-3.yaml")
    + _entry("000000", "100644", Z, A, "A", b"records/incidents/notes.txt")
    + _entry("100644", "100644", A, B, "M", b"schemas/incident.yaml")
)
EXPECTED = {
    C1: (FileChange("records/incidents/INC-1.yaml", A, B),
         FileChange("records/incidents/\x01:odd.yaml", None, A),
         FileChange("records/incidents/INC-2.yml", B, None)),
    C2: (),
    C3: (FileChange("records/services/api.yaml", A, None),),
}


def test_changes_per_commit() -> None:
    assert parse(OUTPUT, "records") == EXPECTED


def test_a_hidden_folder_above_the_records_folder_is_fine() -> None:
    output = (b"\x01" + C1.encode() + b"\0"
              + _entry("000000", "100644", Z, A, "A", b".itsm/records/INC-1.yaml"))
    assert parse(output, ".itsm/records") == {
        C1: (FileChange(".itsm/records/INC-1.yaml", None, A),)}


def test_output_that_is_not_a_raw_log_is_refused() -> None:
    with pytest.raises(ValueError, match="unexpected output from git log"):
        parse(b"commit 1234\0", "records")
