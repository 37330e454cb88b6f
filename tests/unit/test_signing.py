"""Sealed files: read back only with the key and the header they were written with."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from itsm_as_code.signing import load_key, seal, unseal

KEY = bytes(range(32))
HEADER = b'itsm-test 1 ["records"]'


def test_what_was_sealed_is_read_back() -> None:
    assert unseal(KEY, HEADER, seal(KEY, HEADER, b"body\nwith lines")) == b"body\nwith lines"


@pytest.mark.parametrize("data", [
    seal(bytes(32), HEADER, b"body"),  # another key
    seal(KEY, b'itsm-test 2 ["records"]', b"body"),  # another version or purpose
    seal(KEY, HEADER, b"body")[:-1],  # truncated
    seal(KEY, HEADER, b"body") + b"!",  # extended
    seal(KEY, HEADER, b"body").split(b"\n", 1)[1],  # header taken off
    b"", b"\n", os.urandom(200),
])
def test_anything_else_is_refused(data: bytes) -> None:
    assert unseal(KEY, HEADER, data) is None


def test_the_key_is_made_once_private_and_refused_when_shared(tmp_path: Path) -> None:
    key = load_key(tmp_path / "cache")
    assert key is not None and len(key) == 32
    assert load_key(tmp_path / "cache") == key
    path = tmp_path / "cache" / "key"
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o644)
    assert load_key(tmp_path / "cache") is None
