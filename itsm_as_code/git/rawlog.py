"""Changed record files from `git log --raw`, when the git program is installed.

git finds what each commit changed several times faster than any tree comparison made
through pygit2 (it reads trees in C and skips equal subtrees by oid), so a first walk of
a long history asks it, running while pygit2 walks the commits (its output goes to a
temporary file, so it never waits for this process to read). Merges are left to the
tree comparison, which also tells which of a merge's changes are its own. Without git,
or when it fails, the caller compares trees itself: the result is the same, only slower.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
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
        self.process: subprocess.Popen[bytes] | None = None
        # Into a file, not a pipe: git never waits for this process to read, so it runs
        # at its own speed while pygit2 walks the commits.
        try:
            self.output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by changes, cancel)
        except OSError:
            return
        try:
            self.process = subprocess.Popen(command, cwd=workdir, env=environment,
                                            stdout=self.output, stderr=subprocess.DEVNULL)
        except OSError:
            self.output.close()

    def changes(self) -> dict[str, tuple[FileChange, ...]] | None:
        """Commit oid -> the record files it changed; None when git could not tell."""
        if self.process is None:
            return None
        with self.output:
            if self.process.wait() != 0:
                return None
            self.output.seek(0)
            output = self.output.read()
        try:
            return parse(output, self.prefix)
        except ValueError:
            return None

    def cancel(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.output.close()


def parse(output: bytes, prefix: str) -> dict[str, tuple[FileChange, ...]]:
    """Read `--format=%x01%H -z --raw` output: a header per commit, then per changed file
    a `:modes oids status` token and its path, each ended by NUL. Each token must start
    where the last one ended, so a path is read as a path whatever bytes it holds, and
    output of any other shape is refused rather than misread."""
    folder = f"{prefix}/" if prefix else ""
    found: dict[str, tuple[FileChange, ...]] = {}
    commit: str | None = None
    changes: list[FileChange] = []
    token, end = _TOKEN.match, 0
    while (match := token(output, end)) is not None:
        end = match.end()
        header, old_mode, new_mode, old, new, raw_path = match.groups()
        if header is not None:
            if commit is not None:
                found[commit] = tuple(changes)
            commit, changes = header.decode("ascii"), []
            continue
        path = raw_path.decode("utf-8", errors="replace")
        if (not path.endswith(SUFFIXES) or not path.startswith(folder)
                or "/." in "/" + path.removeprefix(folder)):
            continue
        before = old.decode("ascii") if old_mode in _BLOB_MODES and old != _ZERO else None
        after = new.decode("ascii") if new_mode in _BLOB_MODES and new != _ZERO else None
        if before != after:
            changes.append(FileChange(path, before, after))
    if output[end:].rstrip(b"\n"):
        raise ValueError(f"unexpected output from git log: {output[end:end + 40]!r}")
    if commit is not None:
        found[commit] = tuple(changes)
    return found
