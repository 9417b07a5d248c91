"""Pledges, money received and money spent. Money received goes through membership's payment
providers (`members.payments.receive_money`: the manual provider with the bank reference, date,
amount and currency, each currency at its own precision) and stays restricted to its appeal;
expenses count once staff approve them, and never beyond the appeal's balance in their
currency, so the ledger always adds up."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import acting_user, require
from twinning.core.media import delete_stored, private_storage, store_upload
from twinning.core.services import log_activity
from twinning.core.uploads import PDF_LIMITS, Kind
from twinning.members.payments import currency_digits, receive_money
from twinning.network.models import Member
from twinning.relief.models import (
    FOLDER,
    MAX_QUANTITY,
    TOO_MANY,
    Appeal,
    Donation,
    Expense,
    LedgerTotal,
    Need,
    Pledge,
)
from twinning.relief.services.appeals import bump, follow_appeal
from twinning.relief.services.ledger import add_to_totals, bump_ledger
from twinning.relief.services.receipts import send_receipt_link


def exact_amount(value: Any, currency: str, field: str = "amount") -> Decimal:
    """`value` as an exact Decimal in `currency`'s precision (babel's digits, as membership's
    providers use); ValidationError for more decimals than the currency has or zero."""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({field: _("Enter an amount such as 120.50.")}) from None
    digits = currency_digits(currency)
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    if amount.scaleb(digits) != amount.scaleb(digits).to_integral_value():
        raise ValidationError(
            {
                field: _("%(currency)s has %(digits)d decimals.")
                % {"currency": currency, "digits": digits}
            }
        )
    return amount.quantize(Decimal(1).scaleb(-digits))


def _open(appeal: Appeal) -> None:
    if appeal.status != Appeal.Status.OPEN:
        raise ValidationError(_("This appeal is not open."))


@transaction.atomic
def record_pledge(
    *,
    appeal: Appeal,
    kind: str,
    name: str = "",
    member: Member | None = None,
    need: Need | None = None,
    amount: Any = None,
    currency: str = "",
    quantity: int | None = None,
    anonymous: bool = False,
    email: str = "",
    follow: bool = False,
    by: Any,
) -> Pledge:
    """A pledge of money or goods (against a confirmed need). A committee admin pledges for
    their own committee; organisers and staff record anyone's. The need's `pledged` count
    moves with F() under its row lock."""
    authenticated = getattr(by, "is_authenticated", False)
    if member is not None and authenticated and member.admins.filter(pk=by.pk).exists():
        require(by, "relief.pledge_appeal", appeal)
    else:
        require(by, "relief.organise_appeal", appeal)
    _open(appeal)
    if need is not None and (need.appeal_id != appeal.pk or need.confirmed_at is None):
        raise ValidationError({"need": _("Pledge against a need the partner side confirmed.")})
    public_name = (member.name if member is not None else name).strip()
    if not public_name and not anonymous:
        raise ValidationError({"name": _("Enter the name to show, or pledge anonymously.")})
    pledge = Pledge(
        appeal=appeal,
        kind=kind,
        member=member,
        need=need,
        name=public_name[:150],
        anonymous=anonymous,
        email=email.strip(),
        recorded_by=acting_user(by),
    )
    if kind == Pledge.Kind.MONEY:
        pledge.currency = (currency or appeal.currency).upper()
        pledge.amount = exact_amount(amount, pledge.currency)
    else:
        if need is None or need.kind == Need.Kind.MONEY:
            raise ValidationError({"need": _("Choose the need these goods are for.")})
        if not quantity or int(quantity) <= 0:
            raise ValidationError({"quantity": _("Enter how many you pledge.")})
        if int(quantity) > MAX_QUANTITY:
            raise ValidationError({"quantity": TOO_MANY % {"most": MAX_QUANTITY}})
        pledge.quantity = int(quantity)
    pledge.full_clean()
    pledge.save()
    # the appeal's row first (one lock order); the need's `pledged` is on the page
    bump(Appeal, appeal.pk, pledge_count=1, page_version=1)
    if pledge.quantity and need is not None:
        bump(Need, need.pk, pledged=pledge.quantity)
    if pledge.amount is not None:
        add_to_totals(appeal.pk, pledge.currency, pledged=pledge.amount)
    if follow:
        follow_appeal(appeal, pledge.email)
    log_activity(pledge, "relief.pledge.recorded", by=by, data={"kind": kind})
    return pledge


@transaction.atomic
def record_donation(
    *,
    appeal: Appeal,
    amount: Any,
    currency: str,
    received_on: datetime.date,
    reference: str = "",
    method: str = "bank_transfer",
    name: str = "",
    anonymous: bool = False,
    email: str = "",
    pledge: Pledge | None = None,
    need: Need | None = None,
    follow: bool = False,
    provider: str = "manual",
    by: Any,
) -> Donation:
    """Money received for the appeal, recorded by staff through the manual provider (bank
    reference, date, amount, currency at its own precision). Restricted to this appeal, and
    to one of its confirmed money needs if given (in the appeal's currency): the need's
    received money grows by it. In the same transaction: the appeal's totals and ledger
    version, and (for a donor with an e-mail) the receipt's link queued in the outbox."""
    require(by, "relief.manage")
    if appeal.status == Appeal.Status.DRAFT:
        raise ValidationError(_("Money is recorded for open or closed appeals only."))
    if pledge is not None and pledge.appeal_id != appeal.pk:
        raise ValidationError({"pledge": _("That pledge is for another appeal.")})
    if need is not None and (
        need.appeal_id != appeal.pk or need.kind != Need.Kind.MONEY or need.confirmed_at is None
    ):
        raise ValidationError({"need": _("Choose one of this appeal's confirmed money needs.")})
    if need is not None and str(currency).strip().upper() != appeal.currency:
        raise ValidationError(
            {
                "need": _("A money need counts gifts in %(currency)s only.")
                % {"currency": appeal.currency}
            }
        )
    received = receive_money(
        provider=provider,
        amount=amount,
        currency=currency,
        method=method,
        received_on=received_on,
        reference=reference,
    )
    public_name = (name or (pledge.name if pledge else "")).strip()
    if not public_name and not anonymous:
        raise ValidationError({"name": _("Enter the donor's name to show, or mark it anonymous.")})
    donation = Donation(
        appeal=appeal,
        pledge=pledge,
        name=public_name[:150],
        anonymous=anonymous or bool(pledge and pledge.anonymous),
        email=email.strip() or (pledge.email if pledge else ""),
        amount=received.amount,
        currency=received.currency,
        provider=received.provider,
        method=received.method,
        reference=received.reference,
        received_on=received.received_on,
        recorded_by=acting_user(by),
    )
    donation.need = need
    donation.full_clean()
    donation.save()
    bump_ledger(appeal.pk)  # the appeal's row first: one lock order for every money service
    add_to_totals(appeal.pk, donation.currency, received=donation.amount, donations=1)
    if need is not None:
        Need.objects.filter(pk=need.pk).update(received_money=F("received_money") + donation.amount)
    if donation.email:
        send_receipt_link(donation, author=by)
    if follow:
        follow_appeal(appeal, donation.email)
    log_activity(
        donation,
        "relief.donation.recorded",
        by=by,
        data={"amount": str(donation.amount), "currency": donation.currency},
    )
    return donation


def balance(appeal: Appeal, currency: str) -> Decimal:
    """Money in minus approved money out in `currency` (the running totals)."""
    total = LedgerTotal.objects.filter(appeal_id=appeal.pk, currency=currency).first()
    return total.balance if total else Decimal(0)


@transaction.atomic
def submit_expense(
    *,
    appeal: Appeal,
    description: str,
    amount: Any,
    currency: str,
    spent_on: datetime.date,
    receipt: Any,
    by: Any,
) -> Expense:
    """An expense with its receipt (a PDF or a photo, through the upload pipeline); organisers
    or staff. It counts in the ledger once staff approve it."""
    require(by, "relief.organise_appeal", appeal)
    if not description.strip():
        raise ValidationError({"description": _("Say what the money bought.")})
    code = (currency or appeal.currency).upper()
    value = exact_amount(amount, code)
    stored = store_upload(receipt, allowed=(Kind.PDF, Kind.IMAGE), limits=PDF_LIMITS, folder=FOLDER)
    main = stored.files.get("document") or stored.files["display"]
    delete_stored(private_storage, [f.name for f in stored.files.values() if f.name != main.name])
    expense = Expense(
        appeal=appeal,
        description=description.strip()[:200],
        amount=value,
        currency=code,
        spent_on=spent_on,
        receipt_name=main.name,
        receipt_mime=main.mime,
        receipt_display_name=stored.inspected.display_name[:200],
        submitted_by=acting_user(by),
    )
    try:
        expense.full_clean()
        expense.save()
    except Exception:
        delete_stored(private_storage, [main.name])
        raise
    log_activity(expense, "relief.expense.submitted", by=by, data={"amount": str(value)})
    return expense


@transaction.atomic
def decide_expense(*, expense: Expense, approve: bool, by: Any) -> Expense:
    """Staff approve an expense (only within the appeal's balance in its currency, so money
    out never exceeds money in) or reject it."""
    require(by, "relief.manage")
    # One decision at a time, and no donation recorded meanwhile (they lock this row too).
    Appeal.objects.select_for_update().get(pk=expense.appeal_id)
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    if expense.state != Expense.State.SUBMITTED:
        raise ValidationError(_("This expense was already decided."))
    if approve and balance(expense.appeal, expense.currency) < expense.amount:
        raise ValidationError(
            _("The appeal holds only %(balance)s %(currency)s: this expense cannot be approved.")
            % {"balance": balance(expense.appeal, expense.currency), "currency": expense.currency}
        )
    expense.state = Expense.State.APPROVED if approve else Expense.State.REJECTED
    expense.approved_by = acting_user(by) if approve else None
    expense.approved_at = timezone.now() if approve else None
    expense.save(update_fields=["state", "approved_by", "approved_at", "updated_at"])
    if approve:
        bump_ledger(expense.appeal_id)
        add_to_totals(expense.appeal_id, expense.currency, spent=expense.amount)
    log_activity(expense, f"relief.expense.{expense.state}", by=by)
    return expense
