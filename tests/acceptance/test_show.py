"""`itsm show ID`: a record as every command reads it, with where each part came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itsm_as_code.authoring.updates import write_update
from tests.helpers import example_repo, incident, run_itsm, write

RECORD = "records/incidents/INC-0002.yaml"
OPENED = "2026-11-03T04:00:00+01:00"


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str, str]:
    """INC-0002 opened in its file, identified and resolved by two update files; returns
    the repository and the names of the update files."""
    root = example_repo(tmp_path / "repo")
    write(root, incident("INC-0002", opened_at=OPENED, timeline=[
        {"at": "2026-11-03T04:05:00+01:00", "status": "investigating", "public": True,
         "message": "We are investigating errors on the website."}]))
    identified = write_update(root, RECORD, "INC-0002", {
        "at": "2026-11-03T04:40:00+01:00", "status": "identified", "author": "ada",
        "message": "Found it."})
    resolved = write_update(root, RECORD, "INC-0002", {
        "at": "2026-11-03T05:40:00+01:00", "status": "resolved", "public": True,
        "message": "Fixed."})
    assert run_itsm("validate", "--now", "2026-11-04T00:00:00Z", cwd=root).code == 0
    return root, identified.rpartition("/")[2], resolved.rpartition("/")[2]


def test_the_text_is_the_record_with_where_each_part_came_from(
        repo: tuple[Path, str, str]) -> None:
    root, identified, resolved = repo
    result = run_itsm("show", "INC-0002", cwd=root)
    assert result.code == 0
    assert result.stdout == f"""\
# INC-0002: records/incidents/INC-0002.yaml and 2 update files
# the incident as every command reads it: its file, then its update files
apiVersion: itsm/v1
kind: Incident
id: INC-0002
title: Website returns errors
services:
- id: web
  status: partial_outage
impact: medium
urgency: medium
priority: P3
# set by INC-0002.updates/{resolved} (timeline[2])
status: resolved
opened_at: 2026-11-03T04:00:00+01:00
timeline:
# [0] 2026-11-03 04:05 CET, in the record file
- at: 2026-11-03T04:05:00+01:00
  status: investigating
  public: true
  message: We are investigating errors on the website.
# [1] 2026-11-03 04:40 CET, from INC-0002.updates/{identified}
- at: 2026-11-03T04:40:00+01:00
  status: identified
  author: ada
  message: Found it.
# [2] 2026-11-03 05:40 CET, from INC-0002.updates/{resolved}
- at: 2026-11-03T05:40:00+01:00
  status: resolved
  public: true
  message: Fixed.
# set by INC-0002.updates/{resolved} (timeline[2])
resolved_at: 2026-11-03T05:40:00+01:00
"""


def test_json_gives_the_record_and_the_file_of_each_entry(repo: tuple[Path, str, str]) -> None:
    root, identified, resolved = repo
    result = run_itsm("show", "INC-0002", "--format", "json", cwd=root)
    assert result.code == 0
    document = json.loads(result.stdout)
    folder = "records/incidents/INC-0002.updates"
    assert document["record"]["status"] == "resolved"
    assert [len(document["record"]["timeline"]), document["path"]] == [3, RECORD]
    assert document["timeline"] == [
        {"index": 0, "from": RECORD}, {"index": 1, "from": f"{folder}/{identified}"},
        {"index": 2, "from": f"{folder}/{resolved}"}]
    assert document["set_by"] == {
        "resolved_at": {"from": f"{folder}/{resolved}", "timeline": 2},
        "status": {"from": f"{folder}/{resolved}", "timeline": 2}}
    assert document["updates"] == [f"{folder}/{identified}", f"{folder}/{resolved}"]


def test_a_record_without_updates_is_its_file(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    result = run_itsm("show", "web", cwd=root)
    assert result.code == 0
    assert result.lines[:3] == ["# web: records/services/web.yaml",
                                "# the service as its file writes it", "apiVersion: itsm/v1"]


def test_an_unknown_id_is_a_usage_error(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    result = run_itsm("show", "INC-002", cwd=root)
    assert (result.code, result.stderr) == (
        2, "error: no record with id 'INC-002': did you mean INC-0002?\n")
    hostile = run_itsm("show", "\x1b[2Jnothing", cwd=root)
    assert (hostile.code, hostile.stderr) == (
        2, "error: no record with id '\\u001b[2Jnothing': give a record's id, its file name "
           "without .yaml\n")
