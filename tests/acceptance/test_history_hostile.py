"""A hostile `.git/itsm/`: a history index or audit cache that itsm did not write (crafted,
damaged, random, a FIFO) is rebuilt from git, never trusted and never waited on."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from itsm_as_code.git.index import MAGIC, VERSION, index_path
from tests.helpers import run_itsm
from tests.history_repos import CONFIG, History, git, incident

PATH = "records/incidents/2026/11/INC-0001.yaml"
OPENED = "2026-11-02T09:00:00+01:00"
INVESTIGATING = ("2026-11-02T09:20:00+01:00", "investigating")
CLOSED = ("2026-11-03T10:00:00+01:00", "closed")
DONE = {"resolved_at": "2026-11-02T10:00:00+01:00", "closed_at": CLOSED[0]}


@pytest.fixture
def repo(tmp_path: Path) -> History:
    """INC-0001 opened, then closed, then edited after closure (an audit finding)."""
    h = History(tmp_path / "repo")
    h.commit("2026-11-02T09:05:00+01:00", "Open INC-0001", {
        "itsm.yaml": CONFIG, PATH: incident("INC-0001", "new", OPENED, [])})
    h.commit("2026-11-03T10:05:00+01:00", "Closed", {
        PATH: incident("INC-0001", "closed", OPENED, [INVESTIGATING, CLOSED], **DONE)})
    h.commit("2026-11-04T10:05:00+01:00", "Edited after closure", {
        PATH: incident("INC-0001", "closed", OPENED, [INVESTIGATING, CLOSED],
                       assignee="mallory", **DONE)})
    h.checkout()
    return h


def _index(repo: History) -> Path:
    return index_path(repo.path / ".git")


def _unkeyed(body: bytes) -> bytes:
    """An index as anyone can write it: the header with a plain (unkeyed) digest."""
    digest = hashlib.blake2b(body, digest_size=16).hexdigest().encode("ascii")
    return b"%s %d %s\n%s" % (MAGIC, VERSION, digest, body)


def _crafted_empty_story(repo: History) -> bytes:
    """The last walk says HEAD is the whole history, and that it changed nothing."""
    head = git(repo.path, "rev-parse", "HEAD")
    return _unkeyed(marshal.dumps(("records", head, (head,), ((head, (), ()),)), 4))


def _crafted_bad_types(repo: History) -> bytes:
    head = git(repo.path, "rev-parse", "HEAD")
    return _unkeyed(marshal.dumps(("records", head, (head,), ((head, 5, ((1, 2, 3, 4),)),)), 4))


INDEXES: dict[str, Callable[[History, bytes], bytes]] = {
    "crafted-no-history": lambda repo, _: _crafted_empty_story(repo),
    "crafted-bad-types": lambda repo, _: _crafted_bad_types(repo),
    "truncated": lambda _, data: data[: len(data) // 2],
    "random": lambda _, data: os.urandom(len(data)),
    "empty": lambda _, data: b"",
}


@pytest.mark.parametrize("damage", INDEXES)
def test_an_index_itsm_did_not_write_is_rebuilt_for_log_and_audit(repo: History,
                                                                  damage: str) -> None:
    log = run_itsm("log", "INC-0001", "--format", "json", cwd=repo.path)
    audit = run_itsm("audit", "--format", "json", cwd=repo.path)
    assert (log.code, audit.code) == (0, 1), (log.stderr, audit.stderr)
    index = _index(repo)
    index.write_bytes(INDEXES[damage](repo, index.read_bytes()))
    for name in ("audit-v1.json", "audit-v2.json", "audit-v3.json"):
        (index.parent / name).unlink(missing_ok=True)
    assert run_itsm("log", "INC-0001", "--format", "json", cwd=repo.path) == log
    index.write_bytes(INDEXES[damage](repo, index.read_bytes()))
    assert run_itsm("audit", "--format", "json", cwd=repo.path) == audit


def _cleared(raw: bytes) -> bytes:
    """The audit cache with every finding taken out, whatever comes before its JSON."""
    head, brace, rest = raw.partition(b"{")
    document = json.loads(brace + rest)
    for part in ("judged", "closure"):
        document[part] = {oid: [] for oid in document[part]}
    return head + json.dumps(document).encode()


def test_an_audit_cache_edited_to_clear_findings_is_not_trusted(repo: History) -> None:
    first = run_itsm("audit", cwd=repo.path)
    assert first.code == 1
    assert "changed-after-closure" in first.stdout
    [cache] = (repo.path / ".git" / "itsm").glob("audit-v*.json")
    cache.write_bytes(_cleared(cache.read_bytes()))
    assert run_itsm("audit", cwd=repo.path) == first


def _run_with_fifo(repo: History, fifo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    for stale in fifo.parent.glob("*"):
        stale.unlink()
    os.mkfifo(fifo)
    return subprocess.run([sys.executable, "-m", "itsm_as_code", *args], cwd=repo.path,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_as_the_index_or_the_audit_cache_is_not_waited_on(repo: History) -> None:
    log = run_itsm("log", "INC-0001", cwd=repo.path)
    audit = run_itsm("audit", cwd=repo.path)
    folder = _index(repo).parent
    done = _run_with_fifo(repo, _index(repo), "log", "INC-0001")
    assert (done.returncode, done.stdout) == (0, log.stdout), done.stderr
    assert _index(repo).is_file()
    for name in ("audit-v1.json", "audit-v2.json", "audit-v3.json"):
        done = _run_with_fifo(repo, folder / name, "audit")
        assert (done.returncode, done.stdout) == (1, audit.stdout), done.stderr
