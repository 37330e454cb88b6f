"""What a build remembers of the pages it wrote: each keyed page's key (pagekeys.py)
with the size and time of its file, so that the next build into the same folder need
not render the pages whose key and file are unchanged.

The stamps live beside the record cache (store/cache.py: `$ITSM_CACHE_DIR`, or the
user's cache folder), one file per output folder, not in the site itself: the site's
bytes stay the same for the same records and time. Like the record cache they are only
a speed-up: a page whose file was edited, touched or removed since is rendered again,
stamps that cannot be read count as none, only the stamps of the 20 most recently built
folders are kept, and `ITSM_NO_CACHE=1` turns them off.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from itsm_as_code.store.cache import cache_dir, disabled, prune, replace_file

PREFIX = "site-"


def stamps_file(out: Path, environ: Mapping[str, str] | None = None) -> Path | None:
    """Where the stamps of the site in `out` live; None when caching is off."""
    environ = os.environ if environ is None else environ
    if disabled(environ):
        return None
    name = hashlib.blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir(environ) / f"{PREFIX}{name}.json"


def load(out: Path) -> dict[str, str]:
    """Path -> "key size time" of each keyed page of the last build into `out`."""
    path = stamps_file(out)
    if path is None:
        return {}
    try:
        found = json.loads(path.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {page: stamp for page, stamp in found.items() if isinstance(stamp, str)}


def save(out: Path, stamps: dict[str, str]) -> None:
    path = stamps_file(out)
    if path is not None and replace_file(
            path, json.dumps(dict(sorted(stamps.items())), indent=0) + "\n"):
        prune(path.parent, PREFIX)
