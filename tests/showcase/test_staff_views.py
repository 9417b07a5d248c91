"""Staff pages of the showcase's student side: editions, entries with filters, counts and
consent status, approval for publication (PRIV-20), erasure requests (PRIV-11); role tests."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.showcase.conftest import make_student
from tests.showcase.media import png_bytes, upload
from twinning.core.models import ActivityLog
from twinning.core.services import get_association
from twinning.showcase.models import Edition, Entry, EntryFile, ErasureRequest
from twinning.showcase.privacy import request_erasure
from twinning.showcase.services import attach_work, create_entry, make_derivatives, submit_entry


def _submitted(student, edition, title="Harbour"):
    entry = create_entry(
        student=student,
        category=edition.categories.get(slug="photography"),
        title=title,
        alt_text="Boats",
        by=student.user,
    )
    attach_work(entry=entry, upload=upload(png_bytes(), "h.png"), by=student.user)
    make_derivatives(entry_file=EntryFile.objects.get(entry=entry))
    return submit_entry(entry=Entry.objects.get(pk=entry.pk), by=student.user)


def test_staff_create_an_edition_with_times_in_the_association_zone(staff, good_standing):
    response = staff.post(
        reverse("showcase:staff_edition_create"),
        {
            "year": 2027,
            "theme": "Rivers",
            "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-03-31T23:59",
            "cutoff_date": "2027-03-31",
            "age_min": 13,
            "age_max": 18,
            "entries_per_category": 1,
            "retention_months": 12,
            "local_forward_limit": 5,
        },
    )

    edition = Edition.objects.get(theme="Rivers")
    assert response.status_code == 302
    assert edition.categories.count() == 6
    zone = ZoneInfo(get_association().time_zone)
    assert edition.opens_at.astimezone(zone).hour == 9
    assert edition.opens_at.utcoffset() is not None


def test_staff_edition_form_refuses_closing_before_opening(staff, good_standing):
    response = staff.post(
        reverse("showcase:staff_edition_create"),
        {
            "year": 2027,
            "theme": "Backwards",
            "opens_at": "2027-03-10T09:00",
            "closes_at": "2027-01-01T09:00",
            "cutoff_date": "2027-03-31",
            "age_min": 13,
            "age_max": 18,
            "entries_per_category": 1,
            "retention_months": 12,
            "local_forward_limit": 5,
        },
    )

    assert response.status_code == 200
    assert "must come after the opening" in response.content.decode()
    assert not Edition.objects.filter(theme="Backwards").exists()


def test_staff_entry_list_counts_by_category_and_state_and_shows_consent(
    staff, student, other_student, edition
):
    _submitted(student, edition)
    create_entry(
        student=other_student,
        category=edition.categories.get(slug="art"),
        title="Draft art",
        by=other_student.user,
    )

    response = staff.get(reverse("showcase:staff_entry_list", kwargs={"edition": edition.slug}))

    html = response.content.decode()
    assert "Harbour" in html
    assert "Draft art" in html
    assert "Lovelace" in html
    counts = {row["category"]: row for row in response.context["counts"]}
    assert counts["Photography"]["submitted"] == 1
    assert counts["Art"]["draft"] == 1


def test_staff_entry_list_filters_by_missing_consent(staff, edition, springfield, student):
    _submitted(student, edition, title="Consented")
    pending = make_student(edition, springfield)
    _submitted(pending, edition, title="Waiting")

    response = staff.get(
        reverse("showcase:staff_entry_list", kwargs={"edition": edition.slug}),
        {"consent": "missing"},
    )

    titles = [e.title for e in response.context["page"].object_list]
    assert titles == ["Waiting"]


def test_staff_entry_list_ignores_bad_filters(staff, edition):
    response = staff.get(
        reverse("showcase:staff_entry_list", kwargs={"edition": edition.slug}),
        {"state": "nonsense", "page": "x"},
    )

    assert response.status_code == 200


def test_staff_entry_list_queries_do_not_grow_with_entries(
    staff, edition, springfield, django_assert_max_num_queries
):
    for n in range(6):
        pupil = make_student(edition, springfield)
        create_entry(
            student=pupil,
            category=edition.categories.get(slug="art"),
            title=f"Work {n}",
            by=pupil.user,
        )

    url = reverse("showcase:staff_entry_list", kwargs={"edition": edition.slug})
    staff.get(url)  # the session's roles are detected once (core.navigation), not per page

    with django_assert_max_num_queries(20):
        staff.get(url)


def test_staff_approve_an_entry_for_publication(staff, student, edition):
    entry = _submitted(student, edition)

    staff.post(reverse("showcase:staff_entry_approve", kwargs={"entry_id": entry.pk}))

    assert Entry.objects.get(pk=entry.pk).is_publishable()


def test_staff_cannot_approve_a_draft(staff, student, edition):
    entry = create_entry(
        student=student,
        category=edition.categories.get(slug="art"),
        title="Unfinished",
        by=student.user,
    )

    staff.post(reverse("showcase:staff_entry_approve", kwargs={"entry_id": entry.pk}))

    assert Entry.objects.get(pk=entry.pk).approved_at is None


def test_staff_entry_detail_shows_the_consent_records(staff, student, edition):
    entry = _submitted(student, edition)

    response = staff.get(reverse("showcase:staff_entry_detail", kwargs={"entry_id": entry.pk}))

    html = response.content.decode()
    assert student.guardian_email in html
    assert "participation, publication" in html


def test_erasure_due_date_turns_overdue_the_day_after_a_month(student):
    erasure = request_erasure(student=student, requested_by="student")

    with _noon(erasure.due_on):
        on_time = erasure.is_overdue()
    with _noon(erasure.due_on + datetime.timedelta(days=1)):
        late = erasure.is_overdue()

    assert (on_time, late) == (False, True)


def test_staff_erasure_list_flags_an_overdue_request(staff, student):
    erasure = request_erasure(student=student, requested_by="student")
    ErasureRequest.objects.filter(pk=erasure.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )

    response = staff.get(reverse("showcase:staff_erasure_list"))

    assert response.context["rows"][0]["overdue"]
    assert "badge--danger" in response.content.decode()


def _noon(day):
    from zoneinfo import ZoneInfo

    from twinning.core.services import get_association

    zone = ZoneInfo(get_association().time_zone)
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12), tzinfo=zone))


def test_staff_execute_an_erasure(staff, student):
    erasure = request_erasure(student=student, requested_by="guardian")

    staff.post(reverse("showcase:staff_erasure_execute", kwargs={"request_id": erasure.pk}))

    assert ErasureRequest.objects.get().executed_at is not None
    assert not type(student).objects.exists()


STAFF_PAGES = [
    "showcase:staff_edition_list",
    "showcase:staff_edition_create",
    "showcase:staff_erasure_list",
]


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("staff_without_otp", 302),
        ("committee_admin", 404),
        ("student_client", 404),
        ("guardian_client", 302),
        ("anonymous", 302),
    ],
)
def test_staff_pages_roles(request, student, name, role, status):
    assert request.getfixturevalue(role).get(reverse(name)).status_code == status


@pytest.mark.parametrize("role", ["student_client", "other_student_client", "committee_admin"])
def test_others_cannot_approve_or_see_staff_entry_pages(request, student, edition, role):
    entry = _submitted(student, edition)
    client = request.getfixturevalue(role)

    detail = client.get(reverse("showcase:staff_entry_detail", kwargs={"entry_id": entry.pk}))
    approve = client.post(reverse("showcase:staff_entry_approve", kwargs={"entry_id": entry.pk}))

    assert (detail.status_code, approve.status_code) == (404, 404)
    assert Entry.objects.get(pk=entry.pk).approved_at is None


# --- Extending an erasure deadline (GDPR Art. 12(3)) -------------------------------------------


def _extend_url(erasure):
    return reverse("showcase:staff_erasure_extend", kwargs={"request_id": erasure.pk})


def test_the_erasure_list_links_each_open_request_to_its_extension_page(staff, student):
    erasure = request_erasure(student=student, requested_by="student")

    page = staff.get(reverse("showcase:staff_erasure_list")).content.decode()

    assert f'href="{_extend_url(erasure)}"' in page
    assert "Extend the deadline" in page


def test_staff_extend_an_erasure_deadline_with_a_reason(staff, student):
    erasure = request_erasure(student=student, requested_by="student")
    until = erasure.due_on + datetime.timedelta(days=30)

    response = staff.post(
        _extend_url(erasure),
        {"extended_to": until.isoformat(), "extension_reason": "Many files to check"},
        follow=True,
    )

    erasure.refresh_from_db()
    assert (erasure.extended_to, erasure.extension_reason) == (until, "Many files to check")
    page = response.content.decode()
    assert f"now due on {until.isoformat()}" in page
    assert "extended: Many files to check" in page
    assert ActivityLog.objects.filter(action="showcase.erasure.extended").count() == 1


def test_an_extension_beyond_two_months_is_refused_on_the_form(staff, student):
    erasure = request_erasure(student=student, requested_by="student")
    too_late = erasure.due_on + datetime.timedelta(days=70)

    response = staff.post(
        _extend_url(erasure),
        {"extended_to": too_late.isoformat(), "extension_reason": "Busy"},
    )

    assert response.status_code == 200
    assert "at most two months later" in response.content.decode()
    erasure.refresh_from_db()
    assert erasure.extended_to is None
    assert not ActivityLog.objects.filter(action="showcase.erasure.extended").exists()


def test_a_carried_out_erasure_cannot_be_extended(staff, student):
    erasure = request_erasure(student=student, requested_by="student")
    staff.post(reverse("showcase:staff_erasure_execute", kwargs={"request_id": erasure.pk}))

    assert staff.get(_extend_url(erasure)).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("staff_without_otp", 302),
        ("committee_admin", 404),
        ("student_client", 404),
        ("guardian_client", 302),
        ("anonymous", 302),
    ],
)
def test_erasure_extension_roles(request, student, role, status):
    erasure = request_erasure(student=student, requested_by="student")
    client = request.getfixturevalue(role)
    logged = ActivityLog.objects.count()

    page = client.get(_extend_url(erasure))
    posted = client.post(
        _extend_url(erasure),
        {
            "extended_to": (erasure.due_on + datetime.timedelta(days=10)).isoformat(),
            "extension_reason": "Sneaky",
        },
    )

    assert page.status_code == status
    erasure.refresh_from_db()
    if role == "staff":
        assert posted.status_code == 302
        assert erasure.extension_reason == "Sneaky"
    else:
        assert posted.status_code == status
        assert (erasure.extended_to, erasure.extension_reason) == (None, "")
        assert ActivityLog.objects.count() == logged
