"""Writing a site: render the pages (in two processes for a large site), write only the
files whose bytes changed, and remove what an earlier build wrote and this one did not.

Writing costs a third of a build, and a rebuild after one new incident changes a few
pages: comparing bytes first leaves the other files, and their times, alone. The
folder's manifest (`.itsm-site.json`) lists the files of the last build; a file it
lists that this build does not make is removed, so an incident made internal, or an
internal build followed by a public one, leaves nothing behind. A folder that is not
empty and has no manifest is refused: the build never writes over unrelated files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path, PurePosixPath

from itsm_as_code.errors import UsageError

MANIFEST = ".itsm-site.json"
PARALLEL_FROM = 400  # pages; below this a second process costs more than it saves

Renderer = Callable[[int], bytes]


@dataclass(frozen=True)
class Written:
    files: int
    changed: int
    removed: int


def prepare(out: Path) -> list[str]:
    """Check that `out` may be written to; the files its last build made."""
    if not out.exists():
        return []
    if not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder")
    manifest = out / MANIFEST
    if not manifest.is_file():
        if any(out.iterdir()):
            raise UsageError(
                f"{out} is not empty and was not written by `itsm site build` (it has no "
                f"{MANIFEST}): choose an empty or new folder with -o")
        return []
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        raise UsageError(f"{manifest} is unreadable: remove {out} and build again") from None
    return [path for path in listed if isinstance(path, str) and _inside(path)]


def _inside(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and ".." not in parts and "\\" not in path


def store(path: Path, data: bytes) -> bool:
    """Write `data` unless the file already holds exactly it; True when written."""
    if path.is_symlink():  # never write through a link to somewhere outside the site
        path.unlink()
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.write_bytes(data)
    return True


# The renderer and paths of the build in progress. Set before the second process is
# forked, so it inherits them (and the compiled templates) instead of unpickling them.
_JOB: tuple[Renderer, Sequence[str], Path] | None = None


def _render_share(first: int, step: int) -> int:
    """Render and store pages first, first + step, ...: with step 2, each process gets
    every other page, so a few heavy pages (services, months) do not all land on one."""
    assert _JOB is not None
    render, paths, out = _JOB
    return sum(store(out / paths[i], render(i)) for i in range(first, len(paths), step))


def write(out: Path, paths: Sequence[str], render: Renderer, files: dict[str, bytes],
          previous: list[str], internal: bool) -> Written:
    """Render page `i` of `paths` with `render(i)` and write it, then write `files`."""
    global _JOB
    out.mkdir(parents=True, exist_ok=True)
    every = sorted({*paths, *files})
    for folder in sorted({(out / p).parent for p in every}):
        folder.mkdir(parents=True, exist_ok=True)
    changed = sum(store(out / path, data) for path, data in sorted(files.items()))
    _JOB = (render, paths, out)
    try:
        if _parallel(len(paths)):
            with ProcessPoolExecutor(1, mp_context=get_context("fork")) as pool:
                other = pool.submit(_render_share, 1, 2)
                changed += _render_share(0, 2)
                changed += other.result()
        else:
            changed += _render_share(0, 1)
    finally:
        _JOB = None
    removed = _remove_stale(out, set(previous) - set(every))
    manifest = {"generator": "itsm-as-code", "internal": internal, "files": every}
    store(out / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode())
    return Written(len(every), changed, removed)


def _parallel(pages: int) -> bool:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return os.name == "posix" and cores >= 2 and pages >= PARALLEL_FROM


def _remove_stale(out: Path, stale: set[str]) -> int:
    removed = 0
    for path in sorted(stale):
        target = out / path
        if target.is_file() and not target.is_symlink():
            target.unlink()
            removed += 1
        folder = target.parent
        while folder != out and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return removed
