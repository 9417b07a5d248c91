"""Migration 0003: the running totals per appeal and currency, and the pledge counts, filled
from the donations, expenses and pledges that existed before the money services kept them."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from tests.relief.helpers import kept_totals, make_appeal, partner_city
from twinning.core.dates import association_today
from twinning.relief.models import Appeal, Donation, Expense, LedgerTotal, Pledge

pytestmark = pytest.mark.django_db

migration = importlib.import_module("twinning.relief.migrations.0003_fill_ledger_totals")


def _donation(appeal, amount, currency):
    Donation.objects.create(
        appeal=appeal,
        name="Ada",
        amount=Decimal(amount),
        currency=currency,
        provider="manual",
        method="bank_transfer",
        received_on=association_today(),
    )


def _expense(appeal, amount, currency, state):
    Expense.objects.create(
        appeal=appeal,
        description="Filters",
        amount=Decimal(amount),
        currency=currency,
        spent_on=association_today(),
        state=state,
        receipt_name="relief/r.pdf",
        receipt_mime="application/pdf",
        receipt_display_name="r.pdf",
    )


def _pledge(appeal, amount=None, currency=""):
    need = appeal.needs.first()
    Pledge.objects.create(
        appeal=appeal,
        kind="money" if amount else "goods",
        amount=Decimal(amount) if amount else None,
        currency=currency,
        need=None if amount else need,
        quantity=None if amount else 2,
        name="Springfield",
    )


def test_existing_rows_give_the_totals_per_appeal_and_currency_and_the_pledge_counts():
    flood = make_appeal(community=partner_city("Kragujevac").community)
    quiet = make_appeal(community=partner_city("Nis").community, title="Quiet appeal")
    # rows as they stood before the totals were kept: made without the money services
    _donation(flood, "10.00", "USD")
    _donation(flood, "25.50", "USD")
    _donation(flood, "7.000", "KWD")
    _expense(flood, "5.00", "USD", "approved")
    _expense(flood, "100.00", "USD", "submitted")  # neither submitted nor rejected count
    _expense(flood, "90.00", "USD", "rejected")
    _expense(flood, "1.250", "KWD", "approved")
    _pledge(flood, "40.00", "USD")
    _pledge(flood, "12", "EUR")
    _pledge(flood)  # goods: counted, no money
    assert not LedgerTotal.objects.exists()

    migration.fill(apps, None)

    assert kept_totals(flood) == {
        "USD": (Decimal("35.50"), Decimal("5.00"), Decimal("40.00"), 2),
        "KWD": (Decimal("7.000"), Decimal("1.250"), Decimal(0), 1),
        "EUR": (Decimal(0), Decimal(0), Decimal("12.00"), 0),
    }
    assert kept_totals(quiet) == {}
    counts = dict(Appeal.objects.values_list("pk", "pledge_count"))
    assert counts == {flood.pk: 3, quiet.pk: 0}


def test_an_empty_database_gets_no_totals():
    migration.fill(apps, None)

    assert not LedgerTotal.objects.exists()
