"""Access grants: approved by an owner who is not the subject, no longer than the policy
allows, never to a break-glass account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from zoneinfo import ZoneInfo

from itsm_as_code.model.approval import unapproved
from itsm_as_code.model.types.organisation import AccessPolicy
from itsm_as_code.rule import Hit
from itsm_as_code.timefmt import format_duration, format_timestamp
from itsm_as_code.validation.rules.base import Judged
from itsm_as_code.yamlerrors import shown


def approver(judged: Judged) -> Iterator[Hit]:
    """Each grant that is unapproved (model/approval.py), saying why."""
    teams = judged.model.teams
    for record, policy in judged.values("AccessPolicy", AccessPolicy):
        for index, grant in enumerate(policy.grants):
            by, subject = grant.approved_by, grant.subject
            why = unapproved(policy, grant, teams)
            if why == "not-an-owner":
                message = (f"grants[{index}] is approved by '{shown(by)}', who is not an owner of "
                           f"this policy (owners: {', '.join(policy.owners)}): have an owner "
                           "approve it")
            elif why == "own-access":
                message = (f"grants[{index}]: '{shown(by)}' approved their own access: "
                           "another owner must approve it")
            elif why == "team-member":
                message = (f"grants[{index}]: '{shown(by)}' is a member of the team "
                           f"'{shown(subject)}' that gets the access: an owner outside the "
                           "team must approve it")
            else:
                continue
            yield Hit(record, message, ("grants", index, "approved_by"))


def duration(judged: Judged) -> Iterator[Hit]:
    """With a `max_duration`, every grant runs from `approved_at` to `expires` within it."""
    zone = ZoneInfo(judged.repo.config.timezone)
    for record, policy in judged.values("AccessPolicy", AccessPolicy):
        limit = policy.max_duration
        if limit is None:
            continue
        written = _duration(limit)
        for index, grant in enumerate(policy.grants):
            approved, expires = grant.approved_at, grant.expires
            if expires is None:
                yield Hit(record, f"grants[{index}] has no `expires`, but the policy's "
                          f"max_duration is {written}: add an expiry at most {written} after "
                          "approved_at", ("grants", index))
            elif approved is None:
                yield Hit(record, f"grants[{index}] has no `approved_at`, so its length cannot "
                          f"be checked against max_duration {written}: add when it was "
                          "approved", ("grants", index))
            elif expires - approved > limit:
                latest = format_timestamp((approved + limit).astimezone(zone))
                yield Hit(record, f"grants[{index}] runs {_days(expires - approved)} from "
                          f"approved_at to expires, longer than the policy's max_duration "
                          f"{written}: expire it by {latest} or later approve a renewal",
                          ("grants", index, "expires"))


def break_glass(judged: Judged) -> Iterator[Hit]:
    """A break-glass account is outside reconciliation, so no policy may grant it."""
    model = judged.model
    for record, policy in judged.values("AccessPolicy", AccessPolicy):
        system = model.systems.get(policy.system)
        if system is None or not system.break_glass:
            continue
        for index, grant in enumerate(policy.grants):
            for person_id in model.members(grant.subject):
                person = model.people.get(person_id)
                account = person.account(system.id) if person is not None else person_id
                if account in system.break_glass:
                    whose = (f" (the account of '{shown(person_id)}')" if person_id != account
                             else "")
                    yield Hit(record, f"grants[{index}] grants the break-glass account "
                              f"'{shown(account)}'{whose} of {system.id}: break-glass accounts are "
                              "never reconciled, so remove the grant or the account from "
                              "break_glass", ("grants", index, "subject"))


def _duration(span: timedelta) -> str:
    # As a duration is written in a record: `30d`, `1h30m`.
    return format_duration(int(span.total_seconds())).replace(" ", "")


def _days(span: timedelta) -> str:
    days, rest = span.days, span.seconds
    return f"{days}d" + (f" {rest // 3600}h" if rest >= 3600 else "")
