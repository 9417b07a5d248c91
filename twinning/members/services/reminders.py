"""Renewal reminders: 60, 30 and 7 days before a membership ends, then once in grace, to the
member's billing contact. Each (membership, reminder) is sent at most once: the ReminderSent
row is written in the same transaction as the queued e-mail, under a unique constraint, so
running the scheduler twice (or two schedulers at once) sends nothing twice (IDEM-4)."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse

from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.members.models import Membership, ReminderSent, Status
from twinning.members.notify import billing_address, queue

# (kind, days before the end from which it is due), latest first: only the most pressing
# reminder not yet sent goes out, so a member who joins 20 days before the end of a period is
# not sent the 60-day one.
BEFORE_END = [
    (ReminderSent.Kind.DAYS_7, 7),
    (ReminderSent.Kind.DAYS_30, 30),
    (ReminderSent.Kind.DAYS_60, 60),
]


@dataclass
class ReminderSummary:
    sent: int = 0
    skipped_no_address: int = 0


def reminder_due(membership: Membership, on: datetime.date) -> str | None:
    """The kind of reminder due for `membership` on `on`, or None."""
    status = membership.status_on(on)
    if status == Status.GRACE:
        return ReminderSent.Kind.GRACE
    if status != Status.CURRENT:
        return None
    days_left = (membership.end - on).days
    for kind, days in BEFORE_END:
        if days_left <= days:
            return kind
    return None


def _renewed(membership: Membership) -> bool:
    """A later membership exists (applied for, approved or paid): no reminder needed."""
    return (
        Membership.objects.filter(member=membership.member_id, start__gt=membership.end)
        .filter(declined_at__isnull=True, cancelled_on__isnull=True)
        .exists()
    )


def _candidates(on: datetime.date):  # type: ignore[no-untyped-def]
    # Memberships ending within 60 days or in grace; the exact rule is `reminder_due`.
    return (
        Membership.objects.filter(
            approved_at__isnull=False,
            declined_at__isnull=True,
            end__lte=on + datetime.timedelta(days=60),
            grace_end__gte=on,
        )
        .select_related("member", "membership_type")
        .order_by("pk")
    )


def send_renewal_reminders(*, on: datetime.date | None = None) -> ReminderSummary:
    """Queue every reminder due on `on` (default: today in the association's time zone)."""
    day = on or association_today()
    summary = ReminderSummary()
    for membership in _candidates(day):
        kind = reminder_due(membership, day)
        if kind is None or _renewed(membership):
            continue
        if membership.reminders_sent.filter(kind=kind).exists():
            continue
        if membership.auto_renew and kind == ReminderSent.Kind.DAYS_60:
            from twinning.members.services.memberships import create_renewal

            create_renewal(membership=membership, by=SYSTEM)
            continue
        billing = billing_address(membership.member)
        if billing is None:
            summary.skipped_no_address += 1
            continue
        if _send_one(membership, kind, billing, day):
            summary.sent += 1
    return summary


def _send_one(
    membership: Membership, kind: str, billing: tuple[str, str], day: datetime.date
) -> bool:
    member = membership.member
    try:
        with transaction.atomic():
            ReminderSent.objects.create(membership=membership, kind=kind, to=billing[1])
            queue(
                to=billing[1],
                template="members.renewal_reminder",
                related=membership,
                key=f"members.reminder:{membership.pk}:{kind}",
                context={
                    "person_name": billing[0],
                    "member_name": member.name,
                    "end": membership.end.isoformat(),
                    "grace_end": membership.grace_end.isoformat(),
                    "days_left": (membership.end - day).days,
                    "in_grace": kind == ReminderSent.Kind.GRACE,
                    "renew_url": absolute_url(
                        reverse("members:portal_renew", kwargs={"slug": member.slug})
                    ),
                },
            )
            log_activity(membership, "members.reminder.sent", data={"kind": kind})
    except IntegrityError:  # another run sent this one first
        return False
    return True
