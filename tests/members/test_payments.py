"""Paying an invoice: the association's bank details and the reference to quote on the invoice
page and PDF, and Stripe Checkout through Stripe's official library, which talks over real HTTP
to a local fake Stripe server (tests/members/fake_stripe.py) that also signs webhook events."""

import io
from decimal import Decimal

import pytest
import requests
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from tests.factories import MemberFactory
from tests.members.fake_stripe import FakeStripe
from twinning.core.authz import SYSTEM
from twinning.core.models import ActivityLog, Association
from twinning.core.services import update_association
from twinning.members.models import CheckoutSession, Invoice, Payment
from twinning.members.payments import from_minor_units, online_providers, to_minor_units
from twinning.members.services import issue_invoice, record_payment

BANK = {
    "bank_account_holder": "Sister Cities Association",
    "bank_account_number": "de89 3704 0044 0532 0130 00",
    "bank_code": "COBADEFFXXX",
    "bank_name": "Commerzbank",
    "payment_instructions": "Cheques payable to Sister Cities Association.",
}


@pytest.fixture
def bank_details(staff_user, association, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the cached association renews
        return update_association(association=association, by=staff_user, **BANK)


@pytest.fixture
def fake_stripe(settings):
    server = FakeStripe(api_key="sk_test_twinning", webhook_secret="whsec_twinning").start()
    settings.STRIPE_SECRET_KEY = server.api_key
    settings.STRIPE_WEBHOOK_SECRET = server.webhook_secret
    settings.STRIPE_API_BASE = server.url
    yield server
    server.stop()


@pytest.fixture
def invoice(springfield_member, association, committee_admin_user):
    return issue_invoice(member=springfield_member, lines=[("Dues", 1, "300.00")], by=SYSTEM)


def _page(member, invoice):
    return f"/portal/{member.slug}/invoices/{invoice.number}/"


def _pay(client, member, invoice):
    return client.post(_page(member, invoice) + "pay/stripe/")


def _session_id(response):
    return response["Location"].rsplit("/", 1)[1]


# --- Amounts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("120.50", "USD", 12050), ("5000", "JPY", 5000), ("1.25", "BHD", 1250), ("0.01", "EUR", 1)],
)
def test_minor_units_use_each_currencys_digits_exactly(amount, currency, minor):
    assert to_minor_units(Decimal(amount), currency) == minor
    assert from_minor_units(minor, currency) == Decimal(amount)


def test_minor_units_refuse_an_amount_the_currency_cannot_express():
    with pytest.raises(ValidationError) as error:
        to_minor_units(Decimal("0.50"), "JPY")

    assert "JPY" in error.value.messages[0]


# --- Bank details ------------------------------------------------------------------------------


def test_bank_details_are_validated_and_audited(staff_user, association):
    update_association(association=association, by=staff_user, **BANK)

    saved = Association.objects.get()
    assert saved.bank_account_number == "DE89370400440532013000"
    assert saved.bank_account_display == "DE89 3704 0044 0532 0130 00"
    entry = ActivityLog.objects.get(action="core.association.changed")
    assert entry.actor == staff_user
    assert set(entry.data) == set(BANK)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (
            {"bank_account_holder": "X", "bank_account_number": "DE89370400440532013001"},
            "bank_account_number",
        ),
        ({"bank_account_holder": "X", "bank_account_number": "12"}, "bank_account_number"),
        ({"bank_code": "NOTABIC!"}, "bank_code"),
        ({"bank_code": "123456789"}, "bank_code"),  # nine digits with a wrong checksum
        ({"bank_account_number": "DE89370400440532013000"}, "bank_account_holder"),
    ],
)
def test_bank_details_with_a_mistake_are_refused_and_change_nothing(
    staff_user, association, fields, field
):
    with pytest.raises(ValidationError) as error:
        update_association(association=association, by=staff_user, **fields)

    assert field in error.value.message_dict
    assert Association.objects.get().bank_account_number == ""
    assert not ActivityLog.objects.filter(action="core.association.changed").exists()


def test_a_us_account_with_a_routing_number_is_accepted(staff_user, association):
    update_association(
        association=association,
        by=staff_user,
        bank_account_holder="Sister Cities International",
        bank_account_number="000123456789",
        bank_code="021000021",
    )

    assert Association.objects.get().bank_code == "021000021"


def test_invoice_page_shows_the_bank_details_and_the_reference_to_quote(
    committee_admin, springfield_member, invoice, bank_details
):

    html = committee_admin.get(_page(springfield_member, invoice)).content.decode()

    assert "How to pay" in html
    assert "DE89 3704 0044 0532 0130 00" in html
    assert "COBADEFFXXX" in html
    assert "Cheques payable to Sister Cities Association." in html
    assert f"Quote the reference <strong>{invoice.number}</strong>" in html


def test_staff_invoice_page_shows_the_same_bank_details(staff, invoice, bank_details):

    html = staff.get(f"/staff/invoices/{invoice.number}/").content.decode()

    assert "DE89 3704 0044 0532 0130 00" in html
    assert "Pay 300.00 USD now" not in html  # staff record payments; they do not pay


def test_invoice_pdf_prints_how_to_pay_with_the_reference(
    committee_admin, springfield_member, invoice, bank_details
):

    pdf = committee_admin.get(_page(springfield_member, invoice) + "pdf/").content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    assert "How to pay" in text
    assert f"Please quote the reference {invoice.number}" in text
    assert "IBAN or account number: DE89 3704 0044 0532 0130 00" in text
    assert "BIC or routing number: COBADEFFXXX" in text


def test_a_paid_invoice_no_longer_says_how_to_pay(
    committee_admin, springfield_member, invoice, bank_details
):
    record_payment(
        invoice=invoice, amount="300.00", method="cheque", received_on=invoice.issued_on, by=SYSTEM
    )

    html = committee_admin.get(_page(springfield_member, invoice)).content.decode()

    assert "How to pay" not in html


def test_without_bank_details_the_page_says_whom_to_write_to(
    committee_admin, springfield_member, invoice
):
    html = committee_admin.get(_page(springfield_member, invoice)).content.decode()

    assert "has not published its bank details yet" in html
    assert 'href="mailto:office@example.org"' in html


# --- Stripe Checkout ---------------------------------------------------------------------------


def test_the_online_provider_is_offered_only_when_configured(
    committee_admin, springfield_member, invoice, settings
):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""

    html = committee_admin.get(_page(springfield_member, invoice)).content.decode()
    refused = _pay(committee_admin, springfield_member, invoice)

    assert online_providers() == []
    assert "Pay 300.00 USD now" not in html
    assert refused.status_code == 404


def test_pay_sends_the_member_to_stripe_checkout_for_what_is_owed(
    committee_admin, committee_admin_user, springfield_member, invoice, fake_stripe
):
    html = committee_admin.get(_page(springfield_member, invoice)).content.decode()

    response = _pay(committee_admin, springfield_member, invoice)

    assert "Pay 300.00 USD now: Card, online (Stripe)" in html
    assert response.status_code == 302
    assert response["Location"].startswith(f"{fake_stripe.url}/pay/cs_test_")
    method, path, params = fake_stripe.requests[-1]
    assert (method, path) == ("POST", "/v1/checkout/sessions")
    assert params["mode"] == "payment"
    assert params["line_items"][0]["price_data"]["unit_amount"] == "30000"
    assert params["line_items"][0]["price_data"]["currency"] == "usd"
    assert params["metadata"] == {"invoice": invoice.number}
    assert params["success_url"].endswith(
        f"/invoices/{invoice.number}/pay/stripe/done/?checkout={{CHECKOUT_SESSION_ID}}"
    )
    checkout = CheckoutSession.objects.get()
    assert (checkout.external_id, checkout.amount, checkout.state) == (
        _session_id(response),
        Decimal("300.00"),
        "open",
    )
    assert checkout.started_by == committee_admin_user


def test_a_paid_checkout_is_recorded_from_the_signed_webhook(
    committee_admin, springfield_member, invoice, fake_stripe, anonymous
):
    session_id = _session_id(_pay(committee_admin, springfield_member, invoice))
    hosted = requests.get(f"{fake_stripe.url}/pay/{session_id}", allow_redirects=False, timeout=5)
    back = hosted.headers["Location"].split("://", 1)[1].split("/", 1)[1]

    returned = committee_admin.get("/" + back)
    event = fake_stripe.deliver(anonymous, "checkout.session.completed", session_id)

    assert "Thank you for your payment" in returned.content.decode()
    assert event.status_code == 200
    payment = Payment.objects.get()
    assert (payment.amount, payment.provider, payment.method) == (
        Decimal("300.00"),
        "stripe",
        "online",
    )
    assert payment.reference.startswith("pi_")
    assert Invoice.objects.with_balance().get(pk=invoice.pk).balance_due == 0
    assert CheckoutSession.objects.get().state == "paid"


def test_the_return_page_alone_records_nothing(
    committee_admin, springfield_member, invoice, fake_stripe
):
    session_id = _session_id(_pay(committee_admin, springfield_member, invoice))
    fake_stripe.pay(session_id)

    page = committee_admin.get(
        _page(springfield_member, invoice) + f"pay/stripe/done/?checkout={session_id}"
    )

    assert "Thank you for your payment" in page.content.decode()
    assert not Payment.objects.exists()


def test_the_same_event_twice_records_one_payment(
    committee_admin, springfield_member, invoice, fake_stripe, anonymous
):
    session_id = _session_id(_pay(committee_admin, springfield_member, invoice))
    fake_stripe.pay(session_id)
    payload, signature = fake_stripe.signed_event("checkout.session.completed", session_id)

    for _attempt in range(2):
        response = anonymous.post(
            "/payments/stripe/webhook/",
            data=payload,
            content_type="application/json",
            headers={"Stripe-Signature": signature},
        )
        assert response.status_code == 200

    assert Payment.objects.count() == 1
    assert ActivityLog.objects.filter(action="members.checkout.paid").count() == 1


def test_a_webhook_with_a_forged_signature_is_refused_and_records_nothing(
    committee_admin, springfield_member, invoice, fake_stripe, anonymous
):
    session_id = _session_id(_pay(committee_admin, springfield_member, invoice))
    fake_stripe.pay(session_id)

    forged = fake_stripe.deliver(
        anonymous, "checkout.session.completed", session_id, secret="whsec_someone_else"
    )
    unsigned = anonymous.post(
        "/payments/stripe/webhook/", data=b"{}", content_type="application/json"
    )

    assert (forged.status_code, unsigned.status_code) == (400, 400)
    assert not Payment.objects.exists()
    assert CheckoutSession.objects.get().state == "open"


def test_an_unpaid_event_or_another_applications_checkout_changes_nothing(
    committee_admin, springfield_member, invoice, fake_stripe, anonymous
):
    session_id = _session_id(_pay(committee_admin, springfield_member, invoice))
    fake_stripe.sessions["cs_test_elsewhere"] = {
        **fake_stripe.sessions[session_id],
        "id": "cs_test_elsewhere",
        "payment_status": "paid",
    }

    unpaid = fake_stripe.deliver(anonymous, "checkout.session.completed", session_id)
    foreign = fake_stripe.deliver(anonymous, "checkout.session.completed", "cs_test_elsewhere")

    assert (unpaid.status_code, foreign.status_code) == (200, 200)
    assert not Payment.objects.exists()


def test_an_expired_checkout_is_marked_expired(
    committee_admin, springfield_member, invoice, fake_stripe, anonymous
):
    session_id = _session_id(_pay(committee_admin, springfield_member, invoice))
    fake_stripe.expire(session_id)

    fake_stripe.deliver(anonymous, "checkout.session.expired", session_id)

    assert CheckoutSession.objects.get().state == "expired"
    assert not Payment.objects.exists()


def test_a_partial_balance_is_paid_online_after_a_manual_payment(
    committee_admin, springfield_member, invoice, fake_stripe, anonymous
):
    record_payment(
        invoice=invoice, amount="100.00", method="cheque", received_on=invoice.issued_on, by=SYSTEM
    )

    session_id = _session_id(_pay(committee_admin, springfield_member, invoice))
    fake_stripe.pay(session_id)
    fake_stripe.deliver(anonymous, "checkout.session.completed", session_id)

    assert fake_stripe.sessions[session_id]["amount_total"] == 20000
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [
        Decimal("100.00"),
        Decimal("200.00"),
    ]
    assert Invoice.objects.with_balance().get(pk=invoice.pk).balance_due == 0


def test_money_beyond_what_is_owed_is_kept_for_staff_not_recorded(  # noqa: PLR0917 - pytest fixtures
    committee_admin, springfield_member, invoice, fake_stripe, anonymous, staff
):
    session_id = _session_id(_pay(committee_admin, springfield_member, invoice))
    record_payment(
        invoice=invoice, amount="300.00", method="cheque", received_on=invoice.issued_on, by=SYSTEM
    )
    fake_stripe.pay(session_id)

    response = fake_stripe.deliver(anonymous, "checkout.session.completed", session_id)
    staff_html = staff.get(f"/staff/invoices/{invoice.number}/").content.decode()

    assert response.status_code == 200
    assert Payment.objects.count() == 1  # the cheque only
    checkout = CheckoutSession.objects.get()
    assert checkout.state == "attention"
    assert "300.00 USD received but not recorded" in checkout.problem
    assert "received but not recorded" in staff_html
    assert "Refund it at the provider" in staff_html


def test_a_second_click_reuses_the_open_checkout(
    committee_admin, springfield_member, invoice, fake_stripe
):
    first = _pay(committee_admin, springfield_member, invoice)
    second = _pay(committee_admin, springfield_member, invoice)

    assert first["Location"] == second["Location"]
    assert CheckoutSession.objects.count() == 1
    assert [r[:2] for r in fake_stripe.requests] == [
        ("POST", "/v1/checkout/sessions"),
        ("GET", f"/v1/checkout/sessions/{_session_id(first)}"),
    ]


def test_a_stripe_outage_says_so_and_opens_nothing(
    committee_admin, springfield_member, invoice, fake_stripe
):
    fake_stripe.failing = True

    response = _pay(committee_admin, springfield_member, invoice)
    page = committee_admin.get(response["Location"]).content.decode()

    assert response["Location"] == _page(springfield_member, invoice)
    assert "cannot be reached just now; nothing was charged" in page
    assert not CheckoutSession.objects.exists()


def test_an_invoice_in_yen_is_sent_in_whole_yen(
    committee_admin, springfield_member, association, fake_stripe, staff_user
):
    association.currency = "JPY"
    association.save()
    invoice = issue_invoice(member=springfield_member, lines=[("Dues", 1, "5000")], by=SYSTEM)

    _pay(committee_admin, springfield_member, invoice)

    params = fake_stripe.requests[-1][2]
    assert params["line_items"][0]["price_data"] == {
        "currency": "jpy",
        "unit_amount": "5000",
        "product_data": {"name": f"Invoice {invoice.number}, {springfield_member.name}"},
    }


def test_nothing_owed_cannot_be_paid(committee_admin, springfield_member, invoice, fake_stripe):
    record_payment(
        invoice=invoice, amount="300.00", method="cheque", received_on=invoice.issued_on, by=SYSTEM
    )

    response = _pay(committee_admin, springfield_member, invoice)

    assert (
        "Nothing is owed on this invoice."
        in committee_admin.get(response["Location"]).content.decode()
    )
    assert fake_stripe.requests == []


def test_the_cancel_page_says_nothing_was_charged(
    committee_admin, springfield_member, invoice, fake_stripe
):
    html = committee_admin.get(
        _page(springfield_member, invoice) + "pay/stripe/cancelled/"
    ).content.decode()

    assert "nothing was charged" in html
    assert "office@example.org" in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("public", 404),
        ("other_committee_admin", 404),
        ("staff", 404),
        ("committee_admin", 302),
    ],
)
def test_only_the_members_own_admins_may_pay_its_invoice(  # noqa: PLR0917 - pytest fixtures
    request, role, expected, springfield_member, invoice, fake_stripe
):
    client = request.getfixturevalue(role)

    response = _pay(client, springfield_member, invoice)

    assert response.status_code == expected
    opened = CheckoutSession.objects.exists()
    assert opened == (role == "committee_admin")
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


def test_another_members_invoice_cannot_be_paid_under_ones_own_member(
    committee_admin, springfield_member, other_committee_admin_user, association, fake_stripe
):
    other = MemberFactory()
    foreign = issue_invoice(member=other, lines=[("Dues", 1, "10")], by=SYSTEM)

    response = committee_admin.post(
        f"/portal/{springfield_member.slug}/invoices/{foreign.number}/pay/stripe/"
    )

    assert response.status_code == 404
    assert fake_stripe.requests == []


def test_the_invoice_page_with_payment_options_keeps_its_query_count(
    committee_admin, springfield_member, invoice, fake_stripe, django_assert_num_queries
):
    committee_admin.get(_page(springfield_member, invoice))  # warm the association cache

    with django_assert_num_queries(8):
        response = committee_admin.get(_page(springfield_member, invoice))

    assert "Pay 300.00 USD now" in response.content.decode()
