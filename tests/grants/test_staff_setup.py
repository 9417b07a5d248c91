"""Staff set up funding programs and their calls on their own pages (not the back office):
who pays, the budget, the shape and who may apply; a call's dates, ceiling, questions,
exchange rates and lump sums. Bad input is explained and changes nothing; other roles are
refused (404 or sign-in) and create nothing."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.grants.helpers import country, open_call, pair_program
from twinning.core.authz import SYSTEM
from twinning.grants.models import Call, Program
from twinning.grants.services import publish_decisions

pytestmark = pytest.mark.django_db

PROGRAM = {
    "name": "Leading Asia Program",
    "slug": "",
    "funder": "The Asia Fund",
    "description": "Joint projects of U.S. and Asian partner cities.",
    "budget": "250000",
    "currency": "usd",
    "themes": "Economic development; sustainability",
    "shape": "pair",
    "eligible_regions": ["asia"],
    "require_recognised_partnership": "on",
    "require_good_standing": "on",
}
CALL = {
    "title": "Call 2027",
    "slug": "",
    "opens_at": "2027-01-10T09:00",
    "closes_at": "2027-03-31T17:00",
    "max_per_application": "50000",
    "cofinancing_percent": "20",
    "questions": "What will you do?\nWho benefits?\n\n",
    "interim_report_months": "6",
    "final_report_months": "12",
    "rates": "jpy 0.0067\nKRW 0.00073",
    "lump_sums": "2 25 12000\n2 50 20000",
}


def test_staff_set_up_a_program_and_its_first_call_through_the_pages(staff):
    country("US")

    created = staff.post(reverse("grants:staff_program_new"), PROGRAM)
    program = Program.objects.get()
    called = staff.post(reverse("grants:staff_call_new", kwargs={"slug": program.slug}), CALL)
    call = Call.objects.get()
    listing = staff.get(reverse("grants:staff_call_list")).content.decode()

    assert created.url == reverse("grants:staff_call_new", kwargs={"slug": "leading-asia-program"})
    assert program.currency == "USD"
    assert program.themes == ["Economic development", "sustainability"]
    assert program.eligible_regions == ["asia"]
    assert called.url == reverse("grants:staff_call_detail", kwargs={"slug": "call-2027"})
    assert call.questions == ["What will you do?", "Who benefits?"]
    assert {r.currency: r.rate for r in call.rates.all()} == {
        "JPY": Decimal("0.0067"),
        "KRW": Decimal("0.00073"),
    }
    assert [(r.countries, r.participants, r.amount) for r in call.lump_sums.all()] == [
        (2, 25, Decimal("12000")),
        (2, 50, Decimal("20000")),
    ]
    assert "Leading Asia Program" in listing and "Call 2027" in listing


def test_a_call_page_shows_its_rates_and_lump_sums_for_editing(staff):
    call = open_call(pair_program(), lump_sums=[(2, 30, Decimal("15000"))])

    page = staff.get(reverse("grants:staff_call_edit", kwargs={"slug": call.slug}))

    assert "CAD 0.73" in page.content.decode()
    assert "2 30 15000.00" in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rates", "CAD zero", "Line 1: write a currency code and a rate above zero"),
        ("rates", "CAD 0.7\ncad 0.8", "Line 2: CAD is given twice."),
        ("rates", "EURO 1.1", "Line 1: write a currency code"),
        ("lump_sums", "4 25 12000", "Line 1: write countries (2 or 3)"),
        ("lump_sums", "2 25 100\n2 25 200", "Line 2: this row of countries and participants"),
        ("closes_at", "2027-01-01T09:00", "A call closes after it opens."),
        ("max_per_application", "-5", "greater than or equal to 0"),
    ],
)
def test_a_bad_call_is_explained_and_creates_nothing(staff, field, value, message):
    program = pair_program()

    page = staff.post(
        reverse("grants:staff_call_new", kwargs={"slug": program.slug}), CALL | {field: value}
    )

    assert page.status_code == 200
    assert message in page.content.decode().replace("&quot;", '"')
    assert not Call.objects.exists()


def test_a_bad_program_is_explained_and_creates_nothing(staff):
    page = staff.post(
        reverse("grants:staff_program_new"),
        PROGRAM | {"currency": "dollars", "shape": "trio", "required_countries": []},
    )

    assert page.status_code == 200
    assert "Ensure this value has at most 3 characters" in page.content.decode()
    assert not Program.objects.exists()


def test_staff_change_a_programs_budget_and_a_calls_rates(staff):
    program = pair_program()
    call = open_call(program)

    staff.post(
        reverse("grants:staff_program_edit", kwargs={"slug": program.slug}),
        PROGRAM | {"name": program.name, "slug": program.slug, "budget": "400000"},
    )
    staff.post(
        reverse("grants:staff_call_edit", kwargs={"slug": call.slug}),
        CALL | {"slug": call.slug, "rates": "KES 0.0080", "lump_sums": ""},
    )

    program.refresh_from_db()
    assert program.budget == Decimal("400000")
    assert {r.currency: r.rate for r in call.rates.all()} == {"KES": Decimal("0.0080")}


def test_the_rates_can_no_longer_change_once_the_decisions_are_published(staff):
    call = open_call(pair_program())
    publish_decisions(call=call, by=SYSTEM)

    page = staff.post(
        reverse("grants:staff_call_edit", kwargs={"slug": call.slug}),
        CALL | {"slug": call.slug, "rates": "KES 1"},
    )

    assert "the exchange rates can no longer change" in page.content.decode()
    assert call.rates.get(currency="KES").rate == Decimal("0.0077")


@pytest.mark.parametrize(
    "client_name",
    ["anonymous", "public", "committee_admin", "other_committee_admin", "staff_without_otp"],
)
def test_other_roles_may_not_set_up_programs_or_calls(request, client_name):
    client = request.getfixturevalue(client_name)
    program = pair_program()
    call = open_call(program)

    answers = [
        client.post(reverse("grants:staff_program_new"), PROGRAM | {"name": "Mine"}),
        client.post(reverse("grants:staff_call_new", kwargs={"slug": program.slug}), CALL),
        client.post(
            reverse("grants:staff_call_edit", kwargs={"slug": call.slug}),
            CALL | {"slug": call.slug, "rates": "KES 5"},
        ),
        client.get(reverse("grants:staff_program_edit", kwargs={"slug": program.slug})),
    ]

    assert {a.status_code for a in answers} <= {302, 404}
    assert Program.objects.count() == 1 and Call.objects.count() == 1
    assert call.rates.get(currency="KES").rate == Decimal("0.0077")


def test_the_program_list_keeps_its_query_count_as_programs_grow(staff):
    pair_program()
    url = reverse("grants:staff_call_list")
    staff.get(url)
    with CaptureQueriesContext(connection) as one:
        staff.get(url)
    for n in range(4):
        open_call(pair_program(slug=f"p{n}", name=f"Program {n}"), slug="x")

    with CaptureQueriesContext(connection) as five:
        staff.get(url)

    assert len(five) == len(one)
