"""Privacy (PRIV-10, PRIV-11, PRIV-12): the access export, erasure that keeps scores anonymised, and
retention at expiry -1 day and +1 day (time-machine), unconsented accounts after 30 days."""

import datetime

import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.showcase.conftest import make_student
from tests.showcase.media import png_bytes, upload
from twinning.accounts.models import User
from twinning.core.media import private_storage
from twinning.core.models import ActivityLog
from twinning.outbox.models import OutboxMessage
from twinning.showcase.models import Entry, EntryFile
from twinning.showcase.privacy import (
    apply_edition_retention,
    execute_erasure,
    export_student_data,
    request_erasure,
    retention_due_on,
)
from twinning.showcase.services import attach_work, create_entry, make_derivatives, submit_entry
from twinning.youth.models import Consent, Person


def _entry_with_file(student, edition, slug="photography", title="Lighthouse"):
    entry = create_entry(
        student=student,
        category=edition.categories.get(slug=slug),
        title=title,
        alt_text="A lighthouse",
        by=student.user,
    )
    attach_work(entry=entry, upload=upload(png_bytes(), "canary-file.png"), by=student.user)
    make_derivatives(entry_file=EntryFile.objects.get(entry=entry))
    return submit_entry(entry=Entry.objects.get(pk=entry.pk), by=student.user)


def _at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    )


def test_export_holds_the_students_data_and_no_one_elses(student, other_student, edition):
    _entry_with_file(student, edition)
    _entry_with_file(other_student, edition, title="Other work")

    data = export_student_data(student)

    assert data["student"]["last_name"] == "Lovelace"
    assert data["student"]["school"] == "Canary High School"
    assert [e["title"] for e in data["entries"]] == ["Lighthouse"]
    assert data["entries"][0]["file"]["name"] == "canary-file.png"
    assert data["consents"][0]["notice_sha256"]
    flat = repr(data)
    assert "Hopper" not in flat
    assert "Other work" not in flat
    assert "token" not in flat


def test_erasure_removes_personal_data_and_files_but_keeps_the_entry_row(
    student, edition, staff_user, django_capture_on_commit_callbacks
):
    entry = _entry_with_file(student, edition)
    names = EntryFile.objects.get(entry=entry).storage_names()
    user_pk = student.user.pk
    erasure = request_erasure(student=student, requested_by="student")

    with django_capture_on_commit_callbacks(execute=True):
        execute_erasure(request=erasure, by=staff_user)

    anonymous_entry = Entry.objects.get(pk=entry.pk)
    assert anonymous_entry.student is None
    assert anonymous_entry.title == ""
    assert anonymous_entry.erased_at is not None
    assert not Person.objects.exists()
    assert not Consent.objects.exists()
    assert not User.objects.filter(pk=user_pk).exists()
    assert not EntryFile.objects.exists()
    assert not any(private_storage.exists(name) for name in names)
    assert not OutboxMessage.objects.filter(body__contains="Ada").exists()
    logs = ActivityLog.objects.filter(action__startswith="showcase.").exclude(data={})
    assert "Lovelace" not in repr(list(logs.values_list("data", flat=True)))


def test_erasure_keeps_scores_and_anonymises_the_review_item(student, edition, staff_user):
    from twinning.review.models import ReviewItem
    from twinning.review.services import add_items, create_round

    entry = _entry_with_file(student, edition)
    now = timezone.now()
    review_round = create_round(
        name="National",
        model=Entry,
        opens_at=now,
        closes_at=now + datetime.timedelta(days=3),
        by=staff_user,
    )
    add_items(round=review_round, objects=[entry], by=staff_user)

    execute_erasure(request=request_erasure(student=student, requested_by="student"), by=staff_user)

    item = ReviewItem.objects.get()
    assert item.conflict_keys == []
    assert "Lighthouse" not in item.title
    assert item.object_id == str(entry.pk)


def test_retention_one_day_before_expiry_keeps_everything(student, edition):
    _entry_with_file(student, edition)
    due = retention_due_on(edition)

    with _at(due - datetime.timedelta(days=1)):
        reduced = apply_edition_retention(edition=edition, today=due - datetime.timedelta(days=1))

    assert reduced == 0
    assert Entry.objects.count() == 1
    assert Person.objects.count() == 1


def test_retention_one_day_after_expiry_leaves_counts_only(
    student, edition, django_capture_on_commit_callbacks
):
    entry = _entry_with_file(student, edition)
    names = EntryFile.objects.get(entry=entry).storage_names()
    day = retention_due_on(edition) + datetime.timedelta(days=1)

    with _at(day), django_capture_on_commit_callbacks(execute=True):
        reduced = apply_edition_retention(edition=edition, today=day)

    edition.refresh_from_db()
    assert reduced == 1
    assert Entry.objects.count() == 0
    assert Person.objects.count() == 0
    assert not any(private_storage.exists(name) for name in names)
    assert edition.retained_counts == {"photography": {"submitted": 1}}


def test_retention_is_twelve_months_after_closing_by_default(edition):
    closes = timezone.localtime(edition.closes_at).date()

    due = retention_due_on(edition)

    assert (due.year - closes.year) * 12 + due.month - closes.month == 12


def test_unconsented_account_survives_29_days_and_goes_after_30(edition, springfield):
    pending = make_student(edition, springfield)
    created = pending.created_at

    with time_machine.travel(created + datetime.timedelta(days=29)):
        call_command("showcase_retention", verbosity=0)
    assert Person.objects.filter(pk=pending.pk).exists()

    with time_machine.travel(created + datetime.timedelta(days=31)):
        call_command("showcase_retention", verbosity=0)
    assert not Person.objects.filter(pk=pending.pk).exists()
    assert not User.objects.filter(email=pending.user.email).exists()


def test_consented_account_is_kept_after_30_days(student):
    with time_machine.travel(student.created_at + datetime.timedelta(days=40)):
        call_command("showcase_retention", verbosity=0)

    assert Person.objects.filter(pk=student.pk).exists()


def test_erasure_request_is_due_a_month_later(student):
    erasure = request_erasure(student=student, requested_by="student")

    assert (erasure.due_on - erasure.requested_at.date()).days in (28, 29, 30, 31)
    assert request_erasure(student=student, requested_by="guardian").pk == erasure.pk
