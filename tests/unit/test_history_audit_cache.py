"""The audit cache: read back only when this user's itsm signed it for these settings, so
that no one can turn findings into "ok" by editing it."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

from itsm_as_code.findings import Finding
from itsm_as_code.history.audit_cache import AuditCache, open_cache
from itsm_as_code.store.loader import Limits

OID = "c" * 40
FOUND = Finding("records/incidents/INC-0001.yaml", 3, 1, "backdated", "written late",
                record="INC-0001")
HOUR = timedelta(hours=1)


def _saved(folder: Path) -> AuditCache:
    cache = open_cache(folder, HOUR, Limits(), "records")
    cache.judged[OID] = [FOUND]
    cache.closure[OID] = []
    cache.changed = True
    cache.save()
    return cache


def test_round_trip_and_the_unsigned_version_1_is_removed(tmp_path: Path) -> None:
    (tmp_path / "audit-v1.json").write_text('{"version": 1}')
    _saved(tmp_path)
    loaded = open_cache(tmp_path, HOUR, Limits(), "records")
    assert (loaded.judged, loaded.closure) == ({OID: [FOUND]}, {OID: []})
    assert [p.name for p in tmp_path.iterdir()] == ["audit-v3.json"]


def test_other_settings_start_over(tmp_path: Path) -> None:
    _saved(tmp_path)
    assert open_cache(tmp_path, 2 * HOUR, Limits(), "records").judged == {}
    assert open_cache(tmp_path, HOUR, Limits(), "data/records").judged == {}


def test_a_cache_edited_to_clear_its_findings_is_not_read(tmp_path: Path) -> None:
    _saved(tmp_path)
    path = tmp_path / "audit-v3.json"
    header, _, body = path.read_bytes().partition(b"\n")
    document = json.loads(body)
    document["judged"][OID] = []
    path.write_bytes(header + b"\n" + json.dumps(document, separators=(",", ":")).encode())
    assert open_cache(tmp_path, HOUR, Limits(), "records").judged == {}


@pytest.mark.parametrize("content", [
    b"", b"\xff" * 100, b'{"version": 1, "settings": "records:3600.0:1048576:100", '
    b'"judged": {"' + OID.encode() + b'": []}, "closure": {}}',
])
def test_an_unsigned_or_damaged_cache_is_not_read(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "audit-v3.json").write_bytes(content)
    assert open_cache(tmp_path, HOUR, Limits(), "records") == AuditCache(
        tmp_path / "audit-v3.json", "records:3600.0:1048576:100")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_not_waited_on_and_is_replaced(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "audit-v3.json")
    assert open_cache(tmp_path, HOUR, Limits(), "records").judged == {}
    _saved(tmp_path)
    assert (tmp_path / "audit-v3.json").is_file()
