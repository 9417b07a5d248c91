"""Who the members app writes to, and the one call that queues its e-mails in the outbox."""

from typing import Any

from django.urls import reverse

from twinning.core.reverse import absolute_url
from twinning.network.models import Contact, Member, Officer


def billing_address(member: Member) -> tuple[str, str] | None:
    """(name, e-mail) of whom invoices and reminders go to: the billing contact, else the
    treasurer, else the first committee admin. None when the member has no address at all."""
    contact = (
        Contact.objects.filter(member=member, role=Contact.Role.BILLING)
        .exclude(email="")
        .order_by("pk")
        .first()
    )
    if contact is not None:
        return contact.name, contact.email
    officer = (
        Officer.objects.filter(member=member, position=Officer.Position.TREASURER)
        .exclude(email="")
        .order_by("pk")
        .first()
    )
    if officer is not None:
        return officer.name, officer.email
    admin = member.admins.order_by("pk").first()
    if admin is not None:
        return (admin.full_name or admin.email), admin.email
    return None


def queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    related: Any = None,
    recipient: Any = None,
    hold: bool = False,
    by: Any = None,
    key: str | None = None,
) -> Any:
    # Imported here: the outbox is a lower app, but keeping the import local lets the members
    # models load in checks that run before every app is ready.
    from twinning.outbox.services import queue_email

    return queue_email(
        to=to,
        template=template,
        context=context,
        recipient=recipient,
        hold=hold,
        by=by,
        related=related,
        key=key,
    )


def notify_admins(membership: Any, template: str) -> None:
    """Tell each committee admin of the membership's member about a decision on it."""
    member = membership.member
    for admin in member.admins.all():
        queue(
            to=admin.email,
            template=template,
            recipient=admin,
            related=membership,
            context={
                "member_name": member.name,
                "person_name": admin.full_name or admin.email,
                "start": membership.start.isoformat(),
                "end": membership.end.isoformat(),
                "message": membership.decision_message,
                "portal_url": absolute_url(
                    reverse("members:portal_membership", kwargs={"slug": member.slug})
                ),
            },
        )
