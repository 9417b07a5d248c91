"""The demo's students and entries (twinning/demo/showcase_entries.py), made through the
services: eligible communities only, consent answered for most, works generated."""

import datetime

from django.utils import timezone

from twinning.demo.showcase_entries import seed_students_and_entries
from twinning.showcase.models import Entry
from twinning.youth.models import Person


def test_seed_makes_the_entries_asked_for_with_works_ready(edition, staff_user, springfield):
    created = seed_students_and_entries(edition=edition, count=12, staff=staff_user)

    entries = Entry.objects.filter(edition=edition)
    assert created == 12
    assert entries.count() == 12
    assert set(entries.values_list("media_status", flat=True)) == {"ready"}
    assert entries.filter(state="submitted").exists()
    assert Person.objects.filter(
        consents__answers__scope="participation", consents__answers__granted_at__isnull=False
    ).exists()


def test_seed_is_idempotent(edition, staff_user):
    seed_students_and_entries(edition=edition, count=5, staff=staff_user)

    again = seed_students_and_entries(edition=edition, count=5, staff=staff_user)

    assert again == 0
    assert Entry.objects.count() == 5


def test_seed_into_a_closed_edition_restores_its_dates(edition, staff_user):
    from twinning.showcase.services import update_edition

    past = timezone.now() - datetime.timedelta(days=1)
    update_edition(
        edition=edition, opens_at=past - datetime.timedelta(days=20), closes_at=past, by=staff_user
    )

    seed_students_and_entries(edition=edition, count=3, staff=staff_user)

    edition.refresh_from_db()
    assert edition.closes_at == past
    assert Entry.objects.count() == 3
