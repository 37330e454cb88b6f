"""A site build in which nothing changed (records, itsm.yaml, the moment, the options and
the folder) answers from the last build without loading a record, and says what a build
says; any change builds again, to exactly the site a build without any cache writes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from itsm_as_code.model import model
from tests.helpers import copy_demo, run_itsm
from tests.site_helpers import BUILT_AT, files

NOW = f"--now={BUILT_AT}"
LATER = "--now=2026-11-22T13:00:00+01:00"


def build(repo: Path, out: Path, *args: str) -> str:
    result = run_itsm("site", "build", "-o", str(out), *args, cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    return result.stdout


def cold(repo: Path, out: Path, *args: str, monkeypatch: pytest.MonkeyPatch
         ) -> tuple[str, dict[str, bytes]]:
    """What a build with every cache off writes into a new folder, and says."""
    shutil.rmtree(out, ignore_errors=True)
    with monkeypatch.context() as patch:
        patch.setenv("ITSM_NO_CACHE", "1")
        said = build(repo, out, *args)
    site = files(out)
    shutil.rmtree(out)
    return said.replace(str(out), "OUT"), site


def loads(repo: Path, out: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Build; whether the build loaded the records."""
    loaded: list[bool] = []
    load = model.load_repository  # where the records are loaded

    def spy(*given: object, **named: object) -> object:
        loaded.append(True)
        return load(*given, **named)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(model, "load_repository", spy)
        build(repo, out, *args)
    return bool(loaded)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    repo = copy_demo(tmp_path / "demo")
    # Routines read check-ins from a git branch; without them an internal build is kept.
    shutil.rmtree(repo / "records/routines")
    return repo


@pytest.mark.parametrize("args", [(NOW,), (NOW, "--internal")], ids=["public", "internal"])
def test_an_unchanged_build_is_answered_without_loading(
        demo: Path, tmp_path: Path, args: tuple[str, ...],
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    said, site = cold(demo, out, *args, monkeypatch=monkeypatch)
    assert loads(demo, out, *args, monkeypatch=monkeypatch)
    result = run_itsm("site", "build", "-o", str(out), *args, cwd=demo)
    assert not loads(demo, out, *args, monkeypatch=monkeypatch)
    assert files(out) == site
    assert result.stdout.replace(str(out), "OUT") == re.sub(r"\(\d+ changed\)", "(0 changed)",
                                                           said)


def test_any_change_builds_again_to_the_site_of_a_cold_build(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(demo, out, NOW)
    assert not loads(demo, out, NOW, monkeypatch=monkeypatch)

    page = out / "index.html"
    page.write_bytes(page.read_bytes() + b"<!-- edited -->")
    assert loads(demo, out, NOW, monkeypatch=monkeypatch)
    assert not loads(demo, out, NOW, monkeypatch=monkeypatch)
    page.unlink()
    assert loads(demo, out, NOW, monkeypatch=monkeypatch)
    assert page.is_file()

    for other in (LATER, "--base-url=https://status.example.org"):
        assert loads(demo, out, other, monkeypatch=monkeypatch)
    assert loads(demo, out, NOW, "--internal", monkeypatch=monkeypatch)
    assert loads(demo, tmp_path / "elsewhere", NOW, monkeypatch=monkeypatch)

    record = next((demo / "records/incidents").rglob("*.yaml"))
    record.write_text(record.read_text(encoding="utf-8").replace(
        "\ntitle: ", "\ntitle: Changed ", 1), encoding="utf-8")
    assert loads(demo, out, NOW, monkeypatch=monkeypatch)
    assert files(out) == cold(demo, tmp_path / "cold", NOW, monkeypatch=monkeypatch)[1]


def test_a_build_that_read_the_state_branch_is_never_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = copy_demo(tmp_path / "demo")
    out = tmp_path / "site"
    build(repo, out, NOW, "--internal")
    assert loads(repo, out, NOW, "--internal", monkeypatch=monkeypatch)
    assert loads(repo, out, NOW, monkeypatch=monkeypatch)
    assert not loads(repo, out, NOW, monkeypatch=monkeypatch)  # the public one is kept
    assert loads(repo, out, NOW, "--internal", monkeypatch=monkeypatch)


def test_nothing_is_kept_with_the_cache_off(demo: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    monkeypatch.setenv("ITSM_NO_CACHE", "1")
    build(demo, out, NOW)
    assert loads(demo, out, NOW, monkeypatch=monkeypatch)
