"""The banquet's staff pages as staff and the refused roles see them: the banquet page with each
seat's reason, seating everyone, moving and swapping without dragging (with the message for a
full table), honorees and the run of show reordered by buttons, the printed chart, the
alphabetical list, the place cards; every view refused to the anonymous, a stranger, a guest,
a committee admin and staff without their second factor; list pages with constant queries."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import _client_for
from tests.events.banquet_helpers import (
    make_banquet,
    make_delegation,
    make_guest,
    make_order,
    make_single,
)
from tests.factories import UserFactory
from twinning.core.authz import SYSTEM
from twinning.events.models import Attendee, Honoree, RunOfShowItem, SeatAssignment
from twinning.events.services.banquet import (
    add_honoree,
    add_run_of_show_item,
    add_tables,
    move_guest,
    seat_guests,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def banquet(springfield_member):
    """A banquet with two tables of four, Springfield's delegation of three (one an honoree),
    a guest with a Unicode name, and a moment of the run of show."""
    event = make_banquet()
    add_tables(event=event, count=2, seats=4, by=SYSTEM)
    order = make_order(event, member=springfield_member, delegation=True)
    ana = make_guest(order, "Ana", "Alvarez")
    make_guest(order, "Bea", "Brown")
    make_guest(order, "Cy", "Clark")
    make_single(event, "Zoë", "Ağaoğlu", organisation="Ville de Lyon")
    add_honoree(event=event, name="", honour="Best Overall Program", attendee=ana, by=SYSTEM)
    add_run_of_show_item(event=event, title="Welcome", kind="welcome", by=SYSTEM)
    return event


def _url(name, event, **kwargs):
    return reverse(f"events:{name}", kwargs={"slug": event.slug, **kwargs})


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# --- Roles ------------------------------------------------------------------------------------


def _routes(event):
    table = event.banquet_tables.first()
    guest = Attendee.objects.filter(event=event.parent).first()
    honoree = Honoree.objects.get(event=event)
    item = RunOfShowItem.objects.get(event=event)
    pages = [
        _url("banquet", event),
        _url("banquet_table", event, table=table.pk),
        _url("banquet_move", event),
        _url("banquet_honorees", event),
        _url("banquet_run_of_show", event),
        _url("banquet_run_of_show_print", event),
        _url("banquet_chart", event),
        _url("banquet_chart_pdf", event),
        _url("banquet_find_table", event),
        _url("banquet_place_cards", event),
    ]
    actions = [
        _url("banquet_tables_add", event),
        _url("banquet_table_remove", event, table=table.pk),
        _url("banquet_seat", event),
        _url("banquet_swap", event),
        _url("banquet_unseat", event, attendee=guest.pk),
        _url("banquet_honoree_move", event, honoree=honoree.pk),
        _url("banquet_honoree_remove", event, honoree=honoree.pk),
        _url("banquet_presentations", event),
        _url("banquet_run_of_show_move", event, item=item.pk),
        _url("banquet_run_of_show_remove", event, item=item.pk),
    ]
    return pages, actions


@pytest.fixture
def attendee_client(banquet):
    """A guest of the banquet, signed in (their own attendee row)."""
    user = UserFactory(email="guest@example.org")
    Attendee.objects.filter(first_name="Bea").update(user=user)
    return _client_for(user)


@pytest.mark.parametrize(
    "role", ["public", "attendee_client", "committee_admin", "other_committee_admin"]
)
def test_signed_in_people_who_are_not_staff_find_no_banquet_page(request, banquet, role):
    client = request.getfixturevalue(role)
    pages, actions = _routes(banquet)
    before = SeatAssignment.objects.count(), Honoree.objects.count(), RunOfShowItem.objects.count()

    statuses = {url: client.get(url).status_code for url in pages}
    statuses |= {url: client.post(url, {"direction": "up"}).status_code for url in actions}

    assert set(statuses.values()) == {404}
    assert (
        SeatAssignment.objects.count(),
        Honoree.objects.count(),
        RunOfShowItem.objects.count(),
    ) == before


def test_anonymous_visitors_are_sent_to_sign_in(anonymous, banquet):
    pages, actions = _routes(banquet)

    for url in pages + actions:
        response = anonymous.post(url) if url in actions else anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert Honoree.objects.count() == 1


def test_staff_without_their_second_factor_are_sent_to_the_code_page(staff_without_otp, banquet):
    pages, actions = _routes(banquet)

    for url in pages + actions:
        response = staff_without_otp.post(url) if url in actions else staff_without_otp.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert not SeatAssignment.objects.exists()


def test_verified_staff_open_every_page_and_actions_refuse_get(staff, banquet):
    pages, actions = _routes(banquet)

    assert {staff.get(url).status_code for url in pages} == {200}
    assert {staff.get(url).status_code for url in actions} == {405}


def test_a_slug_that_is_not_a_banquet_answers_404(staff, banquet):
    conference_page = reverse("events:banquet", kwargs={"slug": banquet.parent.slug})

    assert staff.get(conference_page).status_code == 404


def test_staff_find_the_banquet_and_its_unseated_guests_on_their_home(staff, banquet):
    page = staff.get(reverse("core:home")).content.decode()

    assert _url("banquet", banquet) in page
    assert "Banquet guests without a seat" in page


# --- The banquet page and seating --------------------------------------------------------------


def test_staff_seat_everyone_and_see_each_seat_with_its_reason(staff, banquet):
    response = staff.post(_url("banquet_seat", banquet), follow=True)

    page = response.content.decode()
    assert _messages(response) == ["Every guest is seated. Seats given by hand were kept."]
    assert "Ana Alvarez" in page and "Zoë Ağaoğlu" in page
    assert "Honoree with their party (Springfield Sister Cities, 3 people)" in page
    assert "Every guest has a seat." in page


def test_the_banquet_page_lists_who_has_no_seat_yet(staff, banquet):
    page = staff.get(_url("banquet", banquet)).content.decode()

    assert "Guests without a seat" in page
    assert "Ağaoğlu, Zoë" in page
    assert "No table yet" not in page


def test_staff_are_told_when_guests_find_no_seat(staff, banquet):
    make_delegation(banquet, 6, name="Late Crowd")

    response = staff.post(_url("banquet_seat", banquet), follow=True)

    assert _messages(response) == ["Guests seated; 2 found no seat: add tables or seats."]


def test_staff_add_tables_from_the_banquet_page(staff, banquet):
    response = staff.post(
        _url("banquet_tables_add", banquet), {"count": 3, "seats": 10, "stage_rank": 0}, follow=True
    )

    assert _messages(response) == ["3 tables added."]
    assert list(banquet.banquet_tables.values_list("number", "seats")) == [
        (1, 4),
        (2, 4),
        (3, 10),
        (4, 10),
        (5, 10),
    ]


def test_nonsense_table_numbers_change_nothing(staff, banquet):
    response = staff.post(
        _url("banquet_tables_add", banquet), {"count": "x", "seats": 99}, follow=True
    )

    assert _messages(response) == ["Say how many tables, with how many seats (1 to 40)."]
    assert banquet.banquet_tables.count() == 2


def test_staff_change_a_tables_seats(staff, banquet):
    table = banquet.banquet_tables.get(number=2)

    staff.post(
        _url("banquet_table", banquet, table=table.pk),
        {"name": "Head table", "seats": 6, "stage_rank": 0},
    )

    table.refresh_from_db()
    assert (table.name, table.seats, table.stage_rank) == ("Head table", 6, 0)
    assert str(table) == "Table 2 (Head table)"


def test_removing_a_table_with_guests_says_why_not(staff, banquet):
    seat_guests(event=banquet, by=SYSTEM)
    table = banquet.banquet_tables.get(number=1)

    response = staff.post(_url("banquet_table_remove", banquet, table=table.pk), follow=True)

    assert _messages(response) == ["Table 1 still has guests: move them before removing it."]
    assert banquet.banquet_tables.count() == 2


# --- Moving people ----------------------------------------------------------------------------


def test_staff_move_a_guest_by_picking_a_table_and_seat(staff, banquet):
    guest = Attendee.objects.get(first_name="Zoë")
    table = banquet.banquet_tables.get(number=2)

    response = staff.post(
        _url("banquet_move", banquet),
        {"attendee": guest.pk, "table": table.pk, "seat": 3},
        follow=True,
    )

    assert _messages(response) == ["Zoë Ağaoğlu now sits at Table 2, seat 3."]
    assert SeatAssignment.objects.get(attendee=guest).seat == 3


def test_moving_to_a_full_table_answers_a_clear_message_on_the_form(staff, banquet):
    seat_guests(event=banquet, by=SYSTEM)  # table 1: the delegation and Zoë
    full = banquet.banquet_tables.get(number=1)
    newcomer = make_single(banquet, "Nina", "Newcomer")

    response = staff.post(
        _url("banquet_move", banquet), {"attendee": newcomer.pk, "table": full.pk}
    )

    assert response.status_code == 200
    assert "Table 1 is full (4 of 4 seats taken)" in response.content.decode()
    assert not SeatAssignment.objects.filter(attendee=newcomer).exists()


def test_the_move_page_preselects_the_guest_and_shows_free_seats(staff, banquet):
    guest = Attendee.objects.get(first_name="Zoë")

    response = staff.get(_url("banquet_move", banquet) + f"?guest={guest.pk}")

    assert response.context["form"].initial == {"attendee": str(guest.pk)}
    assert "4 free seats" in response.content.decode()


def test_staff_swap_two_guests(staff, banquet):
    seat_guests(event=banquet, by=SYSTEM)
    ana, zoe = Attendee.objects.get(first_name="Ana"), Attendee.objects.get(first_name="Zoë")
    move_guest(event=banquet, attendee=zoe, table=banquet.banquet_tables.get(number=2), by=SYSTEM)
    before = {a.pk: SeatAssignment.objects.get(attendee=a).table.number for a in (ana, zoe)}

    response = staff.post(
        _url("banquet_swap", banquet), {"first": ana.pk, "second": zoe.pk}, follow=True
    )

    assert _messages(response) == ["Ana Alvarez and Zoë Ağaoğlu have swapped seats."]
    after = {a.pk: SeatAssignment.objects.get(attendee=a).table.number for a in (ana, zoe)}
    assert after == {ana.pk: before[zoe.pk], zoe.pk: before[ana.pk]}


def test_swapping_nobody_is_refused_with_a_message(staff, banquet):
    response = staff.post(_url("banquet_swap", banquet), {"first": "x"}, follow=True)

    assert _messages(response) == ["Choose the two guests to swap."]


def test_staff_unseat_a_guest(staff, banquet):
    seat_guests(event=banquet, by=SYSTEM)
    guest = Attendee.objects.get(first_name="Cy")

    response = staff.post(_url("banquet_unseat", banquet, attendee=guest.pk), follow=True)

    assert _messages(response) == ["Cy Clark no longer has a seat."]
    assert not SeatAssignment.objects.filter(attendee=guest).exists()


def test_a_guest_of_another_banquet_cannot_be_unseated_here(staff, banquet):
    stranger = make_single(make_banquet(), "Not", "Here")

    response = staff.post(_url("banquet_unseat", banquet, attendee=stranger.pk))

    assert response.status_code == 404


# --- Honorees and the run of show ----------------------------------------------------------------


def test_staff_add_an_honoree_with_a_committee(staff, banquet, springfield_member):
    response = staff.post(
        _url("banquet_honorees", banquet),
        {
            "honour": "Best Youth Program",
            "name": "Springfield Youth Council",
            "member": springfield_member.pk,
        },
        follow=True,
    )

    assert _messages(response) == ["Springfield Youth Council is added to the honorees."]
    assert "Best Youth Program" in response.content.decode()
    assert Honoree.objects.get(name="Springfield Youth Council").position == 1


def test_an_honoree_without_a_name_or_guest_is_refused(staff, banquet):
    response = staff.post(_url("banquet_honorees", banquet), {"honour": "Nameless"})

    assert "Give the name to show, or choose the guest." in response.content.decode()
    assert Honoree.objects.count() == 1


def test_staff_reorder_honorees_with_buttons(staff, banquet):
    second = add_honoree(event=banquet, name="Second", honour="H", by=SYSTEM)

    staff.post(_url("banquet_honoree_move", banquet, honoree=second.pk), {"direction": "up"})

    assert list(banquet.honorees.values_list("name", flat=True)) == ["Second", "Ana Alvarez"]


def test_staff_remove_an_honoree(staff, banquet):
    honoree = Honoree.objects.get(event=banquet)

    response = staff.post(_url("banquet_honoree_remove", banquet, honoree=honoree.pk), follow=True)

    assert _messages(response) == ["Ana Alvarez is removed from the honorees."]
    assert not Honoree.objects.exists()


def test_staff_build_the_run_of_show_and_print_it_in_order(staff, banquet):
    staff.post(_url("banquet_presentations", banquet))
    staff.post(
        _url("banquet_run_of_show", banquet),
        {"kind": "meal", "title": "Dinner", "starts_at": "19:30"},
    )
    dinner = RunOfShowItem.objects.get(title="Dinner")
    staff.post(_url("banquet_run_of_show_move", banquet, item=dinner.pk), {"direction": "up"})

    page = staff.get(_url("banquet_run_of_show_print", banquet)).content.decode()

    welcome = page.index("Welcome")
    assert welcome < page.index("19:30") < page.index("Best Overall Program: Ana Alvarez")


def test_a_moment_without_a_title_is_refused_on_the_form(staff, banquet):
    response = staff.post(_url("banquet_run_of_show", banquet), {"kind": "speech"})

    assert "Give the moment a title." in response.content.decode()
    assert RunOfShowItem.objects.count() == 1


def test_staff_remove_a_moment(staff, banquet):
    item = RunOfShowItem.objects.get(event=banquet)

    response = staff.post(_url("banquet_run_of_show_remove", banquet, item=item.pk), follow=True)

    assert _messages(response) == ["“Welcome” is removed."]


def test_moving_the_first_moment_up_says_it_is_already_first(staff, banquet):
    item = RunOfShowItem.objects.get(event=banquet)

    response = staff.post(
        _url("banquet_run_of_show_move", banquet, item=item.pk), {"direction": "up"}, follow=True
    )

    assert _messages(response) == ["“Welcome” is already at that end."]


# --- What is printed ----------------------------------------------------------------------------


def test_the_seating_chart_lists_each_tables_guests_by_seat(staff, banquet):
    seat_guests(event=banquet, by=SYSTEM)

    page = staff.get(_url("banquet_chart", banquet)).content.decode()

    assert page.index("Table 1") < page.index("1. Ana Alvarez") < page.index("2. Bea Brown")


def test_the_seating_chart_pdf_lists_each_table_with_unicode_names(staff, banquet):
    seat_guests(event=banquet, by=SYSTEM)

    response = staff.get(_url("banquet_chart_pdf", banquet))

    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert text.index("Table 1") < text.index("1. Ana Alvarez") < text.index("Table 2")
    assert "Zoë Ağaoğlu · Ville de Lyon" in text
    assert "Nobody sits here yet." in text


def test_find_your_table_lists_guests_alphabetically(staff, banquet):
    seat_guests(event=banquet, by=SYSTEM)

    response = staff.get(_url("banquet_find_table", banquet))

    names = [s.attendee.last_name for s in response.context["seats"]]
    assert names == ["Ağaoğlu", "Alvarez", "Brown", "Clark"]
    assert "Alvarez, Ana" in response.content.decode()


def test_place_cards_are_folded_tent_cards_with_unicode_names_on_both_faces(staff, banquet):
    seat_guests(event=banquet, by=SYSTEM)

    response = staff.get(_url("banquet_place_cards", banquet))

    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2  # four cards, two to a page
    text = "".join(page.extract_text() for page in reader.pages)
    assert text.count("Zoë Ağaoğlu") == 2  # upright and upside down
    assert "Springfield Sister Cities" in text


def test_place_cards_before_seating_say_nobody_is_seated(staff, banquet):
    response = staff.get(_url("banquet_place_cards", banquet))

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "No guest is seated yet." in text


# --- Queries do not grow with the guests ----------------------------------------------------------


def _bigger(event, n):
    for i in range(n):
        make_delegation(event, 3, name=f"Committee {i:03d}")
    add_tables(event=event, count=n, seats=4, by=SYSTEM)
    seat_guests(event=event, by=SYSTEM)


@pytest.mark.parametrize(
    "page",
    [
        ("banquet", 9),
        ("banquet_move", 10),
        ("banquet_honorees", 7),
        ("banquet_run_of_show", 6),
        ("banquet_run_of_show_print", 5),
        ("banquet_chart", 6),
        ("banquet_find_table", 5),
        ("banquet_place_cards", 5),
        ("banquet_chart_pdf", 6),
    ],
)
@pytest.mark.parametrize("n", [1, 15])
def test_banquet_pages_queries_do_not_grow_with_guests(
    staff, banquet, django_assert_num_queries, page, n
):
    name, queries = page
    _bigger(banquet, n)
    for i in range(n):
        add_honoree(event=banquet, name=f"H{i}", honour="H", by=SYSTEM)
        add_run_of_show_item(event=banquet, title=f"Moment {i}", kind="speech", by=SYSTEM)

    # The same count for 4 guests and 49: the session, the user, the second factor and the
    # page's own few queries (the menus are filled on the first page of a session, here the
    # home page, so other apps' menu entries do not move these figures).
    staff.get(reverse("core:home"))
    with django_assert_num_queries(queries):
        response = staff.get(_url(name, banquet))

    assert response.status_code == 200
