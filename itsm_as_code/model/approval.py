"""The one definition of a properly approved grant, read by the desired access state
(access/desired.py: a grant that is not properly approved gives nothing) and by the
`grant-approver` rule (validation/rules/access.py, which says why, at the grant's line).
It is part of the model because both read it, and validation sits below access.

A grant is approved when its approver is an owner of the policy, is not the subject, and
is not a member of the team that receives it: nobody approves their own access.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from itsm_as_code.model.types.organisation import AccessPolicy, Grant, Team

# Why a grant is unapproved: its approver is not an owner, approved their own access, or
# is a member of the team the grant gives it to.
Unapproved = Literal["not-an-owner", "own-access", "team-member"]


def unapproved(policy: AccessPolicy, grant: Grant, teams: Mapping[str, Team]
               ) -> Unapproved | None:
    """Why `grant` of `policy` is not properly approved; None when it is."""
    by = grant.approved_by
    if by not in policy.owners:
        return "not-an-owner"
    if by == grant.subject:
        return "own-access"
    team = teams.get(grant.subject)
    if team is not None and by in team.members:
        return "team-member"
    return None
