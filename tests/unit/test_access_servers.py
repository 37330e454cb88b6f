"""The server fixtures fail, never skip, where the servers are not installed: CI always has
them, and a skipped access test would hide a broken provider."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import servers


def test_missing_postgresql_fails_with_what_to_install(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception) as failed:
        servers.postgres_bin(tmp_path)
    assert str(failed.value) == (
        "the PostgreSQL server (initdb, pg_ctl) is not installed: run .ci/run, or install "
        "Debian's packages: apt-get install postgresql slapd ldap-utils")


def test_missing_slapd_fails_with_what_to_install(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match=r"slapd is not installed: run \.ci/run"):
        servers.slapd_bin(tmp_path)


def test_the_newest_postgresql_is_used(tmp_path: Path) -> None:
    for version in ("9", "15", "16"):
        (tmp_path / version / "bin").mkdir(parents=True)
        (tmp_path / version / "bin" / "initdb").touch()
    assert servers.postgres_bin(tmp_path) == tmp_path / "16" / "bin"
