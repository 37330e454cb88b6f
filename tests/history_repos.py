"""Git repositories with a written history, built commit by commit with pygit2.

Every commit has a pinned identity and an explicit time, so histories are the same on
every machine and never read the global git configuration or the clock.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pygit2

from itsm_as_code.timefmt import parse_timestamp

CONFIG = "apiVersion: itsm/v1\norganization: Example\nrecords: records\ntimezone: UTC\n"
# git as a subprocess, as people and CI run it: no global or system configuration, a
# pinned identity and a pinned clock, so every machine makes the same commits.
GIT_ENVIRONMENT = {
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Ada Example", "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Example", "GIT_COMMITTER_EMAIL": "ada@example.com",
    "GIT_AUTHOR_DATE": "2026-11-22T09:00:00+01:00",
    "GIT_COMMITTER_DATE": "2026-11-22T09:00:00+01:00",
}


def git(cwd: Path, *args: str) -> str:
    """Run `git ARGS...` in `cwd` and return what it printed, stripped."""
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd,
                          check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENVIRONMENT})
    return done.stdout.strip()


def published(folder: Path, files: Path) -> tuple[Path, Path]:
    """A bare remote `folder/remote.git` and a clone of it, `folder/ada`, whose main holds a
    copy of the folder `files`, committed and pushed. Returns (remote, clone)."""
    remote, clone = folder / "remote.git", folder / "ada"
    folder.mkdir(parents=True, exist_ok=True)
    git(folder, "init", "--quiet", "--bare", str(remote))
    git(folder, "clone", "--quiet", str(remote), str(clone))
    for source in files.rglob("*"):
        target = clone / source.relative_to(files)
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.write_bytes(source.read_bytes())
    git(clone, "add", "--all")
    git(clone, "commit", "--quiet", "-m", "Records")
    git(clone, "push", "--quiet", "origin", "main")
    git(remote, "symbolic-ref", "HEAD", "refs/heads/main")
    return remote, clone


class History:
    """A repository at `path` whose commits are made from file contents, not a work tree."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.repo = pygit2.init_repository(str(path), initial_head="main")

    def commit(self, when: str, message: str, files: dict[str, str | None],
               branch: str = "main", merge: str | None = None,
               author: str = "Ada Example") -> str:
        """Commit `files` (path -> text, None deletes) on top of `branch`; with `merge`, a
        merge of that revision whose conflicts `files` resolve. Returns the commit's oid."""
        ref = f"refs/heads/{branch}"
        parents = [self.repo.references[ref].target] if ref in self.repo.references else []
        if merge is not None:
            parents.append(self.repo.revparse_single(merge).id)
        index = pygit2.Index()
        if merge is not None:
            index = self.repo.merge_commits(parents[0], parents[1])
            for path in files:  # the files given resolve the conflicts
                if index.conflicts is not None and path in index.conflicts:
                    del index.conflicts[path]
        elif parents:
            index.read_tree(self.repo[parents[0]].peel(pygit2.Tree))
        for path, text in files.items():
            if text is None:
                index.remove(path)
            else:
                blob = self.repo.create_blob(text.encode("utf-8"))
                index.add(pygit2.IndexEntry(path, blob, pygit2.GIT_FILEMODE_BLOB))
        tree = index.write_tree(self.repo)
        moment = parse_timestamp(when)
        offset = int(moment.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
        email = author.split()[0].lower() + "@example.com"
        signature = pygit2.Signature(author, email, int(moment.timestamp()), offset)
        oid = self.repo.create_commit(ref, signature, signature, message, tree, parents)
        return str(oid)

    def branch(self, name: str, at: str = "main") -> None:
        self.repo.branches.local.create(name, self.repo.revparse_single(at).peel(pygit2.Commit))

    def checkout(self, branch: str = "main") -> Path:
        """Make the work tree hold `branch` (as `git checkout --force`) and return it."""
        self.repo.checkout(f"refs/heads/{branch}", strategy=pygit2.GIT_CHECKOUT_FORCE)
        return self.path


def incident(record_id: str, status: str, opened: str, timeline: list[tuple[str, str]],
             **fields: str) -> str:
    """An incident's YAML: `timeline` holds (at, status) pairs; `fields` adds top-level
    lines such as resolved_at or assignee."""
    lines = [
        "apiVersion: itsm/v1", "kind: Incident", f"id: {record_id}",
        "title: Checkout fails", "services:", "  - {id: payments-api, status: partial_outage}",
        "impact: medium", "urgency: medium", "priority: P3", f"status: {status}",
        f"opened_at: {opened}",
    ]
    lines += [f"{name}: {value}" for name, value in fields.items()]
    if timeline:
        lines.append("timeline:")
        for at, entry_status in timeline:
            lines += [f"  - at: {at}", f"    status: {entry_status}",
                      f"    message: Now {entry_status}."]
    return "\n".join(lines) + "\n"
