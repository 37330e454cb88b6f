"""Settings for the whole test run."""

from __future__ import annotations

import os
import shutil
import tempfile


def pytest_configure() -> None:
    # The record cache of every repository a test loads goes to a folder of this run,
    # never to the user's own cache; the cache stays on, so every test goes through it.
    os.environ["ITSM_CACHE_DIR"] = tempfile.mkdtemp(prefix="itsm-test-cache-")
    os.environ.pop("ITSM_NO_CACHE", None)


def pytest_unconfigure() -> None:
    shutil.rmtree(os.environ.pop("ITSM_CACHE_DIR", ""), ignore_errors=True)
