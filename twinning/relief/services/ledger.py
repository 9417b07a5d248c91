"""The ledger's running totals and its CSV snapshot.

The money services call `add_to_totals` and `bump_ledger` inside their own transaction, so the
totals per appeal and currency (money in, approved money out, money pledged, donations) and
the ledger's version move with the rows they count, and F() keeps them exact under concurrent
writers. Pages read the totals instead of summing thousands of rows.

The ledger's CSV is built once per version (`ledger_snapshot`) into private storage and served
from there until a money service moves the version on; older snapshots are then deleted."""

import logging
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum

from twinning.core.exports import csv_text
from twinning.core.media import delete_stored, private_storage, store_bytes
from twinning.relief.models import (
    FOLDER,
    Appeal,
    Donation,
    Expense,
    LedgerSnapshot,
    LedgerTotal,
    Need,
    Pledge,
)

logger = logging.getLogger(__name__)
ZERO = Decimal(0)


def add_to_totals(appeal_id: int, currency: str, **amounts: Decimal | int) -> None:
    """Part of a money service: add `amounts` (received, spent, pledged, donations) to the
    appeal's totals in `currency`, creating the row the first time. The row is locked until
    the caller's transaction ends and the addition is an F() expression, so concurrent
    services add up exactly."""
    total, _created = LedgerTotal.objects.select_for_update().get_or_create(
        appeal_id=appeal_id, currency=currency
    )
    LedgerTotal.objects.filter(pk=total.pk).update(**{f: F(f) + v for f, v in amounts.items()})


def bump_ledger(appeal_id: int) -> None:
    """Part of a money service that changes the ledger: a new version (the CSV snapshot's
    key), under the appeal's row lock until the transaction ends."""
    Appeal.objects.filter(pk=appeal_id).update(ledger_version=F("ledger_version") + 1)


@transaction.atomic
def rebuild_totals(appeals: Any = None) -> int:
    """Recompute the totals, pledge counts and money needs' receipts from the rows (the
    demo, repairs). Returns the number of appeals rebuilt."""
    appeals = list(Appeal.objects.select_for_update().filter(pk__in=_ids(appeals)))
    ids = [a.pk for a in appeals]
    LedgerTotal.objects.filter(appeal_id__in=ids).delete()
    rows: dict[tuple[int, str], dict[str, Any]] = {}

    def cell(appeal_id: int, currency: str) -> dict[str, Any]:
        return rows.setdefault((appeal_id, currency), {})

    for r in (
        Donation.objects.filter(appeal_id__in=ids)
        .values("appeal_id", "currency")
        .annotate(t=Sum("amount"), n=Count("pk"))
        .order_by()
    ):
        cell(r["appeal_id"], r["currency"]).update(received=r["t"], donations=r["n"])
    for r in (
        Expense.objects.approved()
        .filter(appeal_id__in=ids)
        .values("appeal_id", "currency")
        .annotate(t=Sum("amount"))
        .order_by()
    ):
        cell(r["appeal_id"], r["currency"])["spent"] = r["t"]
    for r in (
        Pledge.objects.filter(appeal_id__in=ids, kind=Pledge.Kind.MONEY)
        .values("appeal_id", "currency")
        .annotate(t=Sum("amount"))
        .order_by()
    ):
        cell(r["appeal_id"], r["currency"])["pledged"] = r["t"]
    LedgerTotal.objects.bulk_create(
        [LedgerTotal(appeal_id=a, currency=c, **values) for (a, c), values in rows.items()]
    )
    counts = dict(
        Pledge.objects.filter(appeal_id__in=ids)
        .values("appeal_id")
        .annotate(n=Count("pk"))
        .values_list("appeal_id", "n")
        .order_by()
    )
    for appeal in appeals:
        Appeal.objects.filter(pk=appeal.pk).update(
            pledge_count=counts.get(appeal.pk, 0),
            ledger_version=F("ledger_version") + 1,
            page_version=F("page_version") + 1,  # the money needs' received, below
        )
    money = dict(
        Donation.objects.filter(appeal_id__in=ids, need__isnull=False)
        .values("need_id")
        .annotate(t=Sum("amount"))
        .values_list("need_id", "t")
        .order_by()
    )
    for need in Need.objects.filter(appeal_id__in=ids, kind=Need.Kind.MONEY):
        Need.objects.filter(pk=need.pk).update(received_money=money.get(need.pk, ZERO))
    return len(ids)


def _ids(appeals: Any) -> list[int]:
    if appeals is None:
        return list(Appeal.objects.values_list("pk", flat=True))
    return [a.pk for a in appeals]


LEDGER_HEADER = ("date", "direction", "who or what", "amount", "currency")


def ledger_csv_text(appeal: Appeal) -> str:
    """The whole public ledger as CSV (core's formula-safe writer): money in by public name
    or "Anonymous", money out by what it bought, then the balance per currency, added up from
    the very lines above it. Never an e-mail or an address."""
    from twinning.relief.queries import ANONYMOUS, exact

    sums: dict[str, Decimal] = {}
    rows: list[tuple[Any, ...]] = []
    anonymous = str(ANONYMOUS)
    for on, name, hidden, amount, currency in (
        Donation.objects.filter(appeal=appeal)
        .order_by("received_on", "pk")
        .values_list("received_on", "name", "anonymous", "amount", "currency")
    ):
        sums[currency] = sums.get(currency, ZERO) + amount
        rows.append(
            (on.isoformat(), "in", anonymous if hidden else name, exact(amount, currency), currency)
        )
    for on, what, amount, currency in (
        Expense.objects.approved()
        .filter(appeal=appeal)
        .order_by("spent_on", "pk")
        .values_list("spent_on", "description", "amount", "currency")
    ):
        sums[currency] = sums.get(currency, ZERO) - amount
        rows.append((on.isoformat(), "out", what, -exact(amount, currency), currency))
    rows.extend(
        ("", "balance", "", exact(sums[c], c), c)
        for c in sorted(sums, key=lambda c: (c != appeal.currency, c))
    )
    return csv_text(LEDGER_HEADER, rows)


def ledger_snapshot(appeal: Appeal) -> LedgerSnapshot:
    """The stored CSV of the appeal's current ledger version: the one kept, or built now
    (once: a second request building the same version at the same moment keeps the first's
    and deletes its own file). Snapshots of older versions are deleted."""
    version = Appeal.objects.filter(pk=appeal.pk).values_list("ledger_version", flat=True).get()
    found = LedgerSnapshot.objects.filter(appeal=appeal, version=version).first()
    if found is not None:
        return found
    name = store_bytes(
        ledger_csv_text(appeal).encode("utf-8"), extension="csv", folder=f"{FOLDER}/ledgers"
    )
    try:
        with transaction.atomic():
            snapshot = LedgerSnapshot.objects.create(appeal=appeal, version=version, file_name=name)
    except IntegrityError:
        delete_stored(private_storage, [name])
        return LedgerSnapshot.objects.get(appeal=appeal, version=version)
    old = LedgerSnapshot.objects.filter(appeal=appeal, version__lt=version)
    names = list(old.values_list("file_name", flat=True))
    old.delete()
    delete_stored(private_storage, names)
    logger.info("relief: ledger of appeal %s built at version %s", appeal.pk, version)
    return snapshot
