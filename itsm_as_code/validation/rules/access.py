"""Access grants: approved by an owner who is not the subject, no longer than the policy
allows, never to a break-glass account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from itsm_as_code.access.desired import account_of, optional_time
from itsm_as_code.findings import Finding
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.timefmt import format_timestamp, parse_duration


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


def duration(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    """With a `max_duration`, every grant runs from `approved_at` to `expires` within it."""
    for record in records:
        if record.kind != "AccessPolicy" or record.get("max_duration") is None:
            continue
        limit_text = record.get("max_duration")
        try:
            limit = parse_duration(limit_text)
        except ValueError:
            continue  # the schema check reports an unreadable duration
        for index, grant in enumerate(record.get("grants") or []):
            approved = optional_time(grant.get("approved_at"))
            expires = optional_time(grant.get("expires"))
            if grant.get("expires") is None:
                yield record.finding(
                    "grant-duration",
                    f"grants[{index}] has no `expires`, but the policy's max_duration is "
                    f"{limit_text}: add an expiry at most {limit_text} after approved_at",
                    ("grants", index))
            elif grant.get("approved_at") is None:
                yield record.finding(
                    "grant-duration",
                    f"grants[{index}] has no `approved_at`, so its length cannot be checked "
                    f"against max_duration {limit_text}: add when it was approved",
                    ("grants", index))
            elif approved is not None and expires is not None and expires - approved > limit:
                yield record.finding(
                    "grant-duration",
                    f"grants[{index}] runs {_days(expires - approved)} from approved_at to "
                    f"expires, longer than the policy's max_duration {limit_text}: expire it "
                    f"by {format_timestamp(approved + limit)} or later approve a renewal",
                    ("grants", index, "expires"))


def break_glass(repo: Repository, records: list[Record]) -> Iterator[Finding]:
    """A break-glass account is outside reconciliation, so no policy may grant it."""
    for record in records:
        if record.kind != "AccessPolicy":
            continue
        system = repo.get(record.get("system"), ["System"])
        emergency = set(system.get("break_glass") or []) if system is not None else set()
        if system is None or not emergency:
            continue
        for index, grant in enumerate(record.get("grants") or []):
            subject = grant.get("subject")
            team = repo.get(subject, ["Team"])
            people = team.get("members") or [] if team is not None else [subject]
            for person_id in people:
                person = repo.get(person_id, ["Person"])
                account = account_of(person, system.id) if person is not None else person_id
                if account in emergency:
                    whose = f" (the account of '{person_id}')" if person_id != account else ""
                    yield record.finding(
                        "grant-break-glass",
                        f"grants[{index}] grants the break-glass account '{account}'{whose} "
                        f"of {system.id}: break-glass accounts are never reconciled, so remove "
                        "the grant or the account from break_glass",
                        ("grants", index, "subject"))


def _days(span: timedelta) -> str:
    days, rest = span.days, span.seconds
    return f"{days}d" + (f" {rest // 3600}h" if rest >= 3600 else "")
