"""The webinar's organiser page (attendance import, recording) and the certificate download,
with the roles they refuse."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from tests.conftest import _client_for
from tests.events.public_helpers import make_attendee, make_event, make_webinar
from tests.factories import UserFactory
from twinning.events.models import AttendanceRecord

pytestmark = pytest.mark.django_db


def _past():
    return make_webinar(starts_at=timezone.now() - datetime.timedelta(days=1))


CSV = (
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
    "Grace Hopper,grace@example.org,06/01/2031 01:00:00 PM,06/01/2031 01:55:00 PM,55\n"
    "Stranger,stranger@example.org,06/01/2031 01:10:00 PM,06/01/2031 01:40:00 PM,30\n"
)


def test_staff_import_attendance_and_see_the_rejected_lines(staff):
    webinar = _past()
    make_attendee(webinar, email="grace@example.org")

    response = staff.post(
        f"/staff/events/{webinar.slug}/webinar/",
        {"file": SimpleUploadedFile("report.csv", CSV.encode(), "text/csv")},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 row(s) imported, 1 rejected." in page
    assert "<td>3</td>" in page and "stranger@example.org" in page
    assert AttendanceRecord.objects.count() == 1


@pytest.mark.parametrize("role", ["public", "committee_admin", "other_committee_admin"])
def test_others_cannot_import_attendance(request, role):
    webinar = _past()
    make_attendee(webinar, email="grace@example.org")
    client = request.getfixturevalue(role)

    response = client.post(
        f"/staff/events/{webinar.slug}/webinar/",
        {"file": SimpleUploadedFile("report.csv", CSV.encode(), "text/csv")},
    )

    assert response.status_code == 404
    assert not AttendanceRecord.objects.exists()


def test_the_webinar_page_is_only_for_webinars(staff):
    assert staff.get(f"/staff/events/{make_event().slug}/webinar/").status_code == 404


def test_staff_add_the_recording_from_the_page(staff):
    webinar = _past()

    staff.post(
        f"/staff/events/{webinar.slug}/recording/",
        {"url": "https://video.example.org/rec/9", "public": "on"},
    )

    webinar.refresh_from_db()
    assert webinar.recording_url == "https://video.example.org/rec/9" and webinar.recording_public


def test_a_bad_recording_link_is_refused_with_a_message(staff):
    webinar = _past()

    response = staff.post(
        f"/staff/events/{webinar.slug}/recording/", {"url": "not a link"}, follow=True
    )

    assert "Enter the full link" in response.content.decode()
    webinar.refresh_from_db()
    assert webinar.recording_url == ""


def test_the_attendee_downloads_their_certificate_and_others_cannot(anonymous, public):
    webinar = _past()
    user = UserFactory()
    attendee = make_attendee(webinar, user=user, email=user.email)
    AttendanceRecord.objects.create(
        event=webinar,
        attendee=attendee,
        email=user.email,
        joined_at=webinar.starts_at,
        left_at=webinar.ends_at,
        minutes=60,
        line=2,
    )
    client = _client_for(user)

    page = client.get(f"/events/{webinar.slug}/").content.decode()
    response = client.get(f"/events/{webinar.slug}/certificate/")

    assert f"/events/{webinar.slug}/certificate/" in page
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 1 and pdf.pages[0].mediabox.width > pdf.pages[0].mediabox.height
    assert "Certificate of attendance" in pdf.pages[0].extract_text()
    assert "no-store" in response["Cache-Control"]
    assert anonymous.get(f"/events/{webinar.slug}/certificate/").status_code == 302
    assert public.get(f"/events/{webinar.slug}/certificate/").status_code == 404


def test_a_registrant_who_did_not_attend_has_no_certificate(anonymous):
    webinar = _past()
    user = UserFactory()
    make_attendee(webinar, user=user, email=user.email)
    client = _client_for(user)

    assert "certificate" not in client.get(f"/events/{webinar.slug}/").content.decode().lower()
    assert client.get(f"/events/{webinar.slug}/certificate/").status_code == 404
