"""Ticket prices: the regular price, the early-bird price until its date, and the member price
for people of a member committee in good standing (members.standing answers that, with the
reasons shown to whoever is refused it). The lowest price a person is entitled to applies."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from twinning.events.models import Ticket
from twinning.members.standing import is_in_good_standing, standing_reasons
from twinning.network.models import Member


@dataclass(frozen=True)
class Quote:
    """What one person pays for one ticket, and why. `refusals` explains, in a committee's
    own words, why the member price was not given (empty when it was, or not asked)."""

    price: Decimal
    reason: str
    refusals: list[str] = field(default_factory=list)


def is_early_bird(ticket: Ticket, now: datetime.datetime | None = None) -> bool:
    moment = now or timezone.now()
    return (
        ticket.early_bird_price is not None
        and ticket.early_bird_until is not None
        and moment <= ticket.early_bird_until
    )


def member_price_refusals(member: Member | None) -> list[str]:
    """Why `member`'s people do not get the member price now ([] when they do)."""
    if member is None:
        return [_("The member price is for people of a member committee in good standing.")]
    return [reason.text for reason in standing_reasons(member) if not reason.ok]


def quote(
    ticket: Ticket,
    *,
    member: Member | None = None,
    now: datetime.datetime | None = None,
    standing: bool | None = None,
) -> Quote:
    """The price of `ticket` for a person of `member` (or of none) at `now`. `standing` may be
    given when the caller already knows the member's good standing (a delegation of many)."""
    options = [(ticket.price, _("Regular price"))]
    if is_early_bird(ticket, now):
        until = date_format(timezone.localtime(ticket.early_bird_until), "DATE_FORMAT")
        options.append(
            (ticket.early_bird_price, _("Early-bird price until %(date)s") % {"date": until})  # type: ignore[arg-type]
        )
    refusals: list[str] = []
    if ticket.member_price is not None:
        in_standing = (
            standing
            if standing is not None
            else (member is not None and is_in_good_standing(member))
        )
        if member is not None and in_standing:
            options.append(
                (
                    ticket.member_price,
                    _("Member price (%(member)s is in good standing)") % {"member": member.name},
                )
            )
        elif member is not None:
            refusals = member_price_refusals(member)
    price, reason = min(options, key=lambda option: option[0])
    return Quote(price=price, reason=reason, refusals=refusals)
