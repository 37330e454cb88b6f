"""Writing a site: render the pages (in two processes for a large site: parallel.py), write only the
files whose bytes changed, and remove what an earlier build wrote and this one did not.

Writing costs a third of a build, and a rebuild after one new incident changes a few
pages: comparing bytes first leaves the other files, and their times, alone. The
folder's manifest (`.itsm-site.json`) lists the files of the last build; a file it
lists that this build does not make is removed, so an incident made internal, or an
internal build followed by a public one, leaves nothing behind. A folder that is not
empty and has no manifest is refused: the build never writes over unrelated files.

A page may come with a key: a hash of everything its bytes depend on (pagekeys.py).
The build's stamps (stamps.py) keep each keyed page's key with the size and time of the
file written; a page whose key is unchanged, and whose file still has that size and
time, is not rendered again. Anything else (a new key, a file edited or removed by hand,
no stamps) renders the page. Into a new or empty folder, each file is created without
looking for an old one first.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from itsm_as_code.errors import UsageError
from itsm_as_code.files import write_atomic
from itsm_as_code.parallel import beside
from itsm_as_code.site import stamps

MANIFEST = ".itsm-site.json"
PARALLEL_FROM = 400  # pages; below this a second process costs more than it saves

Renderer = Callable[[int], bytes]


@dataclass(frozen=True)
class Previous:
    """What the folder's last build wrote: its files, and its keyed pages' stamps."""

    files: list[str] = field(default_factory=list)
    stamps: dict[str, str] = field(default_factory=dict)  # path -> "key size time"
    empty: bool = False  # the folder is new or empty: every file is new, none compared


@dataclass(frozen=True)
class Written:
    files: int
    changed: int
    removed: int


def prepare(out: Path) -> Previous:
    """Check that `out` may be written to; what its last build made."""
    if not out.exists():
        return Previous(empty=True)
    if not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder")
    manifest = out / MANIFEST
    if not manifest.is_file():
        if any(out.iterdir()):
            raise UsageError(
                f"{out} is not empty and was not written by `itsm site build` (it has no "
                f"{MANIFEST}): choose an empty or new folder with -o")
        return Previous(empty=True)
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        raise UsageError(f"{manifest} is unreadable: remove {out} and build again") from None
    return Previous([path for path in listed if isinstance(path, str) and _inside(path)],
                    stamps.load(out))


def _inside(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and ".." not in parts and "\\" not in path


def store(path: Path, data: bytes) -> bool:
    """Write `data` unless the file already holds exactly it; True when written. A reader
    of the published folder sees the old page or the new one, never a part."""
    if path.is_symlink():  # never write through a link to somewhere outside the site
        path.unlink()
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return True


_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(
    os, "O_NOFOLLOW", 0)


def create(path: str, data: bytes) -> os.stat_result | None:
    """Write `data` to a file that must not exist yet, and what the file is then (for its
    stamp, without another look-up); None when there is a file there already."""
    try:
        handle = os.open(path, _NEW, 0o666)
    except FileExistsError:
        return None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
        return os.fstat(handle)
    finally:
        os.close(handle)


def _stamp(path: str, key: str) -> str:
    """The page's key with its file's size and time; "" when there is no such file."""
    try:
        found = os.lstat(path)
    except OSError:
        return ""
    return f"{key} {found.st_size} {found.st_mtime_ns}" if stat.S_ISREG(found.st_mode) else ""


@dataclass(frozen=True)
class _Job:
    render: Renderer
    paths: Sequence[str]
    keys: Sequence[str | None]
    out: Path
    todo: list[int]  # the pages to render: those whose file is not known to hold them
    empty: bool  # nothing in the folder yet: create every file without comparing


def _unchanged(out: Path, paths: Sequence[str], keys: Sequence[str | None],
               previous: dict[str, str]) -> dict[str, str]:
    """The stamps of the keyed pages whose key, and file, are as the last build left them."""
    if not previous:
        return {}
    kept = {}
    folder = str(out)  # plain strings: a Path per page costs more than its stat
    for path, key in zip(paths, keys, strict=True):
        stamp = previous.get(path) if key is not None else None
        if stamp and key is not None and stamp.startswith(f"{key} ") and stamp == _stamp(
                f"{folder}/{path}", key):
            kept[path] = stamp
    return kept


def _render_share(job: _Job, first: int, step: int) -> tuple[int, dict[str, str]]:
    """Render and store the pages to do first, first + step, ...: with step 2, each
    process gets every other page, so a few heavy pages (services, months) do not all
    land on one. The number of files changed, and the stamps of the keyed pages."""
    changed, done = 0, {}
    folder = str(job.out)
    for index in job.todo[first::step]:
        path, key = job.paths[index], job.keys[index]
        data = job.render(index)
        made = create(f"{folder}/{path}", data) if job.empty else None
        if made is not None:
            changed += 1
            if key is not None:
                done[path] = f"{key} {made.st_size} {made.st_mtime_ns}"
            continue
        changed += store(job.out / path, data)
        if key is not None:
            done[path] = _stamp(f"{folder}/{path}", key)
    return changed, done


def write(out: Path, paths: Sequence[str], render: Renderer, files: dict[str, bytes],
          previous: Previous, internal: bool, keys: Sequence[str | None] | None = None,
          *, parallel_from: int = PARALLEL_FROM) -> Written:
    """Render page `i` of `paths` with `render(i)` and write it (unless `keys[i]` says
    the file already holds it), then write `files`. With `parallel_from` pages to render
    or more, a second process (forked: it inherits the compiled templates) renders half."""
    out.mkdir(parents=True, exist_ok=True)
    every = sorted({*paths, *files})
    for folder in sorted({path.rpartition("/")[0] for path in every} - {""}):
        (out / folder).mkdir(parents=True, exist_ok=True)
    changed = sum(store(out / path, data) for path, data in sorted(files.items()))
    keys = keys or [None] * len(paths)
    kept = _unchanged(out, paths, keys, previous.stamps)
    todo = [index for index, path in enumerate(paths) if path not in kept]
    job = _Job(render, paths, keys, out, todo, previous.empty)
    if len(todo) >= parallel_from:
        other = beside(lambda: _render_share(job, 1, 2), parallel=True)
        shares = [_render_share(job, 0, 2), other()]
    else:
        shares = [_render_share(job, 0, 1)]
    changed += sum(share[0] for share in shares)
    kept.update({path: stamp for share in shares for path, stamp in share[1].items() if stamp})
    removed = _remove_stale(out, set(previous.files) - set(every))
    manifest = {"generator": "itsm-as-code", "internal": internal, "files": every}
    store(out / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode())
    stamps.save(out, kept)
    return Written(len(every), changed, removed)


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
