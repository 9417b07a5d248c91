"""Fill the running totals per appeal and currency, and the pledge counts, from the rows that
existed before they were kept (the same sums `services.ledger.rebuild_totals` computes)."""

from django.db import migrations
from django.db.models import Count, Sum


def fill(apps, schema_editor):
    Appeal = apps.get_model("relief", "Appeal")
    Donation = apps.get_model("relief", "Donation")
    Expense = apps.get_model("relief", "Expense")
    Pledge = apps.get_model("relief", "Pledge")
    LedgerTotal = apps.get_model("relief", "LedgerTotal")
    rows = {}

    def cell(appeal_id, currency):
        return rows.setdefault((appeal_id, currency), {})

    for r in Donation.objects.values("appeal_id", "currency").annotate(
        t=Sum("amount"), n=Count("pk")
    ).order_by():
        cell(r["appeal_id"], r["currency"]).update(received=r["t"], donations=r["n"])
    for r in (
        Expense.objects.filter(state="approved")
        .values("appeal_id", "currency")
        .annotate(t=Sum("amount"))
        .order_by()
    ):
        cell(r["appeal_id"], r["currency"])["spent"] = r["t"]
    for r in (
        Pledge.objects.filter(kind="money")
        .values("appeal_id", "currency")
        .annotate(t=Sum("amount"))
        .order_by()
    ):
        cell(r["appeal_id"], r["currency"])["pledged"] = r["t"]
    LedgerTotal.objects.bulk_create(
        [LedgerTotal(appeal_id=a, currency=c, **values) for (a, c), values in rows.items()]
    )
    for r in Pledge.objects.values("appeal_id").annotate(n=Count("pk")).order_by():
        Appeal.objects.filter(pk=r["appeal_id"]).update(pledge_count=r["n"])


class Migration(migrations.Migration):
    dependencies = [("relief", "0002_ledger_totals")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
