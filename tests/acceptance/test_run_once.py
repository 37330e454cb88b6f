"""`itsm run` makes one run context: every record's schema is checked once per run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.findings import Finding
from itsm_as_code.model.context import RunContext
from itsm_as_code.pipeline import STEPS, run
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import load_repository
from itsm_as_code.store.schema import SchemaCheck
from tests.helpers import NOW, example_repo


def test_every_step_reads_the_schema_verdict_of_one_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = example_repo(tmp_path / "repo")
    checked: Counter[str] = Counter()
    check = SchemaCheck.check

    def counting(self: SchemaCheck, record: Record) -> list[Finding]:
        checked[record.path] += 1
        return check(self, record)

    monkeypatch.setattr(SchemaCheck, "check", counting)
    repo = load_repository(load_config(root))
    results = list(run(RunContext(repo, NOW)))
    assert [result.name for result in results] == list(STEPS)
    assert checked == Counter({record.path: 1 for record in repo.records})
