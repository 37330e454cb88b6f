"""Steps that are edits of a record file: a problem's or a known error's move (they have no
timeline), and an incident's links (problem, known error, postmortem, category), which
may change after closure. The text is edited in place by authoring/edit.py, so only the
changed lines differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from itsm_as_code.authoring.edit import REMOVE, append_item, set_fields
from itsm_as_code.errors import RecordError, UsageError
from itsm_as_code.model.lifecycle import INCIDENT_LINKS
from itsm_as_code.model.model import Model
from itsm_as_code.model.steps import apply
from itsm_as_code.steps.moves import check_move, status_of
from itsm_as_code.steps.people import a, known
from itsm_as_code.steps.request import StepRequest
from itsm_as_code.store.record import Record
from itsm_as_code.timefmt import format_timestamp

# The fields a status option may be given with, by kind (where the schema has them).
TEXTS = {"Problem": ("root_cause",), "KnownError": ("root_cause", "workaround")}


@dataclass(frozen=True)
class Edit:
    """The new text of each edited file (path -> text), the status before and after, and
    the step in a few words for the commit message."""

    texts: dict[str, str]
    before: str
    after: str
    label: str


def read_text(root: Path, record: Record) -> str:
    """The record file's text as written (line endings kept)."""
    try:
        return (root / record.path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RecordError(f"{record.path}: cannot read: {error}; nothing was written") from None


def status_edit(root: Path, request: StepRequest, record: Record, value: Any,
                zone: ZoneInfo, at: datetime) -> Edit:
    """A problem's or known error's move (and the texts given with it), as an edit."""
    kind, before = record.kind, value.status
    if request.message is not None:
        raise UsageError(f"-m/--message: {a(kind)} has no timeline; write what changed in its "
                         "fields (--root-cause, --workaround)")
    changes: dict[str, object] = {}
    after = before
    if request.status is not None:
        after = status_of(kind, request.status)
        check_move(record, before, after)
        # The stamps a move sets or clears are model/steps.py's, as for a timeline entry.
        stepped = apply(kind, record.data, [{"at": format_timestamp(at.astimezone(zone)),
                                             "status": after}])
        for key, new in stepped.items():
            if key != "timeline" and record.data.get(key) != new:
                changes[key] = new
        changes.update((key, REMOVE) for key in record.data if key not in stepped)
    given = {"root_cause": request.root_cause, "workaround": request.workaround}
    for name, text in given.items():
        if text is None:
            continue
        if name not in TEXTS.get(kind, ()):
            raise UsageError(f"--{name.replace('_', '-')}: {a(kind)} has no {name}")
        changes[name] = text
    if not changes:
        raise UsageError(f"nothing to change on {record.id}: give --status"
                         + "".join(f" or --{n.replace('_', '-')}" for n in TEXTS.get(kind, ())))
    text = set_fields(read_text(root, record), changes, path=record.path)
    label = after if after != before else "update"
    return Edit({record.path: text}, before, after, label)


def link_edit(root: Path, request: StepRequest, record: Record, value: Any,
              model: Model) -> Edit:
    """An incident's links set (a closed incident's too), and the incident added to the
    problem's `incidents` when it is not there yet."""
    links = {name: text for name, text in request.links.items() if text is not None}
    if not links:
        raise UsageError("itsm link needs at least one of --problem, --known-error, "
                         "--postmortem, --category")
    problem = links.get("problem")
    if problem is not None:
        known(problem, model.problems, "problem", "--problem")
    if "known_error" in links:
        known(links["known_error"], model.known_errors, "known error", "--known-error")
    texts = {record.path: set_fields(read_text(root, record), links, path=record.path)}
    if problem is not None and record.id not in model.problems[problem].incidents:
        source = model.source(problem)
        texts[source.path] = append_item(read_text(root, source), "incidents", record.id,
                                         path=source.path)
    label = "linked to " + ", ".join(
        links[name] if name in ("problem", "known_error") else name for name in INCIDENT_LINKS
        if name in links)
    return Edit(texts, value.status, value.status, label)
