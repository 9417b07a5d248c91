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
from twinning.members.standing import standing_reasons
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


@dataclass(frozen=True)
class Standing:
    """A committee's good standing, read once (members.standing) for everything priced
    together: whether it holds, and in the committee's own words why not."""

    ok: bool
    refusals: list[str] = field(default_factory=list)


def standing_of(member: Member | None) -> Standing:
    """`member`'s good standing now, with the reasons its people do not get the member price."""
    if member is None:
        return Standing(
            ok=False,
            refusals=[_("The member price is for people of a member committee in good standing.")],
        )
    reasons = standing_reasons(member)
    return Standing(
        ok=all(reason.ok for reason in reasons),
        refusals=[reason.text for reason in reasons if not reason.ok],
    )


def member_price_refusals(member: Member | None) -> list[str]:
    """Why `member`'s people do not get the member price now ([] when they do)."""
    return standing_of(member).refusals


def quote(
    ticket: Ticket,
    *,
    member: Member | None = None,
    now: datetime.datetime | None = None,
    standing: Standing | None = None,
) -> Quote:
    """The price of `ticket` for a person of `member` (or of none) at `now`. `standing` is
    `member`'s good standing when the caller read it already (`standing_of(member)`, once for
    an order of many people or a page of many tickets); otherwise it is read here, and only
    for a ticket with a member price."""
    options = [(ticket.price, _("Regular price"))]
    if is_early_bird(ticket, now):
        until = date_format(timezone.localtime(ticket.early_bird_until), "DATE_FORMAT")
        options.append(
            (ticket.early_bird_price, _("Early-bird price until %(date)s") % {"date": until})  # type: ignore[arg-type]
        )
    refusals: list[str] = []
    if ticket.member_price is not None and member is not None:
        known = standing if standing is not None else standing_of(member)
        if known.ok:
            options.append(
                (
                    ticket.member_price,
                    _("Member price (%(member)s is in good standing)") % {"member": member.name},
                )
            )
        else:
            refusals = known.refusals
    price, reason = min(options, key=lambda option: option[0])
    return Quote(price=price, reason=reason, refusals=refusals)
