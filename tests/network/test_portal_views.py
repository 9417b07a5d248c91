"""The committee admins' portal: roles, tenant isolation (ACC-3 to ACC-5), profile, requests
to staff, confirmations, a query-count guard and CSRF."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CommunityFactory, CountryFactory, MemberFactory, PartnershipFactory
from twinning.core.models import ActivityLog
from twinning.network.models import Partnership, PartnershipProposal
from twinning.network.services import decline_proposal, propose_partnership, remove_committee_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(springfield):
    return PartnershipFactory(
        community_a=springfield,
        community_b=CommunityFactory(name="Tamsui", country=CountryFactory(code="JP")),
        kind=Partnership.Kind.SISTER_CITY,
    )


@pytest.fixture
def shelbyville(other_committee_admin_user):
    member = other_committee_admin_user.administered_members.get()
    town = CommunityFactory(name="Shelbyville")
    member.communities.add(town)
    return town


def _url(name, springfield_member, partnership):
    kwargs = {"slug": springfield_member.slug}
    if name in {"portal_status_proposal", "portal_partnership_confirm"}:
        kwargs["pk"] = partnership.pk
    return reverse(f"network:{name}", kwargs=kwargs)


MEMBER_PAGES = [
    ("portal_member", "Springfield Sister Cities"),
    ("portal_member_edit", "Edit the public profile"),
    ("portal_proposal_create", "Propose a new partnership"),
    ("portal_status_proposal", "Propose a change of status"),
]
MEMBER_ACTIONS = ["portal_partnership_confirm"]
ALL_MEMBER_VIEWS = [n for n, _ in MEMBER_PAGES] + MEMBER_ACTIONS


# --- Roles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "heading"), MEMBER_PAGES)
def test_portal_page_shows_to_its_committee_admin(
    committee_admin, name, heading, springfield_member, partnership
):
    response = committee_admin.get(_url(name, springfield_member, partnership))

    assert response.status_code == 200
    assert heading in response.content.decode()


@pytest.mark.parametrize("name", ALL_MEMBER_VIEWS)
@pytest.mark.parametrize(
    "persona", ["public", "other_committee_admin", "staff", "staff_without_otp"]
)
def test_portal_member_page_is_not_found_for_anyone_else(
    request, persona, name, springfield_member, partnership
):
    client = request.getfixturevalue(persona)
    url = _url(name, springfield_member, partnership)

    response = client.post(url) if name in MEMBER_ACTIONS else client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert partnership.confirmed_by_a_on is None


@pytest.mark.parametrize("name", ["portal_home", "portal_community_search", *ALL_MEMBER_VIEWS])
def test_portal_sends_anonymous_to_sign_in(anonymous, name, springfield_member, partnership):
    url = (
        reverse(f"network:{name}")
        if name in {"portal_home", "portal_community_search"}
        else _url(name, springfield_member, partnership)
    )

    response = anonymous.post(url) if name in MEMBER_ACTIONS else anonymous.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_portal_home_lists_the_members_the_user_administers(
    committee_admin, committee_admin_user, springfield_member
):
    second = MemberFactory(name="Springfield Town Hall", communities=[CommunityFactory()])
    second.admins.add(committee_admin_user)
    MemberFactory(name="Not ours")

    response = committee_admin.get(reverse("network:portal_home"))

    content = response.content.decode()
    assert list(response.context["members"]) == [springfield_member, second]
    assert "Springfield Town Hall" in content
    assert "Not ours" not in content


@pytest.mark.parametrize("persona", ["public", "staff"])
def test_portal_home_tells_a_user_without_a_member_whom_to_ask(request, persona):
    client = request.getfixturevalue(persona)

    response = client.get(reverse("network:portal_home"))

    assert response.status_code == 200
    assert "You do not administer a member organisation yet." in response.content.decode()


def test_portal_home_shows_other_committee_admin_only_their_member(
    other_committee_admin, springfield_member
):
    response = other_committee_admin.get(reverse("network:portal_home"))

    content = response.content.decode()
    assert "Shelbyville Twinning Association" in content
    assert "Springfield Sister Cities" not in content


def test_portal_community_search_answers_committee_admins(committee_admin):
    CommunityFactory(name="Tamsui", slug="tamsui-tw")

    response = committee_admin.get(reverse("network:portal_community_search"), {"q": "tam"})

    assert [r["value"] for r in response.json()["results"]] == ["tamsui-tw"]


@pytest.mark.parametrize("persona", ["public", "staff"])
def test_portal_community_search_is_not_found_for_non_admins(request, persona):
    client = request.getfixturevalue(persona)

    response = client.get(reverse("network:portal_community_search"), {"q": "tam"})

    assert response.status_code == 404


def test_portal_is_closed_at_once_when_the_admin_is_removed(
    committee_admin, committee_admin_user, springfield_member, staff_user
):
    url = reverse("network:portal_member", kwargs={"slug": springfield_member.slug})
    assert committee_admin.get(url).status_code == 200

    remove_committee_admin(member=springfield_member, user=committee_admin_user, by=staff_user)
    response = committee_admin.get(url)

    assert response.status_code == 404


# --- Member page -------------------------------------------------------------------------------


def test_portal_member_shows_partnerships_with_each_sides_confirmation(
    committee_admin, springfield_member, partnership
):
    partnership.confirmed_by_b_on = partnership.created_at.date()
    partnership.save()

    response = committee_admin.get(_url("portal_member", springfield_member, partnership))

    content = response.content.decode()
    [row] = response.context["communities"][0]["partnerships"]
    assert row["partner"].name == "Tamsui"
    assert (row["ours"], row["theirs"]) == (False, True)
    assert "Tamsui" in content
    assert 'class="badge badge--ok">Active' in content
    assert (
        reverse(
            "network:portal_partnership_confirm",
            kwargs={"slug": springfield_member.slug, "pk": partnership.pk},
        )
        in content
    )


def test_portal_member_shows_requests_and_staff_decision(
    committee_admin, committee_admin_user, springfield_member, springfield, staff_user
):
    proposal = propose_partnership(
        member=springfield_member,
        community=springfield,
        partner=CommunityFactory(name="Nagoya"),
        by=committee_admin_user,
    )
    decline_proposal(proposal=proposal, message="We need the council's decision.", by=staff_user)

    response = committee_admin.get(
        reverse("network:portal_member", kwargs={"slug": springfield_member.slug})
    )

    content = response.content.decode()
    assert "Springfield – Nagoya" in content
    assert "Declined" in content
    assert "We need the council&#x27;s decision." in content


@pytest.mark.parametrize("n", [1, 3])
def test_portal_member_queries_do_not_grow_with_partnerships(
    committee_admin, springfield_member, springfield, django_assert_num_queries, n
):
    for _ in range(n):
        PartnershipFactory(community_a=springfield)
    url = reverse("network:portal_member", kwargs={"slug": springfield_member.slug})
    committee_admin.get(url)

    # session, user; member, communities, partnerships, proposals; the
    # exchange's panel (communities, partnerships, students who went, kept figures)
    with django_assert_num_queries(10):
        response = committee_admin.get(url)

    assert len(response.context["communities"][0]["partnerships"]) == n


# --- Profile -----------------------------------------------------------------------------------


def test_portal_member_edit_saves_the_profile_through_the_service(
    committee_admin, committee_admin_user, springfield_member
):
    response = committee_admin.post(
        reverse("network:portal_member_edit", kwargs={"slug": springfield_member.slug}),
        {
            "website": "https://springfield.example",
            "description": "Friends of Tamsui since 1987.",
            # The seeking flag is matchmaking's now (tests/matchmaking): ignored here.
            "seeking_partner": "on",
            "interests": "Youth exchanges",
            "languages": "English, Spanish",
        },
        follow=True,
    )

    springfield_member.refresh_from_db()
    assert springfield_member.website == "https://springfield.example"
    assert springfield_member.interests == "Youth exchanges"
    assert springfield_member.seeking_partner is False
    assert ActivityLog.objects.get(action="network.member.profile_changed").actor == (
        committee_admin_user
    )
    assert "Your public profile is saved." in response.content.decode()


def test_portal_member_edit_ignores_fields_outside_the_profile(committee_admin, springfield_member):
    committee_admin.post(
        reverse("network:portal_member_edit", kwargs={"slug": springfield_member.slug}),
        {"description": "Hello", "name": "Hijacked", "slug": "hijacked", "is_staff": "on"},
    )

    springfield_member.refresh_from_db()
    assert springfield_member.description == "Hello"
    assert springfield_member.name == "Springfield Sister Cities"
    assert springfield_member.admins.get().is_staff is False


# The preferred regions are the seeking profile's now: tests/matchmaking/test_views.py.


# --- Requests to staff -------------------------------------------------------------------------


def test_portal_proposal_create_sends_a_request_for_our_community(
    committee_admin, committee_admin_user, springfield_member, springfield
):
    CommunityFactory(name="Nagoya", slug="nagoya-jp")

    response = committee_admin.post(
        reverse("network:portal_proposal_create", kwargs={"slug": springfield_member.slug}),
        {
            "community": springfield.pk,
            "partner": "nagoya-jp",
            "kind": "sister_city",
            "established_year": "2025",
            "note": "Signed on 1 May",
        },
        follow=True,
    )

    proposal = PartnershipProposal.objects.get()
    assert (proposal.community, proposal.partner.slug) == (springfield, "nagoya-jp")
    assert proposal.proposed_by == committee_admin_user
    assert proposal.state == PartnershipProposal.State.PENDING
    assert "Your request is sent to staff for review." in response.content.decode()


def test_portal_proposal_create_refuses_another_committees_community(
    committee_admin, springfield_member, shelbyville
):
    CommunityFactory(name="Nagoya", slug="nagoya-jp")

    response = committee_admin.post(
        reverse("network:portal_proposal_create", kwargs={"slug": springfield_member.slug}),
        {"community": shelbyville.pk, "partner": "nagoya-jp", "kind": "sister_city"},
    )

    assert "Select a valid choice" in response.content.decode()
    assert PartnershipProposal.objects.count() == 0


def test_portal_proposal_create_for_another_member_is_not_found(
    committee_admin, shelbyville, springfield
):
    other = shelbyville.members.get()

    response = committee_admin.post(
        reverse("network:portal_proposal_create", kwargs={"slug": other.slug}),
        {"community": shelbyville.pk, "partner": springfield.slug, "kind": "sister_city"},
    )

    assert response.status_code == 404
    assert PartnershipProposal.objects.count() == 0


def test_portal_proposal_create_ignores_mass_assigned_fields(
    committee_admin, springfield_member, springfield, shelbyville
):
    CommunityFactory(name="Nagoya", slug="nagoya-jp")

    committee_admin.post(
        reverse("network:portal_proposal_create", kwargs={"slug": springfield_member.slug}),
        {
            "community": springfield.pk,
            "partner": "nagoya-jp",
            "kind": "sister_city",
            "state": "approved",
            "status": "ended",
            "member": shelbyville.members.get().pk,
            "is_staff": "on",
        },
    )

    proposal = PartnershipProposal.objects.get()
    assert proposal.state == PartnershipProposal.State.PENDING
    assert proposal.status == Partnership.Status.ACTIVE
    assert proposal.member == springfield_member
    assert Partnership.objects.count() == 0


def test_portal_proposal_create_refuses_existing_partners(
    committee_admin, springfield_member, springfield, partnership
):
    response = committee_admin.post(
        reverse("network:portal_proposal_create", kwargs={"slug": springfield_member.slug}),
        {
            "community": springfield.pk,
            "partner": partnership.community_b.slug,
            "kind": "sister_city",
        },
    )

    assert "These two communities are already partners" in response.content.decode()
    assert PartnershipProposal.objects.count() == 0


def test_portal_status_proposal_asks_staff_to_change_the_status(
    committee_admin, springfield_member, springfield, partnership
):
    committee_admin.post(
        _url("portal_status_proposal", springfield_member, partnership),
        {"status": "dormant", "note": "No exchange since 2019"},
    )

    proposal = PartnershipProposal.objects.get()
    partnership.refresh_from_db()
    assert proposal.action == PartnershipProposal.Action.STATUS
    assert (proposal.community, proposal.partner) == (springfield, partnership.community_b)
    assert proposal.status == Partnership.Status.DORMANT
    assert partnership.status == Partnership.Status.ACTIVE


def test_portal_status_proposal_for_another_committees_partnership_is_not_found(
    committee_admin, springfield_member, shelbyville
):
    theirs = PartnershipFactory(community_a=shelbyville)

    response = committee_admin.post(
        reverse(
            "network:portal_status_proposal",
            kwargs={"slug": springfield_member.slug, "pk": theirs.pk},
        ),
        {"status": "ended"},
    )

    assert response.status_code == 404
    assert PartnershipProposal.objects.count() == 0


# --- Confirmation ------------------------------------------------------------------------------


def test_portal_partnership_confirm_records_our_side(
    committee_admin, springfield_member, springfield, partnership
):
    response = committee_admin.post(
        _url("portal_partnership_confirm", springfield_member, partnership),
        {"side": springfield.pk},
        follow=True,
    )

    partnership.refresh_from_db()
    assert partnership.confirmed_by_a_on is not None
    assert partnership.confirmed_by_b_on is None
    assert "You confirmed this partnership for Springfield." in response.content.decode()


def test_portal_partnership_confirm_refuses_to_confirm_for_the_partner(
    committee_admin, springfield_member, partnership
):
    response = committee_admin.post(
        _url("portal_partnership_confirm", springfield_member, partnership),
        {"side": partnership.community_b_id},
        follow=True,
    )

    partnership.refresh_from_db()
    assert partnership.confirmed_by_b_on is None
    assert "Choose one of your own communities to confirm for." in response.content.decode()


def test_portal_partnership_confirm_refuses_a_post_without_csrf_token(
    committee_admin, springfield_member, springfield, partnership
):
    client = Client(enforce_csrf_checks=True)
    client.cookies = committee_admin.cookies

    response = client.post(
        _url("portal_partnership_confirm", springfield_member, partnership),
        {"side": springfield.pk},
    )

    partnership.refresh_from_db()
    assert response.status_code == 403
    assert partnership.confirmed_by_a_on is None


def test_portal_member_of_another_committee_is_not_found(committee_admin, shelbyville):
    other = shelbyville.members.get()

    response = committee_admin.get(reverse("network:portal_member", kwargs={"slug": other.slug}))

    assert response.status_code == 404
    assert "Shelbyville" not in response.content.decode()
