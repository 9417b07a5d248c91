"""The donor's receipt by e-mail. The outbox sends no attachments, so when money is received
from a donor with an e-mail, the receipt's e-mail carries a single-use link to the PDF: 256
random bits of which only the digest is kept (`core.tokens.hash_token`, as every single-use
link of the platform), valid for RECEIPT_LINK_DAYS and spent by the download."""

import datetime
import secrets
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from twinning.core.authz import NotAllowed
from twinning.core.reverse import absolute_url
from twinning.core.services import get_association, log_activity
from twinning.core.tokens import hash_token
from twinning.outbox.services import queue_email
from twinning.relief import emails
from twinning.relief.models import Donation

RECEIPT_LINK_DAYS = 30


def send_receipt_link(donation: Donation, *, author: Any) -> None:
    """Part of `record_donation` (after its actor check): queue the donor's e-mail with a new
    link to the receipt; `author` is recorded as the message's author."""
    token = secrets.token_urlsafe(32)
    donation.receipt_token_hash = hash_token(token)
    donation.receipt_sent_at = timezone.now()
    donation.receipt_used_at = None
    donation.save(update_fields=["receipt_token_hash", "receipt_sent_at", "receipt_used_at"])
    queue_email(
        to=donation.email,
        template=emails.DONATION_RECEIPT,
        context={
            "name": donation.name,
            "association": get_association().name,
            "amount": donation.amount_shown,
            "title": donation.appeal.title,
            "number": donation.number,
            "days": RECEIPT_LINK_DAYS,
            "link": absolute_url(reverse("relief:receipt_link", kwargs={"token": token})),
        },
        related=donation.appeal,
        by=author,
        key=f"relief-receipt-{donation.pk}",
    )


def donation_for_receipt_token(token: str) -> Donation | None:
    """The donation whose unused, unexpired receipt link this is (None otherwise)."""
    if not token or len(token) > 100:
        return None
    since = timezone.now() - datetime.timedelta(days=RECEIPT_LINK_DAYS)
    return (
        Donation.objects.filter(
            receipt_token_hash=hash_token(token),
            receipt_used_at__isnull=True,
            receipt_sent_at__gte=since,
        )
        .select_related("appeal")
        .first()
    )


@transaction.atomic
def use_receipt_link(*, token: str) -> Donation:
    """The donor downloads their receipt: the link is spent. NotAllowed for a wrong, used or
    expired link."""
    found = donation_for_receipt_token(token)
    if found is None:
        raise NotAllowed("relief.receipt_link")
    donation = Donation.objects.select_for_update().select_related("appeal").get(pk=found.pk)
    if donation.receipt_used_at is not None:
        raise NotAllowed("relief.receipt_link")
    donation.receipt_used_at = timezone.now()
    donation.save(update_fields=["receipt_used_at"])
    log_activity(donation, "relief.receipt.downloaded", data={"via": "link"})
    return donation
