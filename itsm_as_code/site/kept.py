"""The last build of a site folder, kept for a build in which nothing changed.

A warm build that changed nothing still loaded every record, computed the views and the
SLA dashboard and keyed every page (most of two seconds on 10,000 incidents) only to
write nothing. A build depends on the program, itsm.yaml, the record and update files,
the moment it shows, its options and the folder it writes to: the build key is a hash of
them all, the files by their content keys (store/stats.py gives those of unchanged files
without reading them, as for `itsm validate`'s kept result, validation/results.py). With
the same key, and every file the last build left in the folder still as it left it (the
same size, times and inode), that build's result is the answer and nothing is read or
written.

An internal build whose operations section read routine check-ins from the state branch
(ops/check.py) depends on git as well: it is not kept. Sections handed in by a caller
are not part of the key: such a build is not kept either. One signed file per site folder
beside the record cache; off with it (`ITSM_NO_CACHE=1`).
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from itsm_as_code.config import Config
from itsm_as_code.signing import load_key
from itsm_as_code.site.manifest import MANIFEST
from itsm_as_code.site.options import BuildOptions, BuildResult
from itsm_as_code.store.cache import is_signed, prune, read_signed, write_signed
from itsm_as_code.store.loader import Found, Limits, find_files
from itsm_as_code.store.repository import Progress
from itsm_as_code.store.stats import StatIndex, hash_unknown
from itsm_as_code.validation.results import program, run_key

PREFIX = "sitebuild-"
SCHEMA = 1
Counts = tuple[int, int]  # the pages and files of a build


class KeptBuild:
    """The key and result of the last build into one folder, in one signed file."""

    def __init__(self, out: Path) -> None:
        # Named like the folder's page stamps (stamps.py), beside them.
        from itsm_as_code.site.stamps import stamps_file

        stamps = stamps_file(out)
        self.out = out
        self.path = stamps.with_name(PREFIX + stamps.name[len("site-"):]) if stamps else None
        self._key = load_key(self.path.parent) if self.path is not None else None

    @property
    def enabled(self) -> bool:
        return self._key is not None

    def get(self, build: str) -> Counts | None:
        """The pages and files of the build keyed `build`, if it was the last one into
        the folder and the folder is still as that build left it."""
        if self.path is None or self._key is None:
            return None
        body = read_signed(self.path, _header(), self._key)
        try:
            kept = json.loads(body) if body is not None else None
            if not isinstance(kept, dict) or kept.get("build") != build:
                return None
            if kept["folder"] != _folder(self.out):
                return None
            return int(kept["pages"]), int(kept["files"])
        except (ValueError, TypeError, KeyError, RecursionError):
            return None  # only our own signed writes get here; a miss is always safe

    def put(self, build: str, counts: Counts) -> None:
        """Keep the build keyed `build`, which has just written the folder."""
        if self.path is None or self._key is None:
            return
        folder = _folder(self.out)
        if folder is None:
            return
        body = {"build": build, "pages": counts[0], "files": counts[1], "folder": folder}
        key = self._key
        if write_signed(self.path, _header(), json.dumps(body, separators=(",", ":"))
                        .encode("utf-8", "surrogatepass"), key):
            prune(self.path.parent, PREFIX, lambda path: is_signed(path, key))


def build_key(config: Config, found: Found, stats: StatIndex, now: datetime,
              options: tuple[object, ...]) -> str | None:
    """The key of a build of these files at `now` with `options` (None when the content
    key of a file is not known)."""
    hash_unknown(found.files + found.updates, stats,
                  Limits(config.max_file_bytes, config.max_aliases))
    records = run_key(config, found, stats.keys)
    if records is None:
        return None
    text = repr((program(), records, now.isoformat(), options))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def _folder(out: Path) -> list[list[object]] | None:
    """Every file the folder's manifest lists, with its status, and the manifest's own;
    None when the manifest cannot be read."""
    manifest = out / MANIFEST
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(listed, list):
        return None
    folder: list[list[object]] = []
    for name in [MANIFEST, *listed]:
        try:
            status = os.lstat(os.path.join(out, str(name)))  # noqa: PTH118 - 10,000 files
        except OSError:
            folder.append([str(name)])
            continue
        folder.append([str(name), status.st_size, status.st_mtime_ns, status.st_ctime_ns,
                       status.st_ino, status.st_mode])
    return folder


def _header() -> str:
    return json.dumps({"format": "itsm-sitebuild", "schema": SCHEMA})


def build_repository(config: Config, options: BuildOptions, now: datetime,
                     progress: Progress | None = None) -> BuildResult:
    """`build_site` of the repository `config` describes, loading it only when something
    changed since the last build into the same folder (or the folder did)."""
    found = find_files(config.records_dir, config.root)
    stats, kept = StatIndex.for_root(config.root), KeptBuild(options.out)
    stats.look(found.files + found.updates)
    choices = (str(options.out.resolve()), options.internal, options.base_url)
    build = build_key(config, found, stats, now, choices) if kept.enabled else None
    counts = kept.get(build) if build is not None else None
    if counts is not None:
        return BuildResult(options.out, options.internal, [], *counts)
    # The model, the views and the templates, imported only when the site is built.
    from itsm_as_code.model.context import RunContext
    from itsm_as_code.site.build import build_site

    # Every kind is read: each record is judged as it arrives, while the rest are parsed.
    ctx = RunContext.read(config, now, progress, found=found, stats=stats)
    result = build_site(ctx, options)
    # Kept under the keys of the bytes loaded, unless the build read the state branch.
    if result.built and kept.enabled and not (options.internal and ctx.model.routines):
        after = build_key(config, found, stats, now, choices)
        if after is not None and build in (None, after):
            kept.put(after, (result.pages, result.files))
    return result
