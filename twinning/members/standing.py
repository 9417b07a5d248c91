"""Good standing: the one question every program asks about a member ("may this committee
nominate, apply, register?"), answered in one place.

A member is in good standing on a date when
1. its membership is current on that date, or in grace (a renewal a few days late must not
   shut a committee out of a program mid-year; once grace ends, so does good standing), and
2. at least one of its communities has an active partnership (network status "active").

`standing_reasons` says, for each rule, whether it holds and why, in words a committee reads
on its portal."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from twinning.core.dates import association_today
from twinning.members.models import Status
from twinning.members.status import member_status
from twinning.network.models import Member, Partnership

GOOD_STANDING_STATUSES = frozenset({Status.CURRENT, Status.GRACE})


@dataclass(frozen=True)
class StandingReason:
    rule: str  # "membership" or "partnership"
    ok: bool
    text: str


def _active_partnerships(member: Member) -> list[Partnership]:
    ids = list(member.communities.values_list("pk", flat=True))
    return list(
        Partnership.objects.active()
        .filter(Q(community_a__in=ids) | Q(community_b__in=ids))
        .select_related("community_a", "community_b")[:3]
    )


def standing_reasons(member: Member, on: datetime.date | None = None) -> list[StandingReason]:
    """One reason per rule of good standing, each saying whether it holds on `on` and why."""
    day = on or association_today()
    status = member_status(member, day)
    membership_ok = status.status in GOOD_STANDING_STATUSES
    reasons = [StandingReason("membership", membership_ok, status.explanation)]
    active = _active_partnerships(member)
    if active:
        text = _("Active partnership: %(names)s.") % {"names": ", ".join(str(p) for p in active)}
    else:
        text = _(
            "None of your communities has an active partnership in the registry. "
            "Propose one, or ask staff to mark a revived one active."
        )
    reasons.append(StandingReason("partnership", bool(active), text))
    return reasons


def is_in_good_standing(member: Member, on: datetime.date | None = None) -> bool:
    """Current (or in grace) membership on `on` and at least one active partnership."""
    return all(reason.ok for reason in standing_reasons(member, on))
