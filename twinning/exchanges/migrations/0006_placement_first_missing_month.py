"""Each placement keeps the first month still missing a contact (`Placement.first_missing_month`),
so the dashboards' colour compares one column instead of counting every placement's contacts.
The existing placements get it from their contacts (the same rule as
`services.monitoring.first_missing_month`, which is pure)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from twinning.exchanges.services.monitoring import first_missing_month

    Placement = apps.get_model("exchanges", "Placement")
    MonthlyContact = apps.get_model("exchanges", "MonthlyContact")
    months: dict[int, dict[str, set]] = {}
    rows = MonthlyContact.objects.order_by().values_list("placement_id", "month", "contact_with")
    for placement, month, side in rows.iterator(chunk_size=5000):
        months.setdefault(placement, {}).setdefault(side, set()).add(month)
    changed = []
    for placement in Placement.objects.only("pk", "starts_on").iterator(chunk_size=2000):
        done = months.get(placement.pk, {})
        placement.first_missing_month = first_missing_month(
            starts_on=placement.starts_on,
            student_months=done.get("student", ()),
            family_months=done.get("family", ()),
        )
        changed.append(placement)
    Placement.objects.bulk_update(changed, ["first_missing_month"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0005_retention"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="first_missing_month",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="first month missing a contact"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="placement",
            name="first_missing_month",
            field=models.DateField(
                blank=True, editable=False, verbose_name="first month missing a contact"
            ),
        ),
    ]
