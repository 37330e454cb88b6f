"""What `itsm event ingest` says it did: one line for people, the counts for machines."""

from __future__ import annotations

from typing import Any

from itsm_as_code.events.deliver import Delivery
from itsm_as_code.findings import Summary

# What can happen to an alert, in the order the summary names them.
ACTIONS = ("opened", "joined", "updated", "resolved", "duplicate", "ignored", "unknown-service")


def summary(delivery: Delivery, branch: str | None) -> Summary:
    done = delivery.ingested
    counts = ", ".join(f"{done.counts[action]} {action}" for action in ACTIONS
                       if done.counts[action])
    text = f"{delivery.events} alert(s): {counts or 'none'}"
    if delivery.commit:
        text += f"; committed {delivery.commit[:12]} on {branch}"
        if delivery.attempts > 1:
            text += f" (after {delivery.attempts - 1} retry(ies): the branch had moved)"
    elif done.files and branch is None:
        text += f"; wrote {len(done.files)} file(s)"
    else:
        text += "; nothing to change"
    data: dict[str, Any] = {
        "alerts": delivery.events, "counts": {a: done.counts[a] for a in ACTIONS},
        "opened": done.opened, "updated": done.updated, "files": sorted(done.files),
        "branch": branch, "commit": delivery.commit, "attempts": delivery.attempts}
    return Summary("itsm event ingest", text, data)
