"""Repositories big enough to be parsed in parallel give the same findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from itsm_as_code.store.loader import PARALLEL_FROM
from tests.helpers import example_repo, run_itsm

pytestmark = pytest.mark.slow  # parses 2,000 files in processes

PERSON = "apiVersion: itsm/v1\nkind: Person\nid: {id}\nname: Person {id}\nemail: {id}@x.org\n"


def test_parallel_parse_reports_like_the_serial_one(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    people = repo / "records/people/many"
    people.mkdir()
    for number in range(PARALLEL_FROM + 50):
        (people / f"p{number:05d}.yaml").write_text(PERSON.format(id=f"p{number:05d}"))
    (people / "p00007.yaml").write_text(PERSON.format(id="p00007") + "email: again\n")
    (people / "p02020.yaml").write_bytes(b"apiVersion: itsm/v1\nkind: Person\nname: \xff\n")
    result = run_itsm("validate", cwd=repo)
    assert result.code == 1
    assert result.stderr == f"read {PARALLEL_FROM + 50 + 11:,} record files\n"
    assert result.lines == [
        "records/people/many/p00007.yaml:6:1: error: duplicate key 'email' (first at line 5): "
        "keep one and delete the other [yaml-duplicate-key]",
        "records/people/many/p02020.yaml:3:7: error: byte 0xff is not UTF-8: save the file as "
        "UTF-8 [file-encoding]",
        f"2 error(s), 0 warning(s) in 2 file(s) ({PARALLEL_FROM + 50 - 2 + 11} records checked)",
    ]
