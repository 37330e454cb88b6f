"""The site folder's manifest (`.itsm-site.json`): the files the last build wrote, and
whether that build finished.

A build writes the manifest twice: before its first page, marked `"building": true` and
listing every file the last build or this one may leave, and when it is done, without the
mark. A build that was killed (`kill -9`, a cancelled CI job, a lost machine) so leaves a
folder the next build recognises as its own: it clears the temporary files the killed one
left, renders again every page whose file is not as its stamp says, and removes what
neither build should leave. Every page itself is written through a temporary file, so a
reader never sees part of one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from itsm_as_code.errors import UsageError
from itsm_as_code.files import write_atomic
from itsm_as_code.site import stamps

MANIFEST = ".itsm-site.json"
# Temporary files of the site's writers: files.write_atomic's and output.create's.
TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".itsm-", ".tmp"


@dataclass(frozen=True)
class Previous:
    """What the folder's last build wrote: its files, and its keyed pages' stamps."""

    files: list[str] = field(default_factory=list)
    stamps: dict[str, str] = field(default_factory=dict)  # path -> "key size time"
    empty: bool = False  # the folder is new or empty: every file is new, none compared


def prepare(out: Path) -> Previous:
    """Check that `out` may be written to; what its last build made. The temporary files
    of a build killed half-way are removed here."""
    if not out.exists():
        return Previous(empty=True)
    if not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder")
    manifest = out / MANIFEST
    if not manifest.is_file():
        # Killed before its first manifest was in place, a build leaves at most that
        # manifest's temporary file.
        others = [entry for entry in out.iterdir() if not _temporary(entry)]
        if others:
            raise UsageError(
                f"{out} is not empty and was not written by `itsm site build` (it has no "
                f"{MANIFEST}): choose an empty or new folder with -o")
        _sweep(out)
        return Previous(empty=True)
    try:
        found = json.loads(manifest.read_text(encoding="utf-8"))
        listed, building = found.get("files", []), found.get("building") is True
    except (OSError, ValueError, AttributeError):
        raise UsageError(f"{manifest} is unreadable: remove {out} and build again") from None
    if building:
        _sweep(out)
    return Previous([path for path in listed if isinstance(path, str) and _inside(path)],
                    stamps.load(out))


def begin(out: Path, previous: Previous, every: Collection[str], internal: bool) -> None:
    """Mark the folder as being built, listing what the last build and this one write: if
    this build is killed, the next one knows every file either of them may have left."""
    _save(out, sorted({*previous.files, *every}), internal, building=True)


def finish(out: Path, every: Collection[str], internal: bool) -> None:
    _save(out, sorted(every), internal, building=False)


def _save(out: Path, files: list[str], internal: bool, *, building: bool) -> None:
    manifest: dict[str, object] = {"generator": "itsm-as-code", "internal": internal,
                                   "files": files}
    if building:
        manifest["building"] = True
    data = (json.dumps(manifest, indent=1) + "\n").encode()
    path = out / MANIFEST
    if path.is_symlink():  # never write through a link to somewhere outside the site
        path.unlink()
    write_atomic(path, data, prefix=TEMPORARY_PREFIX)


def _inside(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and ".." not in parts and "\\" not in path


def _temporary(entry: Path) -> bool:
    name = entry.name
    return (name.startswith(TEMPORARY_PREFIX) and name.endswith(TEMPORARY_SUFFIX)
            and entry.is_file() and not entry.is_symlink())


def _sweep(out: Path) -> None:
    """Remove the temporary files a killed build left anywhere in the site; only then
    can they never be published."""
    for folder, _, names in os.walk(out):
        for name in names:
            entry = Path(folder, name)
            if _temporary(entry):
                entry.unlink(missing_ok=True)
