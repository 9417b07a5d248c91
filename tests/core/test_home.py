"""Each role's home (core:home) and the role menus of base.html (twinning.core.navigation):
what each role sees, with counts, and what the other roles do not see."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import _client_for, verified
from tests.factories import PartnershipFactory, UserFactory
from tests.review.conftest import make_round, make_studies
from tests.showcase.conftest import (  # noqa: F401 - good_standing is a fixture
    good_standing,
    guardian_session,
    make_edition,
    make_student,
)
from twinning.activities import services as activities
from twinning.outbox.models import OutboxMessage
from twinning.outbox.services import queue_email
from twinning.review.services import add_items, add_reviewer, assign_reviews, save_scores
from twinning.showcase.services import create_entry

pytestmark = pytest.mark.django_db

HOME = "/home/"


def _text(response) -> str:
    """The page as a person reads it: tags out, entities read, spaces folded."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _menu(response) -> str:
    html = response.content.decode()
    start = html.find('<nav class="role-nav"')
    return html[start : html.find("</nav>", start)] if start >= 0 else ""


def test_anonymous_visitors_are_sent_to_sign_in(anonymous):
    response = anonymous.get(HOME)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={HOME}"


def test_staff_home_counts_what_waits_for_staff(staff, staff_user):
    queue_email(
        to="someone@example.org",
        template="accounts.signup_existing",
        context={"login_url": "https://example.org/"},
        hold=True,
    )

    response = staff.get(HOME)

    text = _text(response)
    assert response.status_code == 200
    assert "E-mails held for review 1" in text
    assert "Membership applications to review 0" in text
    assert "Invoices overdue 0" in text
    menu = _menu(response)
    for name in (
        "network:staff_dashboard",
        "members:staff_application_list",
        "outbox:staff_message_list",
        "activities:staff_activity_list",
        "activities:staff_report_list",
        "showcase:staff_edition_list",
        "review:round_list",
    ):
        assert f'href="{reverse(name)}"' in menu, name
    assert OutboxMessage.objects.get().state == OutboxMessage.State.HELD


def test_committee_admin_home_shows_its_member_and_what_to_report(
    committee_admin, springfield_member, springfield, committee_admin_user, staff_user
):
    partnership = PartnershipFactory(community_a=springfield)
    activities.create_activity(
        member=springfield_member,
        partnerships=[partnership],
        by=committee_admin_user,
        title="Jazz week",
        kind="festival",
        start_date=datetime.date(2025, 5, 1),
        end_date=datetime.date(2025, 5, 4),
    )
    edition = make_edition(by=staff_user, slug="home-edition")

    response = committee_admin.get(HOME)

    text = _text(response)
    assert "Springfield Sister Cities" in text
    assert "Activities to report (drafts and reports sent back) 1" in text
    assert "Apply for membership." in text  # no membership yet: the dashboard's own action
    assert f"Your showcase local round ({edition.year}) not set up yet" in text
    menu = _menu(response)
    slug = springfield_member.slug
    assert reverse("showcase:portal_local_round", kwargs={"edition": edition.slug}) in menu
    assert reverse("activities:portal_activity_list", kwargs={"slug": slug}) in menu
    assert reverse("members:portal_invoice_list", kwargs={"slug": slug}) in menu
    assert "Staff" not in menu


def test_another_committee_admin_sees_only_their_own_member(
    other_committee_admin, springfield_member
):
    response = other_committee_admin.get(HOME)

    assert "Shelbyville Twinning Association" in _text(response)
    assert springfield_member.name not in response.content.decode()
    assert springfield_member.slug not in _menu(response)


def test_judge_home_counts_reviews_assigned_and_left(staff_user):
    round_ = make_round(by=staff_user)
    round_.reviews_per_item = 1
    round_.save(update_fields=["reviews_per_item"])
    add_items(round=round_, objects=make_studies(3), by=staff_user)
    judge_user = UserFactory(email="judge@example.org")
    add_reviewer(round=round_, user=judge_user, by=staff_user)
    assign_reviews(round=round_, by=staff_user)
    first = judge_user.review_roles.get().assignments.first()
    save_scores(
        assignment=first,
        scores={c.pk: 5 for c in round_.criteria.all()},
        submit=True,
        version=first.version,
        by=judge_user,
    )

    response = _client_for(judge_user).get(HOME)

    text = _text(response)
    assert "Reviews assigned to you 3" in text
    assert "Reviews left 2" in text
    assert f'href="{reverse("review:queue")}"' in _menu(response)


def test_student_home_lists_entries_with_their_state_and_the_awaited_consent(
    springfield,
    staff_user,
    good_standing,  # noqa: F811
):
    edition = make_edition(by=staff_user)
    student = make_student(edition, springfield)
    create_entry(
        student=student,
        category=edition.categories.get(slug="photography"),
        title="River light",
        alt_text="A river",
        by=student.user,
    )

    response = _client_for(student.user).get(HOME)

    text = _text(response)
    assert "River light" in text
    assert "Draft" in text
    assert "Your guardian's consent is still awaited" in text
    assert f'href="{reverse("showcase:my_entries")}"' in _menu(response)
    assert "Staff" not in _menu(response)


def test_a_guardian_without_an_account_gets_their_menu(
    springfield,
    staff_user,
    good_standing,  # noqa: F811
):
    edition = make_edition(by=staff_user)
    student = make_student(edition, springfield)
    client = guardian_session(student.consents.get())

    response = client.get(reverse("showcase:edition_list"))

    assert f'href="{reverse("showcase:guardian_home")}"' in _menu(response)


@pytest.mark.parametrize("role", ["public", "committee_admin", "staff_without_otp"])
def test_roles_without_a_role_see_no_menu_of_it(request, role):
    response = request.getfixturevalue(role).get(HOME)

    menu = _menu(response)
    assert "Your account" in menu
    assert f'href="{reverse("members:join")}"' in menu
    assert ("Judging" in menu, "Guardian" in menu) == (False, False)
    if role != "staff_without_otp":
        assert reverse("network:staff_dashboard") not in menu
        assert reverse("outbox:staff_message_list") not in response.content.decode()


def test_a_role_given_after_sign_in_shows_after_the_next_write(public, public_user, springfield):
    from tests.factories import MemberFactory

    assert public.get(HOME).status_code == 200  # the roles are kept in the session now
    member = MemberFactory(name="Newly Run Committee")
    member.admins.add(public_user)
    public.post(reverse("accounts:profile"), {"full_name": "Pat", "language": ""})

    assert "Newly Run Committee" in _menu(public.get(reverse("network:home")))


def test_the_menus_cost_no_query_once_the_roles_are_known(committee_admin):
    committee_admin.get(reverse("network:stats"))

    with CaptureQueriesContext(connection) as queries:
        response = committee_admin.get(reverse("network:stats"))

    role_tables = ("network_member_admins", "review_reviewer", "youth_person")
    assert [q["sql"] for q in queries if any(t in q["sql"] for t in role_tables)] == []
    assert "Springfield Sister Cities" in _menu(response)


def test_sign_in_lands_on_the_home_or_a_safe_next(db):
    user = UserFactory(email="pat@example.org")
    user.set_password("a-Long-enough-passw0rd")
    user.save()
    login = reverse("accounts:login")
    credentials = {"username": "pat@example.org", "password": "a-Long-enough-passw0rd"}

    assert Client().post(login, credentials).url == HOME
    assert Client().post(f"{login}?next=/showcase/", credentials).url == "/showcase/"
    assert Client().post(f"{login}?next=https://evil.example/", credentials).url == HOME


def test_staff_land_on_the_code_page_then_their_home(db):
    user = verified(UserFactory(email="sam@example.org", is_staff=True))
    user.set_password("a-Long-enough-passw0rd")
    user.save()

    response = Client().post(
        reverse("accounts:login"),
        {"username": "sam@example.org", "password": "a-Long-enough-passw0rd"},
    )

    # The code page then sends them to `next` (tests/accounts/test_two_factor.py).
    assert response.url == f"{reverse('accounts:otp_verify')}?next=%2Fhome%2F"


def test_the_role_menu_marks_the_current_page_and_escapes_its_labels(committee_admin):
    from twinning.network.models import Member

    Member.objects.filter(name="Springfield Sister Cities").update(
        name="Springfield <Sister> & Cities"
    )
    committee_admin.post(reverse("accounts:profile"), {"full_name": "Pat", "language": ""})
    first = re.search(r'<a href="([^"]+)"', _menu(committee_admin.get(HOME))).group(1)

    menu = _menu(committee_admin.get(first))

    assert "Springfield &lt;Sister&gt; &amp; Cities" in menu
    assert "<Sister>" not in menu
    assert f'<a href="{first}" aria-current="page">' in menu
    assert menu.count('aria-current="page"') == 1


def test_a_scan_at_the_door_keeps_the_roles_another_write_forgets_them(staff_user):
    from django.test import RequestFactory

    from twinning.core.navigation import SESSION_KEY, ForgetRolesMiddleware, keeps_roles

    request = RequestFactory().post("/x/")
    request.session = {SESSION_KEY: {"user": staff_user.pk}}
    middleware = ForgetRolesMiddleware(lambda r: None)

    middleware.process_view(request, keeps_roles(lambda r: None), (), {})
    middleware(request)
    kept = SESSION_KEY in request.session

    other = RequestFactory().post("/x/")
    other.session = {SESSION_KEY: {"user": staff_user.pk}}
    middleware.process_view(other, lambda r: None, (), {})
    middleware(other)

    assert (kept, SESSION_KEY in other.session) == (True, False)
