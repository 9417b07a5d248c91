"""A work whose preparation was given up (DUR-4) shows "could not be prepared" to the student
and staff; verified staff, and nobody else, have it prepared again. A task that fails by
raising (its original lost) is given up the same way. The killed-worker path with real workers
is tests/showcase/test_killed_worker.py."""

import pytest
from django.urls import reverse

from tests.conftest import _client_for
from tests.factories import UserFactory
from tests.showcase.judging_helpers import add_judges, close
from tests.showcase.media import png_bytes, upload
from twinning.core.authz import NotAllowed
from twinning.core.media import private_storage
from twinning.core.models import ActivityLog
from twinning.showcase.models import Entry, EntryFile
from twinning.showcase.services import (
    attach_work,
    create_entry,
    give_up_derivatives,
    national_round,
    open_judging,
    prepare_work_again,
)

REASON = "Preparing the file was interrupted; staff can prepare it again."


def _entry_with_work(student, edition) -> Entry:
    entry = create_entry(
        student=student,
        category=edition.categories.get(slug="photography"),
        title="Harbour",
        alt_text="Boats",
        by=student.user,
    )
    return attach_work(entry=entry, upload=upload(png_bytes(), "h.png"), by=student.user)


@pytest.fixture
def failed_entry(student, edition) -> Entry:
    entry = _entry_with_work(student, edition)
    give_up_derivatives(entry_file_id=EntryFile.objects.get(entry=entry).pk, reason=REASON)
    entry.refresh_from_db()
    assert entry.media_status == Entry.MediaStatus.FAILED
    return entry


@pytest.fixture
def judge(edition, staff_user, failed_entry):
    close(edition)
    open_judging(edition=edition, by=staff_user)
    (user,) = add_judges(national_round(edition).round, 1, by=staff_user)
    return _client_for(user)


def _prepared_again(entry: Entry) -> int:
    return ActivityLog.objects.filter(
        action="showcase.entry.work_prepared_again", object_id=str(entry.pk)
    ).count()


def test_student_and_staff_see_the_failed_work_and_staff_prepare_it_again(
    failed_entry, student_client, staff, django_capture_on_commit_callbacks
):
    student_page = student_client.get(
        reverse("showcase:entry_detail", kwargs={"entry_id": failed_entry.pk})
    ).content.decode()
    assert "Your file could not be prepared" in student_page
    staff_url = reverse("showcase:staff_entry_detail", kwargs={"entry_id": failed_entry.pk})
    staff_page = staff.get(staff_url).content.decode()
    assert "Could not be prepared" in staff_page
    assert REASON in staff_page

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("showcase:staff_entry_prepare_again", kwargs={"entry_id": failed_entry.pk}),
            follow=True,
        )

    assert "The work is being prepared again." in response.content.decode()
    failed_entry.refresh_from_db()
    assert failed_entry.media_status == Entry.MediaStatus.READY
    assert EntryFile.objects.get(entry=failed_entry).error == ""
    assert _prepared_again(failed_entry) == 1
    assert "Prepare the work again" not in staff.get(staff_url).content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("student_client", 404),
        ("judge", 404),
        ("committee_admin", 404),
        ("staff_without_otp", 302),
    ],
)
def test_only_verified_staff_prepare_a_work_again(
    request, failed_entry, role, status, django_capture_on_commit_callbacks
):
    client = request.getfixturevalue(role)
    url = reverse("showcase:staff_entry_prepare_again", kwargs={"entry_id": failed_entry.pk})

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url)

    assert response.status_code == status
    if status == 302:
        assert "/accounts/" in response["Location"]  # to sign-in or the second factor
    failed_entry.refresh_from_db()
    assert failed_entry.media_status == Entry.MediaStatus.FAILED
    assert _prepared_again(failed_entry) == 0
    assert callbacks == []  # no task queued


def test_prepare_again_checks_its_actor(failed_entry, student, staff_user):
    unverified_staff = UserFactory(is_staff=True)
    for actor in (student.user, unverified_staff):
        with pytest.raises(NotAllowed):
            prepare_work_again(entry=failed_entry, by=actor)
    failed_entry.refresh_from_db()
    assert failed_entry.media_status == Entry.MediaStatus.FAILED

    prepare_work_again(entry=failed_entry, by=staff_user)
    failed_entry.refresh_from_db()
    assert failed_entry.media_status == Entry.MediaStatus.PROCESSING


def test_a_ready_work_is_not_prepared_again(student, edition, staff_user):
    from django.core.exceptions import ValidationError

    entry = _entry_with_work(student, edition)
    Entry.objects.filter(pk=entry.pk).update(media_status=Entry.MediaStatus.READY)

    with pytest.raises(ValidationError, match="not ready can be prepared again"):
        prepare_work_again(entry=entry, by=staff_user)


def test_a_derivative_task_that_fails_by_raising_leaves_being_prepared(
    student, edition, student_client, staff, django_capture_on_commit_callbacks
):
    """The original is gone from storage: the task raises, and the platform gives up on it
    (the give-up handler), so the entry does not wait for a task that will not run again."""
    with django_capture_on_commit_callbacks() as callbacks:
        entry = _entry_with_work(student, edition)
    private_storage.delete(EntryFile.objects.get(entry=entry).original_name)

    for callback in callbacks:  # the derivative task, on the immediate backend
        callback()

    entry.refresh_from_db()
    assert entry.media_status == Entry.MediaStatus.FAILED
    page = student_client.get(
        reverse("showcase:entry_detail", kwargs={"entry_id": entry.pk})
    ).content.decode()
    assert "Your file could not be prepared" in page
    assert "being prepared" not in page
