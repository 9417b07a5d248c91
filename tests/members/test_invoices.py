"""Invoices: gapless numbers per year (also under concurrency), frozen once issued, credit
notes, partial payments and balances, the PDF."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from pypdf import PdfReader

from tests.conftest import verified
from tests.factories import MemberFactory
from twinning.members.models import Invoice, InvoiceLine, IssuedInvoiceError
from twinning.members.pdf import invoice_pdf
from twinning.members.services import credit_invoice, issue_invoice, record_payment

D = datetime.date
LINE = [("Membership dues", 1, "300.00")]


def _issue(member, by, lines=LINE):
    return issue_invoice(member=member, lines=lines, by=by)


def test_numbers_follow_each_other_and_restart_each_year(db, staff_user, association):
    member = MemberFactory()

    with time_machine.travel(datetime.datetime(2026, 12, 31, 17, tzinfo=datetime.UTC)):
        first, second = _issue(member, staff_user), _issue(member, staff_user)
    with time_machine.travel(datetime.datetime(2027, 1, 1, 17, tzinfo=datetime.UTC)):
        third = _issue(member, staff_user)

    assert [first.number, second.number, third.number] == ["2026-0001", "2026-0002", "2027-0001"]


def test_a_failed_issue_leaves_no_gap(db, staff_user, association):
    member = MemberFactory()
    _issue(member, staff_user)

    with pytest.raises(ValidationError):
        _issue(member, staff_user, lines=[("", 1, "10")])
    again = _issue(member, staff_user)

    assert again.sequence == 2


def test_lines_and_total(db, staff_user, association):
    invoice = _issue(
        MemberFactory(), staff_user, lines=[("Dues", 1, "300.00"), ("Conference seats", 3, "45.50")]
    )

    assert invoice.total == Decimal("436.50")
    assert [line.amount for line in invoice.lines.all()] == [Decimal("300.00"), Decimal("136.50")]
    assert invoice.currency == "USD"
    assert "Sister Cities Association" in invoice.issuer


@pytest.mark.parametrize(
    "lines", [[], [("Dues", 0, "10")], [("Dues", 1, "-5")], [("Dues", 1, "abc")]]
)
def test_bad_lines_are_refused(db, staff_user, association, lines):
    with pytest.raises(ValidationError):
        _issue(MemberFactory(), staff_user, lines=lines)

    assert not Invoice.objects.exists()


def test_an_issued_invoice_cannot_be_changed_or_deleted(db, staff_user, association):
    invoice = _issue(MemberFactory(), staff_user)

    invoice.total = Decimal("1.00")
    with pytest.raises(IssuedInvoiceError):
        invoice.save()
    with pytest.raises(IssuedInvoiceError):
        invoice.delete()
    line = invoice.lines.get()
    line.unit_price = Decimal("1.00")
    with pytest.raises(IssuedInvoiceError):
        line.save()
    with pytest.raises(IssuedInvoiceError):
        InvoiceLine(invoice=invoice, description="extra", unit_price=1, amount=1).save()

    assert Invoice.objects.get(pk=invoice.pk).total == Decimal("300.00")


def test_partial_payments_reduce_the_balance(db, staff_user, association):
    invoice = _issue(MemberFactory(), staff_user)

    with time_machine.travel(datetime.datetime(2026, 8, 3, 16, tzinfo=datetime.UTC)):
        record_payment(
            invoice=invoice, amount="100", method="cheque", received_on=D(2026, 8, 1), by=staff_user
        )
        record_payment(
            invoice=invoice,
            amount="50.25",
            method="bank_transfer",
            received_on=D(2026, 8, 2),
            by=staff_user,
        )

    assert Invoice.objects.with_balance().get(pk=invoice.pk).balance_due == Decimal("149.75")


@pytest.mark.parametrize("amount", ["0", "-1", "300.01", "NaN", "lots"])
def test_payments_beyond_the_balance_or_not_positive_are_refused(
    db, staff_user, association, amount
):
    invoice = _issue(MemberFactory(), staff_user)

    with pytest.raises(ValidationError):
        record_payment(
            invoice=invoice,
            amount=amount,
            method="cheque",
            received_on=D(2026, 1, 1),
            by=staff_user,
        )

    assert not invoice.payments.exists()


def test_credit_note_is_numbered_apart_and_reduces_the_balance(db, staff_user, association):
    invoice = _issue(MemberFactory(), staff_user)

    with time_machine.travel(datetime.datetime(2026, 8, 3, 16, tzinfo=datetime.UTC)):
        note = credit_invoice(
            invoice=invoice, amount="100", reason="Two communities merged", by=staff_user
        )

    assert note.number == "CN-2026-0001"
    assert note.kind == Invoice.Kind.CREDIT_NOTE
    assert Invoice.objects.with_balance().get(pk=invoice.pk).balance_due == Decimal("200.00")


def test_credit_beyond_what_is_owed_is_refused(db, staff_user, association):
    invoice = _issue(MemberFactory(), staff_user)
    record_payment(
        invoice=invoice, amount="250", method="cheque", received_on=D(2026, 1, 1), by=staff_user
    )

    with pytest.raises(ValidationError, match=r"at most 50\.00"):
        credit_invoice(invoice=invoice, amount="60", reason="Discount", by=staff_user)
    full = credit_invoice(invoice=invoice, reason="Discount", by=staff_user)

    assert full.total == Decimal("50.00")


def test_a_credit_note_cannot_take_payments(db, staff_user, association):
    invoice = _issue(MemberFactory(), staff_user)
    note = credit_invoice(invoice=invoice, reason="Error", by=staff_user)

    with pytest.raises(ValidationError):
        record_payment(
            invoice=note, amount="1", method="cheque", received_on=D(2026, 1, 1), by=staff_user
        )


def test_pdf_holds_both_parties_and_the_number(db, staff_user, association):
    invoice = _issue(MemberFactory(name="Shelbyville Friends"), staff_user)
    row = Invoice.objects.with_balance().get(pk=invoice.pk)

    data = invoice_pdf(row, paid=row.paid, credited=row.credited)

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert data.startswith(b"%PDF")
    assert invoice.number in text
    assert "Shelbyville Friends" in text
    assert "Sister Cities Association" in text
    assert "300.00 USD" in text


def _issue_concurrently(n, member_pk, staff_pk):
    from twinning.accounts.models import User
    from twinning.network.models import Member

    numbers, errors = [], []
    barrier = threading.Barrier(n)

    def work():
        try:
            barrier.wait()
            member = Member.objects.get(pk=member_pk)
            by = verified(User.objects.get(pk=staff_pk))  # as the staff's verified session
            numbers.append(_issue(member, by).sequence)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return numbers, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_on_postgresql_have_no_gap_and_no_duplicate(staff_user, association):
    member = MemberFactory()

    numbers, errors = _issue_concurrently(12, member.pk, staff_user.pk)

    assert errors == []
    assert sorted(numbers) == list(range(1, 13))


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_on_sqlite_have_no_gap_and_no_duplicate(staff_user, association):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL variant covers other databases")
    member = MemberFactory()

    numbers, errors = _issue_concurrently(6, member.pk, staff_user.pk)

    assert errors == []
    assert sorted(numbers) == list(range(1, 7))
