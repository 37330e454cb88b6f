"""Writing a site: render the pages (in worker processes for a large site: parallel.py),
write only the files whose bytes changed, and remove what an earlier build wrote and this
one did not.

Writing costs a third of a build, and a rebuild after one new incident changes a few
pages: comparing bytes first leaves the other files, and their times, alone. The
folder's manifest (`.itsm-site.json`) lists the files of the last build; a file it
lists that this build does not make is removed, so an incident made internal, or an
internal build followed by a public one, leaves nothing behind. A folder that is not
empty and has no manifest is refused: the build never writes over unrelated files. Every
file goes in through a temporary file, and the manifest says when a build is under way
(manifest.py), so a build killed half-way leaves no part of a page and the next build
recovers the folder.

A page may come with a key: a hash of everything its bytes depend on (pagekeys.py).
The build's stamps (stamps.py) keep each keyed page's key with the size and time of the
file written; a page whose key is unchanged, and whose file still has that size and
time, is not rendered again. Anything else (a new key, a file edited or removed by hand,
no stamps) renders the page. Into a new or empty folder, each file is created without
looking for an old one first.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import cast

from itsm_as_code.files import write_atomic
from itsm_as_code.parallel import map_chunks
from itsm_as_code.site import manifest, stamps
from itsm_as_code.site.manifest import TEMPORARY_PREFIX, TEMPORARY_SUFFIX, Previous

PARALLEL_FROM = 400  # pages; below this a second process costs more than it saves
RENDER_CHUNK = 200  # pages a worker renders at a time: the first come back soon

Renderer = Callable[[int], bytes]


@dataclass(frozen=True)
class Written:
    files: int
    changed: int
    removed: int


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
    stamp, without another look-up); None when there is a file there already.

    The bytes go to a temporary file first, linked to `path` once they are all in: a
    build killed half-way leaves a temporary file (the next build removes it), never a
    part of a page. Its name is the page's own, so no random name is drawn per page."""
    folder, _, name = path.rpartition("/")
    temporary = f"{folder}/{TEMPORARY_PREFIX}{name}{TEMPORARY_SUFFIX}"
    try:
        handle = os.open(temporary, _NEW, 0o666)
    except FileExistsError:  # another build's: leave the page to store()
        return None
    moved = False
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
            made = os.fstat(handle)
        finally:
            os.close(handle)
        moved = move_new(temporary, path)
    finally:
        if not moved:
            os.unlink(temporary)  # noqa: PTH108 - plain strings: a Path per page costs more
    return made if moved else None


def move_new(temporary: str, path: str) -> bool:
    """Give the file `temporary` the name `path` unless something is there already
    (False then, `temporary` left as it was): a rename that never replaces.

    Linux's renameat2 with RENAME_NOREPLACE does it in one step; elsewhere, or on a file
    system without it, a hard link and an unlink do (on ext4 the pair costs twice the
    system time of the rename: about 1.5 s of a first build of 10,000 pages)."""
    rename = _renameat2()
    if rename is not None:
        if rename(_AT_FDCWD, os.fsencode(temporary), _AT_FDCWD, os.fsencode(path),
                  _RENAME_NOREPLACE) == 0:
            return True
        error = ctypes.get_errno()
        if error == errno.EEXIST:
            return False
        if error not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(error, os.strerror(error), path)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    os.unlink(temporary)  # noqa: PTH108 - plain strings, as above
    return True


_AT_FDCWD, _RENAME_NOREPLACE = -100, 1  # <fcntl.h>, <linux/fs.h>


@functools.cache
def _renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    """libc's renameat2, or None where there is none (not Linux, or glibc before 2.28)."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    function.restype = ctypes.c_int
    return cast("Callable[[int, bytes, int, bytes, int], int]", function)


def _stamp(path: str, key: str) -> str:
    """The page's key with its file's size and time; "" when there is no such file."""
    try:
        found = os.lstat(path)
    except OSError:
        return ""
    return f"{key} {found.st_size} {found.st_mtime_ns}" if stat.S_ISREG(found.st_mode) else ""


@dataclass(frozen=True)
class _Job:
    paths: Sequence[str]
    keys: Sequence[str | None]
    out: Path
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


def _render_chunk(render: Renderer, indices: Sequence[int]) -> list[bytes]:
    return [render(index) for index in indices]


def _store_pages(job: _Job, rendered: Iterable[tuple[int, bytes]]) -> tuple[int, dict[str, str]]:
    """Store each rendered page: the number of files changed, and the stamps of the
    keyed pages."""
    changed, done = 0, {}
    folder = str(job.out)
    for index, data in rendered:
        path, key = job.paths[index], job.keys[index]
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
    or more, worker processes (forked: they inherit the compiled templates) render them,
    and this process writes every file as their pages come back: two processes creating
    files in one folder wait on its lock, which cost a first build of 10,000 pages more
    system time than its writing."""
    out.mkdir(parents=True, exist_ok=True)
    every = sorted({*paths, *files})
    manifest.begin(out, previous, every, internal)
    for folder in sorted({path.rpartition("/")[0] for path in every} - {""}):
        (out / folder).mkdir(parents=True, exist_ok=True)
    changed = sum(store(out / path, data) for path, data in sorted(files.items()))
    keys = keys or [None] * len(paths)
    kept = _unchanged(out, paths, keys, previous.stamps)
    todo = [index for index, path in enumerate(paths) if path not in kept]
    rendered = chain.from_iterable(map_chunks(
        functools.partial(_render_chunk, render), todo, chunk=RENDER_CHUNK,
        parallel_from=parallel_from))
    count, done = _store_pages(_Job(paths, keys, out, previous.empty),
                               zip(todo, rendered, strict=True))
    changed += count
    kept.update({path: stamp for path, stamp in done.items() if stamp})
    removed = _remove_stale(out, set(previous.files) - set(every))
    manifest.finish(out, every, internal)
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
