"""Access grants are approved by an owner of the policy who is not the subject."""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.findings import Finding
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository


def approver(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    for record in records:
        if record.kind != "AccessPolicy":
            continue
        owners = record.get("owners") or []
        for index, grant in enumerate(record.get("grants") or []):
            by, subject = grant.get("approved_by"), grant.get("subject")
            at = ("grants", index, "approved_by")
            if by not in owners:
                yield record.finding(
                    "grant-approver",
                    f"grants[{index}] is approved by '{by}', who is not an owner of this policy "
                    f"(owners: {', '.join(owners)}): have an owner approve it",
                    at,
                )
            elif by == subject:
                yield record.finding(
                    "grant-approver",
                    f"grants[{index}]: '{by}' approved their own access: another owner must "
                    "approve it",
                    at,
                )
            else:
                team = repo.get(subject, ["Team"])
                if team is not None and by in (team.get("members") or []):
                    yield record.finding(
                        "grant-approver",
                        f"grants[{index}]: '{by}' is a member of the team '{subject}' that gets "
                        "the access: an owner outside the team must approve it",
                        at,
                    )
