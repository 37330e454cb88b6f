"""`--write`: one valid Problem per candidate, with fresh ids and no owner to guess."""

from __future__ import annotations

from pathlib import Path

from itsm_as_code.config import load_config
from itsm_as_code.model.context import RunContext
from itsm_as_code.problems.detect import detect
from itsm_as_code.problems.write import write_problems
from itsm_as_code.store.repository import load_repository
from itsm_as_code.validation.runner import validate
from tests.helpers import NOW, affected, example_repo, incident, write


def test_each_candidate_becomes_a_valid_problem_with_the_next_id(tmp_path: Path) -> None:
    root = example_repo(tmp_path / "repo")
    for number, (service, title, day) in enumerate([
        ("web", "Website returns errors", 10), ("web", "Website returns 500 errors", 11),
        ("api", "Token refresh fails", 12), ("api", "Token refresh fails again", 13),
        ("api", "Token refresh fails for 3 clients", 14),
    ], start=2):
        high = number == 3
        resolved = f"2026-11-{day}T10:00:00+01:00"
        write(root, incident(
            f"INC-000{number}", title=title, services=[affected(service)],
            impact="high" if high else "medium", priority="P2" if high else "P3",
            status="resolved", opened_at=f"2026-11-{day}T09:00:00+01:00", resolved_at=resolved,
            timeline=[{"at": resolved, "status": "resolved", "message": "Fixed."}]))
    ctx = RunContext(load_repository(load_config(root)), NOW)
    candidates = detect(ctx).candidates
    assert [[i.id for i in c.incidents] for c in candidates] == [
        ["INC-0001", "INC-0002", "INC-0003"], ["INC-0004", "INC-0005", "INC-0006"]]
    written = write_problems(ctx, candidates)
    assert [created.record_id for created in written] == ["PRB-0001", "PRB-0002"]
    first = (root / "records/problems/PRB-0001.yaml").read_text(encoding="utf-8")
    # The owning team has no lead, so the problem has no owner; P2 is the highest priority.
    assert "owner:" not in first
    assert "\npriority: P2\n" in first
    assert "\ntitle: 'Recurring on Website: Website returns 500 errors'\n" in first
    after = validate(load_repository(load_config(root)))
    assert [f for f in after.findings if f.level == "error"] == []
