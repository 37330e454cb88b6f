"""`itsm validate PATH...` treats a record file and its updates folder as one record: the
pre-commit hook names only the files a commit changed, which may be one update file."""

from __future__ import annotations

from pathlib import Path

from itsm_as_code.authoring.updates import write_update
from tests.helpers import example_repo, incident, run_itsm, write

RECORD = "records/incidents/INC-0002.yaml"
OPENED = "2026-11-03T04:00:00+01:00"


def _repo(tmp_path: Path) -> tuple[Path, str]:
    root = example_repo(tmp_path / "repo")
    write(root, incident("INC-0002", opened_at=OPENED, status="new", timeline=[]))
    update = write_update(root, RECORD, "INC-0002", {
        "at": "2026-11-03T04:40:00+01:00", "status": "identified", "message": 5})
    return root, update


def test_naming_the_record_file_reports_its_update_files(tmp_path: Path) -> None:
    root, update = _repo(tmp_path)
    result = run_itsm("validate", "--now", "2026-11-04T00:00:00Z", RECORD, cwd=root)
    assert result.code == 1
    assert f"{update}:4:10: error: timeline[0].message must be text, not a whole number " \
        "[schema]" in result.stdout


def test_naming_an_update_file_reports_the_findings_of_its_record(tmp_path: Path) -> None:
    root, update = _repo(tmp_path)
    (root / update).write_text((root / update).read_text().replace("message: 5",
                                                                   "message: Found it."))
    # The record file itself is now wrong: its priority is not the matrix's.
    text = (root / RECORD).read_text()
    assert "priority: P3" in text
    (root / RECORD).write_text(text.replace("priority: P3", "priority: P1"))
    result = run_itsm("validate", "--now", "2026-11-04T00:00:00Z", update, cwd=root)
    assert result.code == 1
    assert f"{RECORD}:" in result.stdout


def test_another_record_is_not_selected(tmp_path: Path) -> None:
    root, _ = _repo(tmp_path)
    result = run_itsm("validate", "--now", "2026-11-04T00:00:00Z",
                      "records/incidents/INC-0001.yaml", cwd=root)
    assert result.code == 0, result.stdout


def test_a_record_file_that_disagrees_with_its_own_timeline_is_reported(
        tmp_path: Path) -> None:
    """The update moves the status, so the record is read as identified, consistently;
    the record file itself says investigating with no entry that moved it there."""
    root = example_repo(tmp_path / "repo")
    write(root, incident("INC-0002", opened_at=OPENED, status="investigating", timeline=[]))
    write_update(root, RECORD, "INC-0002", {
        "at": "2026-11-03T04:40:00+01:00", "status": "identified", "message": "Found it."})
    result = run_itsm("validate", "--now", "2026-11-04T00:00:00Z", cwd=root)
    line = next(number for number, text in enumerate(
        (root / RECORD).read_text().splitlines(), start=1) if text.startswith("status:"))
    assert (result.code, result.lines[:-1]) == (1, [
        f"{RECORD}:{line}:9: error: status is 'investigating' but no timeline entry has a "
        "status, which means 'new': add a timeline entry with status: investigating, or set "
        "status: new [status-timeline]"])
    write(root, incident("INC-0002", opened_at=OPENED, status="new", timeline=[]))
    assert run_itsm("validate", "--now", "2026-11-04T00:00:00Z", cwd=root).code == 0
