"""Whether a member's committee may generate documents now. The registry sits below
membership (C3), so the rule of a current membership is given to this app by `members` in its
AppConfig.ready (`register_membership_check`): a check returns None when the member may act,
else the reason to show (lapsed, and how to renew). With no check registered, every committee
may act."""

from collections.abc import Callable
from typing import Any

MembershipCheck = Callable[[Any], str | None]
_CHECKS: list[MembershipCheck] = []


def register_membership_check(check: MembershipCheck) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def membership_refusal(member: Any) -> str | None:
    """The first reason `member` may not generate documents now, or None."""
    for check in _CHECKS:
        reason = check(member)
        if reason:
            return reason
    return None
