"""Settings for the whole test run."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pygit2
import pytest
from pygit2.enums import ConfigLevel

from tests import servers

# Commits that tests make through pygit2 without naming an author (`itsm init`'s first
# commit) are made by this identity, never by whoever this machine's git is set up for.
GIT_CONFIG = "[user]\n\tname = Itsm Tester\n\temail = tester@example.com\n"
GIT_LEVELS = (ConfigLevel.SYSTEM, ConfigLevel.XDG, ConfigLevel.GLOBAL)


def in_ci() -> bool:
    """CI=true (GitHub Actions sets it): a missing service fails its tests, never skips."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def pytest_configure() -> None:
    # The record cache of every repository a test loads goes to a folder of this run,
    # never to the user's own cache; the cache stays on, so every test goes through it.
    os.environ["ITSM_CACHE_DIR"] = tempfile.mkdtemp(prefix="itsm-test-cache-")
    os.environ.pop("ITSM_NO_CACHE", None)
    home = Path(tempfile.mkdtemp(prefix="itsm-test-git-"))
    (home / ".gitconfig").write_text(GIT_CONFIG, encoding="utf-8")
    os.environ["ITSM_TEST_GIT_HOME"] = str(home)
    for level in GIT_LEVELS:
        pygit2.settings.search_path[level] = str(home)


def pytest_unconfigure() -> None:
    shutil.rmtree(os.environ.pop("ITSM_CACHE_DIR", ""), ignore_errors=True)
    shutil.rmtree(os.environ.pop("ITSM_TEST_GIT_HOME", ""), ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Outside CI, skip the tests whose service this host lacks (see pytest_terminal_summary)."""
    if in_ci():
        return
    for service in servers.missing_services():
        skip = pytest.mark.skip(reason=f"{service.name} is not installed")
        for item in items:
            fixtures = set(getattr(item, "fixturenames", ()))
            if fixtures & service.fixtures or (
                    service.marker and item.get_closest_marker(service.marker)):
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The one loud line: what is missing, and how to get it."""
    missing = servers.missing_services()
    if missing and not in_ci():
        names = ", ".join(service.name for service in missing)
        packages = " ".join(service.packages for service in missing)
        terminalreporter.write_line(
            f"SKIPPED the tests that need {names}: not installed here; install them with "
            f"`sudo apt-get install {packages}` (or run .ci/run); with CI=true they fail",
            yellow=True, bold=True)
