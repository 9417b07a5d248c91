"""Where a page or an e-mail says to write to the association, it gives the association's
contact address (the e-mail staff set in the association's settings), not only the words."""

import pytest
from django.urls import reverse

from tests.conftest import _client_for
from tests.factories import MemberFactory, UserFactory
from twinning.core.models import Association
from twinning.outbox.models import OutboxMessage

ADDRESS = "hello@twinning-association.example"
MAILTO = f'href="mailto:{ADDRESS}"'


@pytest.fixture(autouse=True)
def contact(db):
    association = Association.load()
    association.name = "Twinning Association"
    association.email = ADDRESS
    association.save()
    return association


def test_the_partner_seeking_list_says_whom_to_write_to(anonymous):
    html = anonymous.get(reverse("matchmaking:seeking_list")).content.decode()

    assert "would like to twin with one of them" in html
    assert MAILTO in html


def test_the_portal_of_someone_without_a_member_says_whom_to_ask(public):
    html = public.get(reverse("network:portal_home")).content.decode()

    assert "ask the association to add you" in html
    assert MAILTO in html


def test_a_member_without_a_home_community_is_told_whom_to_ask(db):
    admin = UserFactory()
    member = MemberFactory(communities=[])
    member.admins.add(admin)

    html = _client_for(admin).get(reverse("network:portal_member", args=[member.slug]))

    assert "no home community in the registry yet" in html.content.decode()
    assert MAILTO in html.content.decode()


def test_an_invalid_unsubscribe_link_says_whom_to_write_to(anonymous):
    response = anonymous.get(reverse("outbox:unsubscribe", args=["not-a-token"]))

    assert response.status_code == 404
    assert MAILTO in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/showcase/consent/unknown-token/",
        "/membership/invitations/unknown-token/",
        "/review/invitations/unknown-token/",
    ],
)
def test_a_link_that_does_not_work_says_whom_to_write_to(anonymous, path):
    response = anonymous.get(path)

    assert response.status_code == 404
    assert MAILTO in response.content.decode()


def test_the_403_page_says_whom_to_write_to(rf, public_user):
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = public_user
    response = permission_denied(request, exception=None)

    assert "tell the association's staff" in response.content.decode()
    assert MAILTO in response.content.decode()


def test_the_address_falls_back_to_the_postal_address(anonymous, contact):
    contact.email = ""
    contact.address = "1 Twinning Way, Springfield"
    contact.save()

    html = anonymous.get(reverse("matchmaking:seeking_list")).content.decode()

    assert "Write to Twinning Association, 1 Twinning Way, Springfield." in html


def test_an_e_mail_that_invites_questions_gives_the_address(
    springfield_member, committee_admin_user, staff_user
):
    from tests.factories.members import MembershipTypeFactory
    from twinning.members.services import apply_for_membership, decline_membership

    applied = apply_for_membership(
        member=springfield_member,
        membership_type=MembershipTypeFactory(),
        communities=list(springfield_member.communities.all()),
        by=committee_admin_user,
    )

    decline_membership(membership=applied, message="Not this year.", by=staff_user)

    body = OutboxMessage.objects.get(template="members.application_declined").body
    assert f"Any question? Write to us at {ADDRESS}." in body
