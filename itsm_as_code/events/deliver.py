"""`itsm event ingest` end to end: payload -> events -> changes -> work tree or a commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from itsm_as_code.config import Config
from itsm_as_code.errors import RecordError
from itsm_as_code.events.ingest import Ingested, ingest
from itsm_as_code.events.model import Event
from itsm_as_code.events.snapshot import Files, WorkTree, load_snapshot
from itsm_as_code.events.sources import SOURCES, decode
from itsm_as_code.files import write_all
from itsm_as_code.findings import Finding
from itsm_as_code.git.branches import ids_on_branches
from itsm_as_code.git.commit import Branch
from itsm_as_code.git.onbranch import Change, Target, commit_on_branch
from itsm_as_code.worklock import work_tree_lock

# The sources whose payloads are Alertmanager's webhook shape (Grafana's copies it).
WEBHOOKS = ("alertmanager", "grafana")


@dataclass(frozen=True)
class Delivery:
    ingested: Ingested
    events: int
    commit: str | None = None
    attempts: int = 1


def run_ingest(config: Config, raw: bytes, source: str, payload: str, now: datetime,
               target: Target | None = None) -> Delivery:
    """Parse the payload (nothing happens if it is malformed), then apply its alerts to
    the work tree, or commit them on `target`'s branch, retrying when it moves."""
    events = SOURCES[source](raw, payload, config.events.service_label)
    dropped = truncated(raw, payload) if source in WEBHOOKS else []
    if target is None:
        # Held from reading the incidents to writing them: a concurrent ingest waits, then
        # reads what this one wrote, instead of writing over it.
        with work_tree_lock(config.root):
            ingested = _ingest(config, WorkTree(config.root), events, payload, now)
            _write(config.root, ingested)
        ingested.findings[:0] = dropped
        return Delivery(ingested, len(events))

    def change(branch: Branch) -> Change[Ingested]:
        ingested = _ingest(config, branch, events, payload, now)
        ingested.findings[:0] = dropped
        return Change(ingested, ingested.files, commit_message(ingested))

    done = commit_on_branch(config.root, target, now, change, action="itsm event ingest")
    return Delivery(done.value, len(events), done.commit, done.attempts)


def _ingest(config: Config, files: Files, events: list[Event], payload: str,
            now: datetime) -> Ingested:
    snapshot = load_snapshot(config, files)
    # Ids given out on other branches (open pull requests) are taken too.
    snapshot.incident_ids |= ids_on_branches(config.records_dir / "incidents")
    return ingest(snapshot, events, payload, now)


def commit_message(ingested: Ingested) -> str:
    """`itsm event ingest: open INC-0042, update INC-0017`, then a line per alert."""
    parts = []
    for verb, ids in (("open", ingested.opened), ("update", ingested.updated)):
        if len(ids) > 3:
            parts.append(f"{verb} {len(ids)} incidents")
        elif ids:
            parts.append(f"{verb} {', '.join(ids)}")
    lines = [finding.message for finding in ingested.findings]
    return f"itsm event ingest: {', '.join(parts)}\n\n" + "\n".join(lines) + "\n"


def _write(root: Path, ingested: Ingested) -> None:
    """Every new file or none: each is created (never over an existing file), its bytes
    written beside it before the first is moved into place. A record file or an incident's
    update file is never replaced: a taken path is found before anything is written."""
    files = {root / path: text.encode("utf-8") for path, text in ingested.files.items()}
    for path in sorted(files):
        if path.exists():
            raise _taken(root, path, ingested)
    try:
        write_all(files, exclusive=set(files), durable=True)
    except FileExistsError as error:
        # Another ingest took the id (or the update's name) between the check and the write.
        if error.filename is None or Path(error.filename) not in files:
            raise
        raise _taken(root, Path(error.filename), ingested) from None


def _taken(root: Path, path: Path, ingested: Ingested) -> RecordError:
    fresh = " for a fresh id" if path.stem in ingested.opened else ""
    return RecordError(f"{path.relative_to(root).as_posix()} already exists, so nothing was "
                       f"written: run the ingest again{fresh}")


def truncated(raw: bytes, payload: str) -> list[Finding]:
    """A warning when Alertmanager left alerts out of the payload (`truncatedAlerts`, from
    a receiver's `max_alerts`): they never reach itsm and nothing else says they existed.

    `raw` was parsed once already and is a JSON object: this reads the one top-level field
    the sources do not.
    """
    if b"truncatedAlerts" not in raw:
        return []
    count = decode(raw, payload).get("truncatedAlerts")
    if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
        return []
    return [Finding(
        payload, 1, 1, "truncated",
        f"Alertmanager left {count:,} alert(s) out of this notification (truncatedAlerts): "
        "they were not ingested; raise max_alerts in the receiver's webhook_configs, or "
        "set it to 0 (no limit)", None, "warning")]
