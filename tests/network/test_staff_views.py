"""Staff pages of the registry: roles, the proposals queue, the data-quality list, recording and
changing partnerships, query-count guards and CSRF."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CommunityFactory, CountryFactory, PartnershipFactory
from twinning.core.models import ActivityLog
from twinning.core.services import log_activity
from twinning.network.models import (
    Community,
    ImportRun,
    Partnership,
    PartnershipProposal,
)
from twinning.network.services import propose_partnership

pytestmark = pytest.mark.django_db


# --- Arrangements ------------------------------------------------------------------------------


def _proposal(committee_admin_user, member, community, *, partner=None, note="Signed in 2024"):
    return propose_partnership(
        member=member,
        community=community,
        partner=partner or CommunityFactory(name="Kraków"),
        established_year=2024,
        note=note,
        by=committee_admin_user,
    )


def _flagged(name="Birmingham", **fields):
    defaults = {
        "location_status": Community.LocationStatus.OUTSIDE_COUNTRY,
        "latitude": 52.48,
        "longitude": -1.89,
        "suggested_latitude": 33.52,
        "suggested_longitude": -86.81,
        "location_note": "Point lies in GB",
        "country": CountryFactory(code="US"),
    }
    return CommunityFactory(name=name, **{**defaults, **fields})


@pytest.fixture
def proposal(committee_admin_user, springfield_member, springfield):
    return _proposal(committee_admin_user, springfield_member, springfield)


@pytest.fixture
def flagged():
    return _flagged()


@pytest.fixture
def partnership():
    return PartnershipFactory(
        community_a__name="Lyon", community_b__name="Frankfurt", source="charter"
    )


@pytest.fixture
def targets(proposal, flagged, partnership):
    """One object of each kind the staff pages act on."""
    return {"proposal": proposal, "flagged": flagged, "partnership": partnership}


def _url(name, targets):
    target = {
        "staff_proposal_detail": "proposal",
        "staff_proposal_approve": "proposal",
        "staff_proposal_decline": "proposal",
        "staff_location_accept": "flagged",
        "staff_location_keep": "flagged",
        "staff_partnership_status": "partnership",
        "staff_partnership_confirm": "partnership",
    }.get(name)
    pk = targets[target].pk if target else None
    return reverse(f"network:{name}", kwargs={"pk": pk} if pk else None)


PAGES = [
    ("staff_dashboard", "Staff dashboard"),
    ("staff_proposal_list", "Requests from committees"),
    ("staff_proposal_detail", "New partnership: Springfield – Kraków"),
    ("staff_location_list", "Locations to review"),
    ("staff_partnership_create", "Record a partnership"),
    ("staff_partnership_status", "Lyon – Frankfurt"),
    ("staff_community_search", '"results"'),
]
ACTIONS = [
    "staff_proposal_approve",
    "staff_proposal_decline",
    "staff_location_accept",
    "staff_location_keep",
    "staff_partnership_confirm",
]
REFUSED = ["public", "committee_admin", "other_committee_admin"]


# --- Roles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "heading"), PAGES)
def test_staff_page_shows_to_verified_staff(staff, name, heading, targets):
    response = staff.get(_url(name, targets))

    assert response.status_code == 200
    assert heading in response.content.decode()


@pytest.mark.parametrize("name", [n for n, _ in PAGES] + ACTIONS)
def test_staff_page_sends_anonymous_to_sign_in(anonymous, name, targets):
    url = _url(name, targets)

    response = anonymous.post(url) if name in ACTIONS else anonymous.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", [n for n, _ in PAGES] + ACTIONS)
@pytest.mark.parametrize("persona", REFUSED)
def test_staff_page_is_not_found_for_other_roles(request, persona, name, targets):
    client = request.getfixturevalue(persona)
    url = _url(name, targets)

    response = client.post(url) if name in ACTIONS else client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    targets["proposal"].refresh_from_db()
    assert targets["proposal"].state == PartnershipProposal.State.PENDING


@pytest.mark.parametrize("name", [n for n, _ in PAGES] + ACTIONS)
def test_staff_page_asks_staff_without_second_factor_for_their_code(
    staff_without_otp, name, targets
):
    url = _url(name, targets)

    response = staff_without_otp.post(url) if name in ACTIONS else staff_without_otp.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp_verify"))
    targets["flagged"].refresh_from_db()
    assert targets["flagged"].location_status == Community.LocationStatus.OUTSIDE_COUNTRY


# --- Dashboard ---------------------------------------------------------------------------------


def test_staff_dashboard_counts_pending_requests_and_flagged_locations(staff, proposal, flagged):
    _flagged("Placeholder town", location_status=Community.LocationStatus.PLACEHOLDER)

    response = staff.get(reverse("network:staff_dashboard"))

    content = response.content.decode()
    assert response.context["pending_count"] == 1
    assert {row["status"]: row["count"] for row in response.context["flagged"]} == {
        "outside_country": 1,
        "placeholder": 1,
    }
    assert "Point lies outside its country</a>: 1" in content


def test_staff_dashboard_lists_recent_activity_and_imports(staff, proposal):
    ImportRun.objects.create(source_name="twin_cities.csv", rows_read=10, created=8, succeeded=True)

    response = staff.get(reverse("network:staff_dashboard"))

    content = response.content.decode()
    assert "network.proposal.submitted" in content
    assert "admin@springfield.example" in content
    assert "twin_cities.csv" in content


def _activity(n):
    user = CommunityFactory()  # any object will do as the target
    for i in range(n):
        log_activity(user, f"network.test.{i}")
        ImportRun.objects.create(source_name=f"file-{i}.csv")
        _flagged(f"Flagged {i}", slug=f"flagged-{i}")


@pytest.mark.parametrize("n", [1, 3])
def test_staff_dashboard_queries_do_not_grow_with_rows(staff, django_assert_num_queries, n):
    _activity(n)
    staff.get(reverse("network:staff_dashboard"))  # warm the association cache

    # session, user, OTP device; pending count, flagged counts, activity, imports
    with django_assert_num_queries(7):
        response = staff.get(reverse("network:staff_dashboard"))

    assert len(response.context["activity"]) == ActivityLog.objects.count()


# --- Proposals ---------------------------------------------------------------------------------


def test_staff_proposal_list_shows_pending_requests(staff, proposal):
    response = staff.get(reverse("network:staff_proposal_list"))

    content = response.content.decode()
    assert "Springfield Sister Cities" in content
    assert "Springfield (United States) – Kraków" in content
    assert reverse("network:staff_proposal_detail", kwargs={"pk": proposal.pk}) in content


@pytest.mark.parametrize("n", [1, 3])
def test_staff_proposal_list_queries_do_not_grow_with_rows(
    staff, committee_admin_user, django_assert_num_queries, n
):
    springfield_member = committee_admin_user.administered_members.get()
    springfield = springfield_member.communities.get()
    for i in range(n):
        _proposal(
            committee_admin_user,
            springfield_member,
            springfield,
            partner=CommunityFactory(name=f"Partner {i}"),
        )
    staff.get(reverse("network:staff_proposal_list"))

    # session, user, OTP device; count, page
    with django_assert_num_queries(5):
        response = staff.get(reverse("network:staff_proposal_list"))

    assert len(response.context["page"].object_list) == n


def test_staff_proposal_approve_records_the_partnership(staff, proposal, staff_user):
    response = staff.post(
        reverse("network:staff_proposal_approve", kwargs={"pk": proposal.pk}),
        {"approve-message": "Welcome!"},
        follow=True,
    )

    proposal.refresh_from_db()
    assert proposal.state == PartnershipProposal.State.APPROVED
    assert proposal.decided_by == staff_user
    assert proposal.partnership.established_year == 2024
    assert proposal.partnership.is_confirmed_by(proposal.community)
    assert "The request is approved" in response.content.decode()


def test_staff_proposal_approve_twice_shows_the_refusal(staff, proposal):
    url = reverse("network:staff_proposal_approve", kwargs={"pk": proposal.pk})
    staff.post(url, {})

    response = staff.post(url, {})

    assert response.status_code == 200
    assert "This request has already been decided." in response.content.decode()
    assert Partnership.objects.count() == 1


def test_staff_proposal_decline_requires_a_message(staff, proposal):
    response = staff.post(
        reverse("network:staff_proposal_decline", kwargs={"pk": proposal.pk}),
        {"decline-message": "  "},
    )

    proposal.refresh_from_db()
    assert proposal.state == PartnershipProposal.State.PENDING
    assert "This field is required." in response.content.decode()


def test_staff_proposal_decline_sends_the_message(staff, proposal):
    response = staff.post(
        reverse("network:staff_proposal_decline", kwargs={"pk": proposal.pk}),
        {"decline-message": "Please send the council resolution."},
        follow=True,
    )

    proposal.refresh_from_db()
    assert proposal.state == PartnershipProposal.State.DECLINED
    assert proposal.decision_message == "Please send the council resolution."
    assert "The request is declined" in response.content.decode()


def test_staff_proposal_detail_refuses_get_on_actions(staff, proposal):
    response = staff.get(reverse("network:staff_proposal_approve", kwargs={"pk": proposal.pk}))

    proposal.refresh_from_db()
    assert response.status_code == 405
    assert proposal.state == PartnershipProposal.State.PENDING


# --- Locations ---------------------------------------------------------------------------------


def test_staff_location_list_shows_both_points_and_their_distance(staff, flagged):
    response = staff.get(reverse("network:staff_location_list"))

    content = response.content.decode()
    assert "Birmingham" in content
    assert "52.4800, -1.8900" in content
    assert "33.5200, -86.8100" in content
    assert "6,796 km" in content  # from England to Alabama
    assert "Point lies in GB" in content


def test_staff_location_list_filters_by_status_and_country(staff, flagged):
    other = _flagged(
        "Paris",
        country=CountryFactory(code="FR"),
        location_status=Community.LocationStatus.PLACEHOLDER,
    )

    by_status = staff.get(reverse("network:staff_location_list"), {"status": "placeholder"})
    by_country = staff.get(reverse("network:staff_location_list"), {"country": "US"})

    assert list(by_status.context["page"].object_list) == [other]
    assert list(by_country.context["page"].object_list) == [flagged]


def test_staff_location_list_leaves_out_checked_communities(staff, flagged):
    CommunityFactory(name="Fine town", location_status=Community.LocationStatus.OK)

    response = staff.get(reverse("network:staff_location_list"))

    assert list(response.context["page"].object_list) == [flagged]
    assert "Fine town" not in response.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_staff_location_list_queries_do_not_grow_with_rows(staff, django_assert_num_queries, n):
    for i in range(n):
        _flagged(f"Flagged {i}", slug=f"flagged-{i}")
    staff.get(reverse("network:staff_location_list"))

    # session, user, OTP device; count, page, countries of the filter
    with django_assert_num_queries(6):
        response = staff.get(reverse("network:staff_location_list"))

    assert len(response.context["page"].object_list) == n


def test_staff_location_accept_moves_the_point_and_redirects(staff, flagged):
    response = staff.post(
        reverse("network:staff_location_accept", kwargs={"pk": flagged.pk}), follow=True
    )

    flagged.refresh_from_db()
    assert (flagged.latitude, flagged.longitude) == (33.52, -86.81)
    assert flagged.location_status == Community.LocationStatus.OK
    assert response.redirect_chain[-1][0] == reverse("network:staff_location_list")
    assert "Birmingham now uses the gazetteer&#x27;s point." in response.content.decode()


def test_staff_location_keep_with_htmx_answers_the_row_only(staff, flagged):
    response = staff.post(
        reverse("network:staff_location_keep", kwargs={"pk": flagged.pk}),
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    flagged.refresh_from_db()
    assert flagged.location_status == Community.LocationStatus.OK
    assert (flagged.latitude, flagged.longitude) == (52.48, -1.89)
    assert content.strip().startswith(f'<tr id="location-{flagged.pk}">')
    assert "<html" not in content
    assert "Birmingham keeps its current point." in content


def test_staff_location_accept_without_suggestion_shows_the_error_in_the_row(staff):
    unplaced = _flagged(
        "Nowhere",
        location_status=Community.LocationStatus.UNMATCHED,
        suggested_latitude=None,
        suggested_longitude=None,
    )

    response = staff.post(
        reverse("network:staff_location_accept", kwargs={"pk": unplaced.pk}),
        headers={"HX-Request": "true"},
    )

    unplaced.refresh_from_db()
    assert unplaced.location_status == Community.LocationStatus.UNMATCHED
    assert "There is no suggested point for this community." in response.content.decode()


def test_staff_location_action_ignores_an_outside_next_address(staff, flagged):
    response = staff.post(
        reverse("network:staff_location_keep", kwargs={"pk": flagged.pk}),
        {"next": "https://evil.example/"},
    )

    assert response.url == reverse("network:staff_location_list")


def test_staff_location_action_refuses_a_post_without_csrf_token(staff, flagged):
    client = Client(enforce_csrf_checks=True)
    client.cookies = staff.cookies

    response = client.post(reverse("network:staff_location_accept", kwargs={"pk": flagged.pk}))

    flagged.refresh_from_db()
    assert response.status_code == 403
    assert flagged.location_status == Community.LocationStatus.OUTSIDE_COUNTRY


# --- Partnerships ------------------------------------------------------------------------------


def test_staff_partnership_create_records_a_pair_chosen_by_slug_or_name(staff, staff_user):
    lyon = CommunityFactory(name="Lyon", slug="lyon-fr")
    beersheba = CommunityFactory(name="Beersheba")

    response = staff.post(
        reverse("network:staff_partnership_create"),
        {
            "community": "lyon-fr",
            "partner": "beersheba",
            "kind": "twin_town",
            "status": "active",
            "established_year": "1990",
            "source": "council minutes",
            "source_reference": "2024/17",
        },
        follow=True,
    )

    partnership = Partnership.objects.between(lyon, beersheba).get()
    assert partnership.kind == Partnership.Kind.TWIN_TOWN
    assert partnership.source_reference == "2024/17"
    assert ActivityLog.objects.filter(action="network.partnership.recorded").get().actor == (
        staff_user
    )
    assert "The partnership is recorded." in response.content.decode()


def test_staff_partnership_create_refuses_an_existing_pair_in_either_order(staff, partnership):
    response = staff.post(
        reverse("network:staff_partnership_create"),
        {
            "community": partnership.community_b.slug,
            "partner": partnership.community_a.slug,
            "kind": "sister_city",
            "status": "active",
        },
    )

    assert "Lyon and Frankfurt are already partners." in response.content.decode()
    assert Partnership.objects.count() == 1


def test_staff_partnership_create_refuses_a_community_with_itself(staff):
    lyon = CommunityFactory(name="Lyon")

    response = staff.post(
        reverse("network:staff_partnership_create"),
        {"community": lyon.slug, "partner": lyon.slug, "kind": "sister_city", "status": "active"},
    )

    assert "A community cannot be partnered with itself." in response.content.decode()
    assert Partnership.objects.count() == 0


def test_staff_partnership_create_asks_to_pick_among_same_named_communities(staff):
    CommunityFactory(name="Springfield", slug="springfield-us-il")
    CommunityFactory(name="Springfield", slug="springfield-us-ma")
    CommunityFactory(name="Tokyo")

    response = staff.post(
        reverse("network:staff_partnership_create"),
        {"community": "Springfield", "partner": "Tokyo", "kind": "sister_city", "status": "active"},
    )

    assert "Several communities are called" in response.content.decode()
    assert Partnership.objects.count() == 0


def test_staff_community_search_suggests_communities_by_name_prefix(staff):
    CommunityFactory(name="Kraków", slug="krakow-pl", country=CountryFactory(code="DE"))
    CommunityFactory(name="Kyoto")

    response = staff.get(reverse("network:staff_community_search"), {"q": "krak"})

    assert response.json() == {"results": [{"value": "krakow-pl", "label": "Kraków (Germany)"}]}


def test_staff_partnership_status_changes_status_with_date_and_note(staff, partnership):
    response = staff.post(
        reverse("network:staff_partnership_status", kwargs={"pk": partnership.pk}),
        {"status": "dormant", "on": "2025-03-01", "note": "No exchange since 2019"},
        follow=True,
    )

    partnership.refresh_from_db()
    change = partnership.status_changes.get()
    assert partnership.status == Partnership.Status.DORMANT
    assert str(partnership.status_changed_on) == "2025-03-01"
    assert change.note == "No exchange since 2019"
    assert "No exchange since 2019" in response.content.decode()


def test_staff_partnership_status_refuses_the_same_status(staff, partnership):
    response = staff.post(
        reverse("network:staff_partnership_status", kwargs={"pk": partnership.pk}),
        {"status": "active"},
    )

    assert "The partnership already has this status." in response.content.decode()
    assert partnership.status_changes.count() == 0


def test_staff_partnership_confirm_records_one_side(staff, partnership):
    response = staff.post(
        reverse("network:staff_partnership_confirm", kwargs={"pk": partnership.pk}),
        {"side": partnership.community_b_id},
        follow=True,
    )

    partnership.refresh_from_db()
    assert partnership.confirmed_by_b_on is not None
    assert partnership.confirmed_by_a_on is None
    assert "The confirmation of Frankfurt is recorded." in response.content.decode()


def test_staff_partnership_confirm_refuses_a_community_outside_the_pair(staff, partnership):
    stranger = CommunityFactory(name="Stranger")

    response = staff.post(
        reverse("network:staff_partnership_confirm", kwargs={"pk": partnership.pk}),
        {"side": stranger.pk},
    )

    partnership.refresh_from_db()
    assert "Select a valid choice" in response.content.decode()
    assert partnership.confirmed_by_a_on is None
    assert partnership.confirmed_by_b_on is None


def test_staff_location_list_puts_fixable_points_before_unmatched_ones(staff):
    CommunityFactory(name="Aardorp", location_status=Community.LocationStatus.UNMATCHED)
    CommunityFactory(
        name="Zeestad",
        location_status=Community.LocationStatus.OUTSIDE_COUNTRY,
        suggested_latitude=1.0,
        suggested_longitude=2.0,
    )

    response = staff.get(reverse("network:staff_location_list"))

    names = [c.name for c in response.context["page"].object_list]
    assert names == ["Zeestad", "Aardorp"]
