"""The travelling exhibit: committees book the finalist set for a month, never two for the same
month (service check under a lock, and the partial unique constraint in the database)."""

import datetime
import threading

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests.factories import MemberFactory, UserFactory
from tests.showcase.judging_helpers import entrant, judged_edition, published, submitted_entry
from twinning.core.authz import NotAllowed
from twinning.showcase.models import Booking
from twinning.showcase.services import book_exhibit, cancel_booking


def _next_month(months: int = 1) -> datetime.date:
    return timezone.localdate().replace(day=1) + relativedelta(months=months)


@pytest.fixture
def published_edition(edition, springfield, staff_user):
    entry = submitted_entry(edition, entrant(edition, springfield))
    judged_edition(edition, [entry], staff_user=staff_user)
    published(edition, [entry], staff_user=staff_user)
    edition.refresh_from_db()
    return edition


def test_committee_admin_books_a_month_from_the_portal(
    committee_admin, published_edition, springfield_member
):
    month = _next_month()

    response = committee_admin.post(
        f"/portal/showcase/{published_edition.slug}/bookings/",
        {"member": springfield_member.pk, "month": month.strftime("%Y-%m"), "venue": "City hall"},
        follow=True,
    )

    assert "The exhibit is booked for you." in response.text
    assert list(Booking.objects.values_list("member", "month", "venue")) == [
        (springfield_member.pk, month, "City hall")
    ]
    assert "Booked by Springfield Sister Cities" in response.text


def test_second_committee_cannot_book_a_taken_month(
    published_edition, springfield_member, committee_admin_user, other_committee_admin
):
    month = _next_month()
    book_exhibit(
        edition=published_edition, member=springfield_member, month=month, by=committee_admin_user
    )
    other_member = other_committee_admin.get("/portal/").context["members"][0]

    response = other_committee_admin.post(
        f"/portal/showcase/{published_edition.slug}/bookings/",
        {"member": other_member.pk, "month": month.strftime("%Y-%m")},
    )

    assert "is already booked; choose another month." in response.text
    assert Booking.objects.count() == 1


def test_database_refuses_two_active_bookings_of_one_month(
    published_edition, springfield_member, committee_admin_user
):
    month = _next_month()
    book_exhibit(
        edition=published_edition, member=springfield_member, month=month, by=committee_admin_user
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            edition=published_edition, member=MemberFactory(), month=month, booked_by=None
        )


def test_cancelled_month_can_be_booked_again(
    published_edition, springfield_member, committee_admin_user
):
    month = _next_month()
    first = book_exhibit(
        edition=published_edition, member=springfield_member, month=month, by=committee_admin_user
    )

    cancel_booking(booking=first, by=committee_admin_user)
    again = book_exhibit(
        edition=published_edition, member=springfield_member, month=month, by=committee_admin_user
    )

    assert Booking.objects.active().get() == again


@pytest.mark.parametrize("month", ["2027-13", "soon", "0000-01", ""])
def test_bad_month_gets_a_message_and_changes_nothing(
    committee_admin, published_edition, springfield_member, month
):
    response = committee_admin.post(
        f"/portal/showcase/{published_edition.slug}/bookings/",
        {"member": springfield_member.pk, "month": month},
    )

    assert response.status_code == 200
    assert not Booking.objects.exists()


def test_past_month_and_unpublished_edition_are_refused(
    edition, springfield_member, committee_admin_user
):
    with pytest.raises(ValidationError, match="once the results are published"):
        book_exhibit(
            edition=edition,
            member=springfield_member,
            month=_next_month(),
            by=committee_admin_user,
        )

    assert not Booking.objects.exists()


def test_only_the_members_admin_books_for_it(published_edition, springfield_member):
    with pytest.raises(NotAllowed):
        book_exhibit(
            edition=published_edition,
            member=springfield_member,
            month=_next_month(),
            by=UserFactory(),
        )


def test_staff_see_the_calendar(staff, published_edition, springfield_member, committee_admin_user):
    book_exhibit(
        edition=published_edition,
        member=springfield_member,
        month=_next_month(2),
        by=committee_admin_user,
    )

    page = staff.get(f"/staff/showcase/{published_edition.slug}/bookings/")

    assert "Booked by Springfield Sister Cities" in page.text
    assert page.text.count('class="is-booked"') == 1


def test_other_committee_cannot_cancel_a_booking(
    published_edition, springfield_member, committee_admin_user, other_committee_admin
):
    booking = book_exhibit(
        edition=published_edition,
        member=springfield_member,
        month=_next_month(),
        by=committee_admin_user,
    )

    response = other_committee_admin.post(
        f"/portal/showcase/{published_edition.slug}/bookings/{booking.pk}/cancel/"
    )

    assert response.status_code == 404
    assert Booking.objects.active().count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_month_make_one_booking(
    edition, springfield, staff_user, springfield_member, committee_admin_user
):
    entry = submitted_entry(edition, entrant(edition, springfield))
    judged_edition(edition, [entry], staff_user=staff_user)
    published(edition, [entry], staff_user=staff_user)
    members = [springfield_member] + [MemberFactory() for _ in range(7)]
    admins = [committee_admin_user]
    for member in members[1:]:
        admin = UserFactory()
        member.admins.add(admin)
        admins.append(admin)
    month, barrier, outcomes = _next_month(), threading.Barrier(len(members)), []

    def book(member, admin):
        try:
            barrier.wait()
            book_exhibit(edition=edition, member=member, month=month, by=admin)
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=pair) for pair in zip(members, admins, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked"] + ["refused"] * 7
    assert Booking.objects.filter(month=month).count() == 1


def test_the_cancel_button_of_a_booking_carries_its_csrf_token(
    published_edition, springfield_member, committee_admin_user
):
    """`_calendar.html` is included with `only`, which drops the context processor's token: a
    browser's "Cancel this booking" got a 403 (the test client skips the check)."""
    import re

    from django.test import Client

    book_exhibit(
        edition=published_edition,
        member=springfield_member,
        month=_next_month(),
        by=committee_admin_user,
    )
    browser_like = Client(enforce_csrf_checks=True)
    browser_like.force_login(committee_admin_user)

    page = browser_like.get(f"/portal/showcase/{published_edition.slug}/bookings/").content.decode()

    (cancel,) = re.findall(r"<form[^>]*/cancel/.*?</form>", page, flags=re.S)
    assert 'name="csrfmiddlewaretoken"' in cancel
