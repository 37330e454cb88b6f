"""The fast record path: a compiled YAML parser for texts the screen proves ordinary.

yaml-rs parses a record in about a seventh of libyaml's time (bench/README.md, "A fast
record path"). It reads only what store/screen.py clears, and only a mapping of plain
data that the screen accepts is returned; everything else, and every file with a
finding, goes to the careful loader (yamlsafe), whose messages and positions are the
only ones users see. Where yaml-rs has no wheel, every file takes the careful path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from itsm_as_code.store.screen import WITH_NUMBERS, numbers_as_written, ordinary, plain

_loads: Callable[..., Any] | None
VERSION: str  # of the compiled parser; "" without it
try:
    from yaml_rs import __version__ as _version
    from yaml_rs import loads as _loads

    VERSION = _version
except ImportError:  # pragma: no cover - no wheel for this platform: the careful path alone
    _loads, VERSION = None, ""


def available() -> bool:
    return _loads is not None


def fast_load(text: str) -> dict[str, Any] | None:
    """The data of an ordinary record text (a leading byte order mark skipped), its
    mapping keys interned as the careful path's are (store/keys.py); None when
    the text is not ordinary, the compiled parser complains, or its result is in doubt:
    the careful loader then reads the file."""
    if _loads is None:
        return None
    text = text.removeprefix("\ufeff")
    if not ordinary(text):
        return None
    try:
        data = _loads(text, parse_datetime=False)
    except (KeyboardInterrupt, SystemExit):  # pragma: no cover
        raise
    except BaseException:
        # Any complaint is the careful loader's to word; pyo3 raises a panic in the
        # compiled parser as a BaseException.
        return None
    if type(data) is not dict:
        return None  # empty, a list or a scalar: the careful loader names the finding
    verdict, shared = plain(data)
    if shared is None or (verdict == WITH_NUMBERS and not numbers_as_written(text)):
        return None
    return shared
