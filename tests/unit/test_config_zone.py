from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from itsm_as_code.config import zone_at
from tests.helpers import example_repo


def test_the_zone_is_the_repositorys_from_any_folder_inside_it(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    assert zone_at(repo / "records" / "incidents") == ZoneInfo("Europe/Berlin")


def test_outside_a_repository_the_zone_is_utc(tmp_path: Path) -> None:
    assert zone_at(tmp_path) == ZoneInfo("UTC")
