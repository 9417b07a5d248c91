"""Badges as printable PDF sheets: eight per A4 or US Letter page with cut marks, name,
committee or organisation, country and role; for the whole event or one role or ticket; for
verified staff only."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import _client_for
from tests.events.checkin_helpers import make_attendee, make_delegation, make_event, make_ticket
from tests.factories import CountryFactory, UserFactory
from twinning.events.models import Attendee
from twinning.events.services.tickets import badge_attendees, badges_pdf

pytestmark = pytest.mark.django_db


def _pdf(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def event():
    event = make_event(title="Annual Conference 2026", slug="ac-2026")
    make_ticket(event, "Full conference")
    return event


def test_badge_shows_name_committee_country_and_role(event):
    japan = CountryFactory(code="JP", name="Japan")
    speaker = make_attendee(
        event,
        first_name="Łukasz",
        last_name="Ağaoğlu",
        organisation="Sister Cities of Kyōto",
        country=japan,
        role=Attendee.Role.SPEAKER,
    )

    text = _text(_pdf(badges_pdf([speaker], event=event)))

    assert "Łukasz" in text
    assert "Ağaoğlu" in text
    assert "Sister Cities of Kyōto" in text
    assert "Japan" in text
    assert "SPEAKER" in text


def test_badge_of_a_delegate_without_organisation_shows_the_committee(event, springfield_member):
    delegate = make_delegation(event, springfield_member, size=1)[0]
    Attendee.objects.filter(pk=delegate.pk).update(organisation="")

    text = _text(_pdf(badges_pdf(badge_attendees(event), event=event)))

    assert "Springfield Sister Cities" in text


def test_badges_are_eight_per_page_on_a4_or_letter(event):
    for _ in range(9):
        make_attendee(event)

    a4 = _pdf(badges_pdf(badge_attendees(event), event=event, paper="a4"))
    letter = _pdf(badges_pdf(badge_attendees(event), event=event, paper="letter"))

    assert len(a4.pages) == 2
    assert [round(float(v)) for v in a4.pages[0].mediabox[2:]] == [595, 842]
    assert [round(float(v)) for v in letter.pages[0].mediabox[2:]] == [612, 792]


def test_badge_sheet_draws_cut_marks_at_every_corner(event):
    make_attendee(event)

    content = _pdf(badges_pdf(badge_attendees(event), event=event)).pages[0].get_contents()

    # Two short strokes at each of the four corners of the one badge on the sheet.
    assert content.get_data().count(b" l") >= 8


def test_badges_of_no_one_are_one_empty_page(event):
    assert len(_pdf(badges_pdf([], event=event)).pages) == 1


def test_badge_attendees_filter_by_role_and_ticket_and_leave_out_the_unconfirmed(event):
    student_ticket = make_ticket(event, "Summit")
    delegate = make_attendee(event, last_name="Alpha")
    student = make_attendee(event, last_name="Beta", role="student", ticket=student_ticket)
    make_attendee(event, last_name="Gamma", state=Attendee.State.CANCELLED)

    assert list(badge_attendees(event)) == [delegate, student]
    assert list(badge_attendees(event, role="student")) == [student]
    assert list(badge_attendees(event, ticket=student_ticket.pk)) == [student]


def test_a_parts_badges_are_its_parents_registrations(event):
    summit = make_event(kind="summit", parent=event)
    delegate = make_attendee(event)

    assert list(badge_attendees(summit)) == [delegate]


# --- The staff pages --------------------------------------------------------------------------


BADGE_ANSWERS = {
    "anonymous": "login",
    "public": 404,
    "attendee": 404,
    "committee_admin": 404,
    "other_committee_admin": 404,
    "organiser": 404,
    "staff_without_otp": "code",
    "staff": 200,
}


def _outcome(response):
    if response.status_code == 302:
        if response["Location"].startswith(reverse("accounts:login")):
            return "login"
        if response["Location"].startswith(reverse("accounts:otp_verify")):
            return "code"
    return response.status_code


def _client(request, role, event, delegation):
    if role == "attendee":
        user = UserFactory()
        Attendee.objects.filter(pk=delegation[0].pk).update(user=user)
        return _client_for(user)
    if role == "organiser":
        user = UserFactory()
        event.organisers.add(user)
        return _client_for(user)
    return request.getfixturevalue(role)


@pytest.mark.parametrize("name", ["events:badges", "events:badges_pdf"])
@pytest.mark.parametrize("role", list(BADGE_ANSWERS))
def test_badge_pages_are_for_verified_staff_only(request, event, springfield_member, name, role):
    delegation = make_delegation(event, springfield_member, size=2)
    client = _client(request, role, event, delegation)

    response = client.get(reverse(name, kwargs={"slug": event.slug}))

    assert _outcome(response) == BADGE_ANSWERS[role]


def test_badge_form_offers_roles_and_the_events_tickets(staff, event):
    page = staff.get(reverse("events:badges", kwargs={"slug": event.slug})).content.decode()

    assert '<option value="student">Student</option>' in page
    assert "Full conference" in page
    assert "US Letter" in page


def test_badges_pdf_of_one_role_only(staff, event):
    make_attendee(event, first_name="Deli", role="delegate")
    make_attendee(event, first_name="Stu", role="student")

    response = staff.get(
        reverse("events:badges_pdf", kwargs={"slug": event.slug}) + "?role=student&paper=letter"
    )

    text = _text(_pdf(response.content))
    assert response["Content-Disposition"] == 'attachment; filename="badges-ac-2026.pdf"'
    assert "Stu" in text
    assert "Deli" not in text


def test_badges_pdf_with_a_nonsense_filter_says_what_is_wrong(staff, event):
    response = staff.get(
        reverse("events:badges_pdf", kwargs={"slug": event.slug}) + "?role=pope&ticket=x"
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
