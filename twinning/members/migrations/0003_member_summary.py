"""The stored member summary (status, membership end, balance) the staff list pages on.

Existing members with a membership or an invoice get a row marked stale (valid until
1970-01-01): the first staff list, or the scheduled `refresh_member_status`, computes it with
the current rules, so this migration holds no copy of them."""

import datetime
from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

LONG_AGO = datetime.date(1970, 1, 1)


def mark_members_stale(apps, schema_editor):
    Member = apps.get_model("network", "Member")
    MemberSummary = apps.get_model("members", "MemberSummary")
    ids = (
        Member.objects.using(schema_editor.connection.alias)
        .filter(Q(memberships__isnull=False) | Q(invoices__isnull=False))
        .values_list("pk", flat=True)
        .distinct()
    )
    MemberSummary.objects.using(schema_editor.connection.alias).bulk_create(
        [MemberSummary(member_id=pk, computed_on=LONG_AGO, valid_until=LONG_AGO) for pk in ids],
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0002_online_payments'),
        ('network', '0004_api_tokens'),
    ]

    operations = [
        migrations.CreateModel(
            name='MemberSummary',
            fields=[
                ('member', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='summary', serialize=False, to='network.member')),
                ('status', models.CharField(blank=True, choices=[('pending', 'Applied, awaiting approval'), ('upcoming', 'Approved, not started yet'), ('current', 'Current'), ('grace', 'In grace'), ('expired', 'Expired'), ('cancelled', 'Cancelled'), ('declined', 'Declined')], max_length=10, null=True, verbose_name='status')),
                ('membership_end', models.DateField(blank=True, null=True, verbose_name='membership ends')),
                ('balance_owed', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=12, verbose_name='balance owed')),
                ('computed_on', models.DateField(verbose_name='computed for')),
                ('valid_until', models.DateField(blank=True, null=True, verbose_name='valid until')),
            ],
            options={
                'verbose_name': 'member summary',
                'verbose_name_plural': 'member summaries',
                'indexes': [models.Index(fields=['status'], name='membersummary_status'), models.Index(fields=['valid_until'], name='membersummary_valid_until'), models.Index(fields=['computed_on'], name='membersummary_computed_on')],
            },
        ),
        migrations.RunPython(mark_members_stale, migrations.RunPython.noop),
    ]
