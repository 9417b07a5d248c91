"""Bulk e-mail to a segment of members: one message per recipient, held in the outbox for
staff to review before anything goes (non-essential mail: the outbox adds its unsubscribe
link and skips unsubscribed addresses)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from twinning.core.authz import acting_user, require
from twinning.core.dates import association_today
from twinning.core.services import log_activity
from twinning.members.models import BulkMailing
from twinning.members.notify import billing_address, queue
from twinning.members.queries import filter_members, members_with_status


def segment_members(segment: dict[str, str]) -> Any:
    qs = members_with_status(association_today())
    return filter_members(
        qs,
        status=segment.get("status", ""),
        region=segment.get("region", ""),
        country=segment.get("country", ""),
        q=segment.get("q", ""),
        program=segment.get("program", ""),
    ).prefetch_related("admins")


def recipients_of(segment: dict[str, str]) -> list[tuple[str, str, Any, Any]]:
    """(address, name, user or None, member) for each member of the segment: its committee
    admins, or its billing contact when it has no admin. One entry per address."""
    seen: set[str] = set()
    result = []
    for member in segment_members(segment).order_by("name", "pk"):
        people = [(a.email, a.full_name or a.email, a) for a in member.admins.all()]
        if not people:
            billing = billing_address(member)
            if billing is not None:
                people = [(billing[1], billing[0], None)]
        for email, name, user in people:
            if email.lower() not in seen:
                seen.add(email.lower())
                result.append((email, name, user, member))
    return result


@transaction.atomic
def send_bulk_mailing(*, subject: str, body: str, segment: dict[str, str], by: Any) -> BulkMailing:
    """Queue one held message per recipient of the segment; staff release them from the outbox."""
    require(by, "members.send_bulk_mail")
    if not subject.strip() or not body.strip():
        raise ValidationError(_("Write a subject and a message."))
    recipients = recipients_of(segment)
    if not recipients:
        raise ValidationError(_("No member with an e-mail address matches this segment."))
    mailing = BulkMailing(
        subject=subject.strip(),
        body=body.strip(),
        segment=segment,
        recipients=len(recipients),
        created_by=acting_user(by),
    )
    mailing.full_clean()
    mailing.save()
    for email, name, user, member in recipients:
        queue(
            to=email,
            template="members.bulk_message",
            recipient=user,
            related=mailing,
            hold=True,
            by=by,
            context={
                "subject": mailing.subject,
                "body": mailing.body,
                "person_name": name,
                "member_name": member.name,
            },
        )
    log_activity(
        mailing, "members.mailing.queued", by=by, data={"segment": segment, "n": len(recipients)}
    )
    return mailing
