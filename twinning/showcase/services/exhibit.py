"""The travelling exhibit's bookings."""

import datetime
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import acting_user
from twinning.core.dates import association_today
from twinning.core.services import log_activity
from twinning.network.models import Member
from twinning.showcase.models import Booking, Edition
from twinning.showcase.services.judging import _require_admin_of

BOOKING_MONTHS_AHEAD = 36


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@transaction.atomic
def book_exhibit(
    *, edition: Edition, member: Member, month: datetime.date, venue: str = "", by: Any
) -> Booking:
    """Book the edition's finalist set for a calendar month for a member committee. The
    edition row is locked while checking, so two committees asking for the same month at once
    get one booking and one clear refusal; the partial unique constraint holds it anyway.
    Raises NotAllowed unless `by` administers the member, ValidationError for a month taken,
    past, too far ahead, or before the results are published."""
    _require_admin_of(by, member)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    month = first_of_month(month)
    if not edition.results_published:
        raise ValidationError(_("The exhibit can be booked once the results are published."))
    today = association_today()
    if month < first_of_month(today):
        raise ValidationError({"month": _("Choose this month or a later one.")})
    if month > first_of_month(today) + relativedelta(months=BOOKING_MONTHS_AHEAD):
        raise ValidationError(
            {"month": _("Bookings open at most %(n)s months ahead.") % {"n": BOOKING_MONTHS_AHEAD}}
        )
    taken = _("%(month)s is already booked; choose another month.") % {
        "month": month.strftime("%Y-%m")
    }
    if Booking.objects.active().filter(edition=edition, month=month).exists():
        raise ValidationError({"month": taken})
    booking = Booking(
        edition=edition, member=member, month=month, venue=venue.strip(), booked_by=acting_user(by)
    )
    booking.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        raise ValidationError({"month": taken}) from error
    log_activity(booking, "showcase.booking.created", by=by, data={"month": month.isoformat()})
    return booking


@transaction.atomic
def cancel_booking(*, booking: Booking, by: Any) -> Booking:
    _require_admin_of(by, booking.member)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.cancelled_at is None:
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["cancelled_at", "updated_at"])
        log_activity(booking, "showcase.booking.cancelled", by=by)
    return booking


def bookable_members(user: Any) -> Iterable[Member]:
    return Member.objects.administered_by(user).order_by("name")
