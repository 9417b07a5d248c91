"""A member's membership status on a date, and its explanation in words. The rules live on
`Membership.status_on` (Python) and `status_expression` (SQL); this module picks the
membership that speaks for a member and says why."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from twinning.core.dates import association_today
from twinning.members.models import STATUS_RANK, Invoice, Membership, Status
from twinning.network.models import Member


@dataclass(frozen=True)
class MemberStatus:
    status: str | None  # a Status value, None when the member never applied
    membership: Membership | None
    explanation: str

    @property
    def label(self) -> str:
        return Status(self.status).label if self.status else _("No membership")


def membership_on(memberships: list[Membership], on: datetime.date) -> Membership | None:
    """The membership that speaks for its member on `on`: the best status, then the latest end."""
    if not memberships:
        return None
    return min(memberships, key=lambda m: (STATUS_RANK[m.status_on(on)], -m.end.toordinal()))


def _memberships(member: Member) -> list[Membership]:
    cache = getattr(member, "_prefetched_objects_cache", {})
    if "memberships" in cache:
        return list(cache["memberships"])
    return list(member.memberships.select_related("membership_type"))


def member_status(member: Member, on: datetime.date | None = None) -> MemberStatus:
    day = on or association_today()
    membership = membership_on(_memberships(member), day)
    if membership is None:
        return MemberStatus(None, None, _("No membership on record."))
    return MemberStatus(membership.status_on(day), membership, explain_status(membership, day))


def _payment_phrase(membership: Membership) -> str:
    invoices = list(Invoice.objects.invoices().with_balance().filter(membership=membership))
    if not invoices:
        return ""
    unpaid = [i for i in invoices if i.balance_due > 0]
    if unpaid:
        return _(", invoice %(number)s has %(due)s %(currency)s still due") % {
            "number": unpaid[0].number,
            "due": unpaid[0].balance_due.quantize(Decimal("0.01")),
            "currency": unpaid[0].currency,
        }
    return _(", paid by invoice %(number)s") % {"number": invoices[0].number}


def explain_status(  # noqa: PLR0911 - one sentence per status
    membership: Membership, on: datetime.date | None = None
) -> str:
    """The status on `on` in words, e.g. "Current until 2027-06-30, paid by invoice 2026-0123."."""
    day = on or association_today()
    status = membership.status_on(day)
    end, grace_end = membership.end.isoformat(), membership.grace_end.isoformat()
    if status == Status.DECLINED:
        return _("The application was declined: %(message)s") % {
            "message": membership.decision_message or _("no reason given")
        }
    if membership.override_status and status == membership.override_status:
        until = (
            membership.override_until.isoformat()
            if membership.override_until
            else _("further notice")
        )
        return _("Set to “%(status)s” by staff until %(until)s: %(reason)s.") % {
            "status": Status(status).label,
            "until": until,
            "reason": membership.override_reason,
        }
    if status == Status.CANCELLED:
        return _("Cancelled on %(date)s: %(reason)s.") % {
            "date": membership.cancelled_on.isoformat(),  # type: ignore[union-attr]
            "reason": membership.cancel_reason or _("no reason given"),
        }
    if status == Status.PENDING:
        applied = membership.applied_at.date().isoformat() if membership.applied_at else "—"
        return _("Applied on %(date)s, awaiting the association's approval.") % {"date": applied}
    paid = _payment_phrase(membership)
    if status == Status.UPCOMING:
        return _("Approved: runs from %(start)s until %(end)s%(paid)s.") % {
            "start": membership.start.isoformat(),
            "end": end,
            "paid": paid,
        }
    if status == Status.CURRENT:
        return _("Current until %(end)s%(paid)s.") % {"end": end, "paid": paid}
    if status == Status.GRACE:
        return _(
            "In grace: the membership ended on %(end)s and expires after %(grace)s "
            "unless renewed%(paid)s."
        ) % {"end": end, "grace": grace_end, "paid": paid}
    return _("Expired: the membership ended on %(end)s and its grace on %(grace)s.") % {
        "end": end,
        "grace": grace_end,
    }


def refusal_unless_current(member: Member) -> str | None:
    """None while the member's membership is current (or in grace), else why not, in words.
    Apps below membership that serve current members only take it as their check
    (documents.access.register_membership_check, in MembersConfig.ready)."""
    from twinning.members.standing import GOOD_STANDING_STATUSES

    status = member_status(member)
    if status.status in GOOD_STANDING_STATUSES:
        return None
    return status.explanation
