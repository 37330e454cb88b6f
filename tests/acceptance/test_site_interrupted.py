"""A site build killed half-way (`kill -9`, a runner cancelled, a machine lost) leaves no
part of a page, and the next build, `itsm run`'s included, recovers the folder by itself."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest

from tests.helpers import DEMO, NOW_TEXT, run_itsm
from tests.site_helpers import BUILT_AT, build, files

# A child that runs `itsm ARGS...` and kills itself with SIGKILL just before its Nth
# write, link or rename: after a file was opened and before its bytes went in, or before
# a file written aside was put in place, the worst moments.
KILLED_AT_WRITE = """
import os, signal, sys
from itsm_as_code.cli.main import cli
limit, count = int(sys.argv[1]), [0]
def killing(real):
    def call(*args, **kwargs):
        count[0] += 1
        if count[0] >= limit:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call
for name in ("write", "link", "replace", "rename"):
    setattr(os, name, killing(getattr(os, name)))
cli(sys.argv[2:], prog_name="itsm")
"""


def _killed(repo: Path, at_write: int, *args: str) -> None:
    done = subprocess.run([sys.executable, "-c", KILLED_AT_WRITE, str(at_write), *args],
                          cwd=repo, capture_output=True, check=False, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


def _demo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(DEMO / "records", repo / "records")
    shutil.copyfile(DEMO / "itsm.yaml", repo / "itsm.yaml")
    return repo


def _parts(site: Path) -> dict[str, bytes]:
    """The files a reader of the folder would take for pages: all but temporary files."""
    return {path: data for path, data in files(site).items()
            if not fnmatch(Path(path).name, ".itsm-*.tmp")}


@pytest.mark.parametrize("at_write", [1, 30])
def test_a_first_build_killed_half_way_leaves_no_part_of_a_page(
        tmp_path: Path, at_write: int) -> None:
    repo = _demo(tmp_path)
    whole = files(build(repo, tmp_path / "reference"))
    _killed(repo, at_write, "site", "build", "-o", "out", "--now", BUILT_AT)
    left = _parts(repo / "out")
    assert {path: data for path, data in left.items() if whole.get(path) != data} == {
        path: data for path, data in left.items() if path == ".itsm-site.json"}
    assert files(build(repo, repo / "out")) == whole  # recovered: nothing more, nothing less


def test_a_rebuild_killed_half_way_leaves_the_old_pages_or_the_new_ones(
        tmp_path: Path) -> None:
    repo = _demo(tmp_path)
    old = files(build(repo, repo / "out"))
    new = files(build(repo, tmp_path / "reference", "--internal"))
    _killed(repo, 30, "site", "build", "-o", "out", "--now", BUILT_AT, "--internal")
    for path, data in _parts(repo / "out").items():
        assert data in (old.get(path), new.get(path)) or path == ".itsm-site.json", path
    # The next build, public again, removes the internal pages the killed build wrote.
    assert files(build(repo, repo / "out")) == old


def test_itsm_run_builds_the_site_after_a_build_was_killed(tmp_path: Path) -> None:
    repo = _demo(tmp_path)
    _killed(repo, 30, "site", "build", "-o", "_site", "--now", NOW_TEXT)
    result = run_itsm("run", "--now", NOW_TEXT, cwd=repo)
    assert "site: ok: public site written to _site/: " in result.stderr, result.stderr
    assert _parts(repo / "_site") == files(repo / "_site")
