"""Writes on invoices (C4, C5): issuing with a gapless number per year, credit notes,
payments. An issued document never changes; money owed is corrected by a credit note."""

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import acting_user, require
from twinning.core.dates import association_today
from twinning.core.reverse import absolute_url
from twinning.core.services import get_association, log_activity
from twinning.members.models import (
    ZERO,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Membership,
    Payment,
)
from twinning.members.notify import billing_address, queue
from twinning.members.services.summary import refresh_member_summaries
from twinning.network.models import Member

CENT = Decimal("0.01")
NUMBER_FORMATS = {
    Invoice.Kind.INVOICE: "{year}-{n:04d}",
    Invoice.Kind.CREDIT_NOTE: "CN-{year}-{n:04d}",
}
DEFAULT_DUE_DAYS = 30


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount such as 120.00.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount such as 120.00.")})
    return amount


def next_number(kind: str, year: int) -> int:
    """Take the next number of `kind` in `year`. Must run inside the transaction that saves
    the document: the counter row stays locked until it commits, and a rollback gives the
    number back, so numbers have no gap and no duplicate under concurrency."""
    # INSERT ... ON CONFLICT DO NOTHING: two first invoices of a year cannot both create it.
    InvoiceCounter.objects.bulk_create(
        [InvoiceCounter(kind=kind, year=year)], ignore_conflicts=True
    )
    counter = InvoiceCounter.objects.select_for_update().get(kind=kind, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _issuer_text() -> str:
    association = get_association()
    parts = [
        association.name,
        association.address,
        association.email,
        association.phone,
        association.website,
    ]
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _billed_to_text(member: Member) -> str:
    lines = [member.name]
    communities = ", ".join(
        f"{c.name} ({c.country_id})" for c in member.communities.select_related("country")
    )
    if communities:
        lines.append(communities)
    billing = billing_address(member)
    if billing is not None:
        lines.append(_("Attn: %(name)s <%(email)s>") % {"name": billing[0], "email": billing[1]})
    return "\n".join(lines)


def _issue(invoice: Invoice, lines: list[tuple[str, Decimal, Decimal]], by: Any) -> Invoice:
    """Save a new document with its lines, then number it and mark it issued (frozen)."""
    invoice.currency = get_association().currency
    invoice.issuer = _issuer_text()
    invoice.billed_to = _billed_to_text(invoice.member)
    invoice.total = (
        sum((q * p).quantize(CENT, rounding=ROUND_HALF_UP) for _d, q, p in lines) or ZERO
    )
    invoice.full_clean(exclude=["number", "year", "sequence"])
    invoice.save()
    for description, quantity, unit_price in lines:
        line = InvoiceLine(
            invoice=invoice,
            description=description,
            quantity=quantity,
            unit_price=unit_price,
            amount=(quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP),
        )
        line.full_clean()
        line.save()
    now = timezone.now()
    invoice.issued_on = association_today()
    invoice.year = invoice.issued_on.year
    invoice.sequence = next_number(invoice.kind, invoice.year)
    invoice.number = NUMBER_FORMATS[invoice.kind].format(year=invoice.year, n=invoice.sequence)
    invoice.issued_at = now
    invoice.issued_by = acting_user(by)
    invoice.save()
    log_activity(
        invoice,
        f"members.{invoice.kind}.issued",
        by=by,
        data={"number": invoice.number, "total": str(invoice.total)},
    )
    _send(invoice)
    refresh_member_summaries([invoice.member_id])
    return invoice


def _send(invoice: Invoice) -> None:
    billing = billing_address(invoice.member)
    if billing is None:
        return
    queue(
        to=billing[1],
        template="members.invoice_issued",
        related=invoice,
        context={
            "person_name": billing[0],
            "member_name": invoice.member.name,
            "document": invoice.get_kind_display(),
            "number": invoice.number,
            "total": str(invoice.total),
            "currency": invoice.currency,
            "due_on": invoice.due_on.isoformat() if invoice.due_on else "",
            "invoice_url": absolute_url(
                reverse(
                    "members:portal_invoice_detail",
                    kwargs={"slug": invoice.member.slug, "number": invoice.number},
                )
            ),
        },
    )


def clean_lines(lines: Iterable[tuple[str, Any, Any]]) -> list[tuple[str, Decimal, Decimal]]:
    cleaned = []
    for description, quantity, unit_price in lines:
        if not str(description).strip():
            raise ValidationError({"lines": _("Each line needs a description.")})
        q, p = _money(quantity, "lines"), _money(unit_price, "lines")
        if q <= 0 or p < 0:
            raise ValidationError(
                {"lines": _("Quantities must be above zero and prices not negative.")}
            )
        cleaned.append((str(description).strip()[:300], q, p))
    if not cleaned:
        raise ValidationError({"lines": _("An invoice needs at least one line.")})
    return cleaned


@transaction.atomic
def issue_invoice(
    *,
    member: Member,
    lines: Iterable[tuple[str, Any, Any]],
    membership: Membership | None = None,
    due_on: datetime.date | None = None,
    note: str = "",
    by: Any,
) -> Invoice:
    """Issue an invoice (numbered YYYY-NNNN, without gaps) and e-mail the billing contact.
    `lines` are (description, quantity, unit price). Raises NotAllowed unless `by` is verified
    staff (or SYSTEM), ValidationError on bad lines."""
    require(by, "members.issue_invoice")
    cleaned = clean_lines(lines)
    if membership is not None and membership.member_id != member.pk:
        raise ValidationError({"membership": _("This membership is another member's.")})
    invoice = Invoice(
        kind=Invoice.Kind.INVOICE,
        member=member,
        membership=membership,
        due_on=due_on or association_today() + datetime.timedelta(days=DEFAULT_DUE_DAYS),
        note=note,
    )
    return _issue(invoice, cleaned, by)


def invoice_membership(*, membership: Membership, by: Any) -> Invoice:
    """The invoice for a membership's fee (staff or SYSTEM)."""
    require(by, "members.issue_invoice")
    description = _("Membership of %(member)s, %(start)s to %(end)s (%(type)s)") % {
        "member": membership.member.name,
        "start": membership.start.isoformat(),
        "end": membership.end.isoformat(),
        "type": membership.membership_type.name,
    }
    return issue_invoice(
        member=membership.member,
        membership=membership,
        lines=[(description, Decimal(1), membership.fee or ZERO)],
        by=by,
    )


def _locked_with_balance(invoice: Invoice) -> Invoice:
    # Lock the invoice row first, so two staff recording money on it at once are serialised.
    Invoice.objects.select_for_update().filter(pk=invoice.pk).values_list("pk").get()
    current = Invoice.objects.with_balance().select_related("member").get(pk=invoice.pk)
    # SQLite returns computed decimals unscaled: 50 rather than 50.00.
    current.balance_due = current.balance_due.quantize(CENT)
    return current


@transaction.atomic
def credit_invoice(*, invoice: Invoice, reason: str, amount: Any = None, by: Any) -> Invoice:
    """Issue a credit note (CN-YYYY-NNNN) for `amount` of `invoice` (default: all that is
    still owed). Raises ValidationError when the amount exceeds what is owed."""
    require(by, "members.issue_invoice")
    if invoice.kind != Invoice.Kind.INVOICE or not invoice.is_issued:
        raise ValidationError(_("Only an issued invoice can be credited."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the invoice is credited.")})
    current = _locked_with_balance(invoice)
    value = current.balance_due if amount in (None, "") else _money(amount, "amount")
    if value <= 0:
        raise ValidationError(
            {"amount": _("Nothing is owed on this invoice: there is nothing to credit.")}
        )
    if value > current.balance_due:
        raise ValidationError(
            {
                "amount": _("You can credit at most %(due)s, the amount still owed.")
                % {"due": current.balance_due}
            }
        )
    note = Invoice(
        kind=Invoice.Kind.CREDIT_NOTE,
        member=current.member,
        membership=current.membership,
        credits=current,
        note=reason.strip(),
    )
    line = _("Credit on invoice %(number)s: %(reason)s") % {
        "number": current.number,
        "reason": reason.strip(),
    }
    return _issue(note, [(line[:300], Decimal(1), value)], by)


@transaction.atomic
def record_payment(
    *,
    invoice: Invoice,
    amount: Any,
    method: str,
    received_on: datetime.date,
    reference: str = "",
    note: str = "",
    provider: str = "manual",
    by: Any,
) -> Payment:
    """Record money received against an invoice (part or all of what is owed). Raises
    ValidationError for a credit note, a non-positive amount, or more than is owed; NotAllowed
    unless `by` is verified staff or SYSTEM (a provider's confirmed checkout)."""
    require(by, "members.record_payment", invoice)
    if invoice.kind != Invoice.Kind.INVOICE or not invoice.is_issued:
        raise ValidationError(_("Payments are recorded against issued invoices only."))
    value = _money(amount, "amount")
    if value <= 0:
        raise ValidationError({"amount": _("A payment must be more than zero.")})
    if received_on > association_today():
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    current = _locked_with_balance(invoice)
    if value > current.balance_due:
        raise ValidationError(
            {
                "amount": _("Only %(due)s %(currency)s is still owed on this invoice.")
                % {"due": current.balance_due, "currency": current.currency}
            }
        )
    payment = Payment(
        invoice=current,
        amount=value,
        method=method,
        provider=provider,
        received_on=received_on,
        reference=reference.strip(),
        note=note.strip(),
        recorded_by=acting_user(by),
    )
    payment.full_clean()
    payment.save()
    log_activity(
        current,
        "members.payment.recorded",
        by=by,
        data={"amount": str(value), "method": method, "reference": reference},
    )
    refresh_member_summaries([current.member_id])
    return payment


def balance_of(invoice: Invoice) -> Decimal:
    return Invoice.objects.with_balance().get(pk=invoice.pk).balance_due.quantize(CENT)
