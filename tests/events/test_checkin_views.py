"""The check-in pages: who may open them, the scan's answer (htmx partial and plain POST), the
counts, the list of who is in (with its query-count guard), the offline list (CSV and the
self-contained page) and the merge upload."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import _client_for
from tests.events.checkin_helpers import make_attendee, make_delegation, make_event, make_ticket
from tests.factories import UserFactory
from twinning.events.models import Attendee, CheckIn

pytestmark = pytest.mark.django_db

CHECKIN_VIEWS = [
    "events:checkin",
    "events:checkin_list",
    "events:checkin_offline_csv",
    "events:checkin_offline_html",
    "events:checkin_merge",
]


@pytest.fixture
def event():
    event = make_event(title="Annual Conference 2026", slug="ac-2026")
    make_ticket(event, "Full conference")
    return event


@pytest.fixture
def delegation(event, springfield_member):
    return make_delegation(event, springfield_member, size=2)


@pytest.fixture
def attendee_user(delegation):
    user = UserFactory(email="delegate@springfield.example")
    Attendee.objects.filter(pk=delegation[0].pk).update(user=user)
    return user


@pytest.fixture
def organiser(event):
    user = UserFactory(email="organiser@example.org")
    event.organisers.add(user)
    return user


def _as(request, role):
    if role in {"anonymous", "public", "committee_admin", "other_committee_admin", "staff"}:
        return request.getfixturevalue(role)
    if role == "staff_without_otp":
        return request.getfixturevalue("staff_without_otp")
    if role == "attendee":
        return _client_for(request.getfixturevalue("attendee_user"))
    return _client_for(request.getfixturevalue("organiser"))


ROLE_ANSWERS = {
    "anonymous": "login",
    "public": 404,
    "attendee": 404,
    "committee_admin": 404,
    "other_committee_admin": 404,
    "staff_without_otp": "code",
    "staff": 200,
    "organiser": 200,
}


def _outcome(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("accounts:login")):
            return "login"
        if location.startswith(reverse("accounts:otp_verify")):
            return "code"
    return response.status_code


@pytest.mark.parametrize("name", CHECKIN_VIEWS)
@pytest.mark.parametrize("role", list(ROLE_ANSWERS))
def test_checkin_pages_open_to_verified_staff_and_the_events_organisers(
    request, event, delegation, name, role
):
    client = _as(request, role)

    response = client.get(reverse(name, kwargs={"slug": event.slug}))

    assert _outcome(response) == ROLE_ANSWERS[role]
    if response.status_code == 200:
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", list(ROLE_ANSWERS))
def test_checkin_home_lists_the_events_to_check_in_for_staff_and_organisers(
    request, event, delegation, role
):
    client = _as(request, role)

    response = client.get(reverse("events:checkin_home"))

    assert _outcome(response) == ROLE_ANSWERS[role]
    if response.status_code == 200:
        assert "Annual Conference 2026" in response.content.decode()


def test_checkin_home_shows_an_organiser_only_their_events(organiser, event):
    make_event(title="Someone Else's Webinar")

    page = _client_for(organiser).get(reverse("events:checkin_home")).content.decode()

    assert "Annual Conference 2026" in page
    assert "Someone Else" not in page


@pytest.mark.parametrize("role", ["anonymous", "public", "committee_admin", "staff_without_otp"])
def test_checkin_post_by_a_refused_role_checks_nobody_in(request, event, delegation, role):
    client = _as(request, role)

    client.post(
        reverse("events:checkin", kwargs={"slug": event.slug}), {"code": delegation[0].code}
    )

    assert CheckIn.objects.count() == 0


def test_checkin_page_is_one_column_with_a_large_autofocused_code_field(staff, event):
    page = staff.get(reverse("events:checkin", kwargs={"slug": event.slug})).content.decode()

    field = re.search(r"<input id=\"checkin-code\"[^>]*>", page, re.S).group(0)
    assert "autofocus" in field
    assert 'name="code"' in field
    assert 'autocomplete="off"' in field
    assert '<label for="checkin-code">Check-in code</label>' in page
    assert "events/checkin.css" in page
    assert "events/checkin.js" in page
    assert "https://" not in re.sub(r"<a [^>]*>", "", page.split("<main", 1)[1].split("</main>")[0])


def test_checkin_scan_by_htmx_answers_with_the_partial_in_green(staff, event, delegation):
    code = delegation[0].code

    response = staff.post(
        reverse("events:checkin", kwargs={"slug": event.slug}),
        {"code": code},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="checkin-answer"')
    assert "<html" not in page
    assert "notice--ok" in page
    assert "Checked in" in page
    assert delegation[0].name in page
    assert "Full conference" in page
    assert "Delegate" in page
    assert "<strong>1</strong> / 2" in page


def test_checkin_second_scan_answers_amber_with_time_in_the_events_zone_and_who(
    staff, staff_user, event, delegation
):
    at = datetime.datetime(2026, 5, 4, 14, 7, tzinfo=datetime.UTC)  # 09:07 in Chicago
    Attendee.objects.filter(pk=delegation[0].pk).update(checked_in_at=at, checked_in_by=staff_user)

    response = staff.post(
        reverse("events:checkin", kwargs={"slug": event.slug}),
        {"code": delegation[0].code.lower()},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert "notice--warn" in page
    sentence = f"Already checked in at 09:07 (CDT) by {staff_user.get_full_name()}"
    assert re.search(rf'<p class="checkin__verdict">\s*{re.escape(sentence)}\s*</p>', page)
    assert page.count("Already checked in") == 1


def test_a_second_scan_in_winter_shows_the_zones_winter_abbreviation(
    staff, staff_user, event, delegation
):
    at = datetime.datetime(2026, 1, 15, 15, 30, tzinfo=datetime.UTC)  # 09:30 CST in Chicago
    Attendee.objects.filter(pk=delegation[0].pk).update(checked_in_at=at, checked_in_by=staff_user)

    page = staff.post(
        reverse("events:checkin", kwargs={"slug": event.slug}), {"code": delegation[0].code}
    ).content.decode()

    assert f"Already checked in at 09:30 (CST) by {staff_user.get_full_name()}" in page
    assert page.count("Already checked in") == 1


def test_a_second_scan_names_a_checker_without_a_full_name_by_their_email(staff, event, delegation):
    checker = UserFactory(email="door@example.org", full_name="")
    at = datetime.datetime(2026, 5, 4, 14, 7, tzinfo=datetime.UTC)
    Attendee.objects.filter(pk=delegation[0].pk).update(checked_in_at=at, checked_in_by=checker)

    page = staff.post(
        reverse("events:checkin", kwargs={"slug": event.slug}),
        {"code": delegation[0].code},
        HTTP_HX_REQUEST="true",
    ).content.decode()

    assert "Already checked in at 09:07 (CDT) by door@example.org" in page


def test_checkin_unknown_code_answers_red(staff, event, delegation):
    response = staff.post(
        reverse("events:checkin", kwargs={"slug": event.slug}),
        {"code": "QQQQQQQQQQ"},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert "notice--danger" in page
    assert "Unknown code" in page
    assert "No attendee of this event has the code QQQQQQQQQQ." in page


def test_checkin_cancelled_code_answers_red(staff, event):
    cancelled = make_attendee(event, state=Attendee.State.CANCELLED, first_name="Gone")

    page = staff.post(
        reverse("events:checkin", kwargs={"slug": event.slug}), {"code": cancelled.code}
    ).content.decode()

    assert "notice--danger" in page
    assert "Cancelled" in page
    assert "Gone" in page


def test_checkin_plain_post_without_javascript_renders_the_whole_page_with_the_answer(
    staff, event, delegation
):
    response = staff.post(
        reverse("events:checkin", kwargs={"slug": event.slug}), {"code": delegation[1].code}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert "notice--ok" in page
    assert delegation[1].name in page
    assert 'id="checkin-code"' in page


def test_checkin_empty_or_hostile_code_answers_clearly_and_changes_nothing(staff, event):
    for value in ["", "  ", "x" * 500]:
        response = staff.post(
            reverse("events:checkin", kwargs={"slug": event.slug}), {"code": value}
        )

        assert response.status_code == 200
        assert "notice--danger" in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_checkin_by_an_organiser_records_them(organiser, event, delegation):
    _client_for(organiser).post(
        reverse("events:checkin", kwargs={"slug": event.slug}), {"code": delegation[0].code}
    )

    assert Attendee.objects.get(pk=delegation[0].pk).checked_in_by == organiser


def test_checkin_counts_show_checked_in_over_expected(staff, event, delegation):
    make_attendee(event, state=Attendee.State.CANCELLED)
    Attendee.objects.filter(pk=delegation[0].pk).update(checked_in_at=timezone.now())

    page = staff.get(reverse("events:checkin", kwargs={"slug": event.slug})).content.decode()

    assert "<strong>1</strong> / 2" in page


# --- Who is checked in ------------------------------------------------------------------------


def _checked_in(event, count):
    for _ in range(count):
        make_attendee(event, checked_in_at=timezone.now())


@pytest.mark.parametrize("item_count", [1, 3])
def test_checkin_list_query_count_does_not_grow_with_the_people(
    staff, event, item_count, django_assert_num_queries
):
    _checked_in(event, item_count)
    url = reverse("events:checkin_list", kwargs={"slug": event.slug})
    staff.get(url)  # the association, the session and the menus are cached after this

    with django_assert_num_queries(7):
        response = staff.get(url)

    assert response.content.decode().count("<tr>") == item_count + 1


def test_checkin_list_shows_who_is_in_with_time_and_who_checked_them_in(
    staff, staff_user, event, delegation
):
    at = datetime.datetime(2026, 5, 4, 15, 30, tzinfo=datetime.UTC)
    Attendee.objects.filter(pk=delegation[0].pk).update(checked_in_at=at, checked_in_by=staff_user)

    page = staff.get(reverse("events:checkin_list", kwargs={"slug": event.slug})).content.decode()

    assert delegation[0].last_name in page
    assert delegation[1].last_name not in page
    assert "2026-05-04 10:30" in page
    assert staff_user.get_full_name() in page


def test_checkin_list_of_those_not_yet_in(staff, event, delegation):
    Attendee.objects.filter(pk=delegation[0].pk).update(checked_in_at=timezone.now())

    page = staff.get(
        reverse("events:checkin_list", kwargs={"slug": event.slug}) + "?state=out"
    ).content.decode()

    assert delegation[1].last_name in page
    assert delegation[0].last_name not in page


def test_checkin_list_with_a_nonsense_filter_shows_the_checked_in(staff, event, delegation):
    response = staff.get(
        reverse("events:checkin_list", kwargs={"slug": event.slug}) + "?state=nope&page=x"
    )

    assert response.status_code == 200
    assert "Nobody here yet." in response.content.decode()


# --- The offline list -------------------------------------------------------------------------


def test_checkin_offline_csv_lists_everyone_expected_with_their_code(staff, event, delegation):
    make_attendee(event, state=Attendee.State.CANCELLED, last_name="Cancelled")

    response = staff.get(reverse("events:checkin_offline_csv", kwargs={"slug": event.slug}))

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert response["Content-Disposition"] == 'attachment; filename="checkin-ac-2026.csv"'
    assert sorted(r["code"] for r in rows) == sorted(a.code for a in delegation)
    assert {r["checked_in_at"] for r in rows} == {""}
    assert "Cancelled" not in text


def test_checkin_offline_page_is_self_contained_and_carries_the_list(staff, event, delegation):
    response = staff.get(reverse("events:checkin_offline_html", kwargs={"slug": event.slug}))

    page = response.content.decode()
    people = json.loads(
        re.search(r'<script id="people" type="application/json">(.*?)</script>', page, re.S).group(
            1
        )
    )
    assert response["Content-Disposition"] == 'attachment; filename="checkin-ac-2026.html"'
    assert sorted(p["code"] for p in people) == sorted(a.code for a in delegation)
    assert "localStorage" in page
    assert "code,scanned_at,device" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)  # nothing fetched


def test_checkin_merge_upload_reports_every_row(staff, event, delegation):
    at = (timezone.now() - datetime.timedelta(minutes=20)).isoformat()
    data = f"code,scanned_at\r\n{delegation[0].code},{at}\r\nNOPENOPE22,{at}\r\n".encode()

    response = staff.post(
        reverse("events:checkin_merge", kwargs={"slug": event.slug}),
        {"file": SimpleUploadedFile("scans.csv", data, "text/csv")},
    )

    page = response.content.decode()
    assert "2 rows: 1 checked in, 1 refused." in page
    assert "No attendee of this event has the code NOPENOPE22." in page
    assert '<span class="badge badge--ok">Checked in</span>' in page
    assert '<span class="badge badge--danger">Refused</span>' in page
    assert Attendee.objects.get(pk=delegation[0].pk).checked_in_at is not None


def test_checkin_merge_of_an_unreadable_file_says_why_and_changes_nothing(staff, event):
    response = staff.post(
        reverse("events:checkin_merge", kwargs={"slug": event.slug}),
        {"file": SimpleUploadedFile("scans.csv", b"name\r\nx\r\n", "text/csv")},
    )

    assert response.status_code == 200
    assert "The file has no column named “code”" in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_an_organisers_menu_links_the_check_in_and_a_strangers_does_not(organiser, public):
    organiser_home = _client_for(organiser).get(reverse("core:home")).content.decode()
    stranger_home = public.get(reverse("core:home")).content.decode()

    assert f'href="{reverse("events:checkin_home")}"' in organiser_home
    assert f'href="{reverse("events:checkin_home")}"' not in stranger_home
    assert f'href="{reverse("events:my_tickets")}"' in stranger_home


def test_staff_menu_links_the_check_in(staff):
    home = staff.get(reverse("core:home")).content.decode()

    assert "Event check-in and badges" in home
