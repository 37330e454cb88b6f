"""Changed record files from `git log --raw`, when the git program is installed.

git finds what each commit changed several times faster than any tree comparison made
through pygit2 (it reads trees in C and skips equal subtrees by oid), so a first walk of
a long history asks it, running while pygit2 walks the commits. Merges are left to the
tree comparison, which also tells which of a merge's changes are its own. Without git,
or when it fails, the caller compares trees itself: the result is the same, only slower.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import threading
from pathlib import Path

from itsm_as_code.git.index import FileChange
from itsm_as_code.store.loader import SUFFIXES

# Settings that would change what `git log` prints, pinned whatever the user's config.
_PINNED = ("-c", "log.showSignature=false", "-c", "log.follow=false",
           "-c", "diff.relative=false", "-c", "core.quotePath=false")
_BLOB_MODES = (b"100644", b"100755")
_ZERO = b"0" * 40
_TOKEN = re.compile(rb"\n?(?:\x01([0-9a-f]{40})\0|:([0-7]+) ([0-7]+) ([0-9a-f]{40}) "
                    rb"([0-9a-f]{40}) [A-Z][0-9]*\0([^\0]*)\0)")


class RawLog:
    """A running `git log --raw` over the non-merge commits reachable from `tip` (and
    not from `hide`), for the record files under `prefix`."""

    def __init__(self, git_dir: Path, workdir: Path, tip: str, hide: str | None,
                 prefix: str) -> None:
        command = ["git", *_PINNED, f"--git-dir={git_dir}", "log", "--raw", "--no-abbrev",
                   "--no-renames", "--no-merges", "--root", "-z", "--format=%x01%H", tip,
                   *([f"^{hide}"] if hide else []), "--"]
        # No pathspec: git's history simplification for one makes it slower than listing
        # every changed file; the records folder is picked out here.
        environment = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        self.prefix = prefix
        self.process: subprocess.Popen[bytes] | None
        try:
            self.process = subprocess.Popen(command, cwd=workdir, env=environment,
                                            stdout=subprocess.PIPE,
                                            stderr=subprocess.DEVNULL)
        except OSError:
            self.process = None
            return
        # Read on a thread (which waits outside the GIL) from the start: git fills a pipe
        # in a moment and would otherwise wait for the walk to end before going on.
        self.chunks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        try:
            while chunk := os.read(self.process.stdout.fileno(), 1 << 20):
                self.chunks.put(chunk)
        finally:
            self.chunks.put(None)

    def changes(self) -> dict[str, tuple[FileChange, ...]] | None:
        """Commit oid -> the record files it changed; None when git could not tell.
        What git has written so far is read as it comes."""
        if self.process is None:
            return None
        parser = Parser(self.prefix)
        for chunk in iter(self.chunks.get, None):
            parser.feed(chunk)
        if self._finish() != 0:
            return None
        try:
            return parser.finish()
        except ValueError:
            return None

    def cancel(self) -> None:
        if self.process is not None:
            self.process.kill()
            while self.chunks.get() is not None:
                pass
            self._finish()

    def _finish(self) -> int:
        assert self.process is not None and self.process.stdout is not None
        self.process.stdout.close()
        return self.process.wait()


def parse(output: bytes, prefix: str) -> dict[str, tuple[FileChange, ...]]:
    """The changes per commit in the whole of git's output (see Parser)."""
    parser = Parser(prefix)
    parser.feed(output)
    return parser.finish()


class Parser:
    """Reads `--format=%x01%H -z --raw` output, in pieces as git writes it: a header per
    commit, then per changed file a `:modes oids status` token and its path, each ended
    by NUL. Each token must start where the last one ended, so a path is read as a path
    whatever bytes it holds, and output of any other shape is refused rather than
    misread. A token cut off at the end of a piece waits for the next piece."""

    def __init__(self, prefix: str) -> None:
        self.folder = f"{prefix}/" if prefix else ""
        self.found: dict[str, tuple[FileChange, ...]] = {}
        self.commit: str | None = None
        self.changes: list[FileChange] = []
        self.rest = b""

    def feed(self, piece: bytes) -> None:
        data = self.rest + piece if self.rest else piece
        token, folder, found, changes = _TOKEN.match, self.folder, self.found, self.changes
        end = 0
        while (match := token(data, end)) is not None:
            end = match.end()
            header, old_mode, new_mode, old, new, raw_path = match.groups()
            if header is not None:
                if self.commit is not None:
                    found[self.commit] = tuple(changes)
                self.commit, changes = header.decode("ascii"), []
                continue
            path = raw_path.decode("utf-8", errors="replace")
            if (not path.endswith(SUFFIXES) or not path.startswith(folder)
                    or "/." in "/" + path.removeprefix(folder)):
                continue
            before = old.decode("ascii") if old_mode in _BLOB_MODES and old != _ZERO else None
            after = new.decode("ascii") if new_mode in _BLOB_MODES and new != _ZERO else None
            if before != after:
                changes.append(FileChange(path, before, after))
        self.changes = changes
        self.rest = data[end:]

    def finish(self) -> dict[str, tuple[FileChange, ...]]:
        if self.rest.rstrip(b"\n"):
            raise ValueError(f"unexpected output from git log: {self.rest[:40]!r}")
        if self.commit is not None:
            self.found[self.commit] = tuple(self.changes)
        return self.found
