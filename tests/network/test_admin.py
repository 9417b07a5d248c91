"""The registry's admin: every model's pages for verified staff, fast on many rows, closed to
everyone else, and every state change through a service (it leaves an audit entry)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.factories import (
    CommunityFactory,
    CountryFactory,
    MemberFactory,
    PartnershipFactory,
    UserFactory,
)
from twinning.core.authz import SYSTEM
from twinning.core.models import ActivityLog
from twinning.network.models import (
    Community,
    Contact,
    Country,
    GazetteerPlace,
    ImportRun,
    Member,
    Officer,
    Partnership,
    PartnershipProposal,
    PartnershipStatusChange,
)
from twinning.network.services import change_partnership_status, propose_partnership


def _actions():
    return list(ActivityLog.objects.order_by("pk").values_list("action", flat=True))


def _url(model, view="changelist", *args):
    return reverse(f"admin:network_{model._meta.model_name}_{view}", args=args)


# --- One row of each model, named so a search finds it ------------------------------------


def _country(n):
    return CountryFactory(code=["FR", "DE", "JP"][n], name=["France", "Germany", "Japan"][n])


def _community(n):
    return CommunityFactory(name=f"Zürich {n}", country__code="CH", country__name="Switzerland")


def _partnership(n):
    partnership = PartnershipFactory(community_a__name=f"Lyon {n}")
    change_partnership_status(partnership=partnership, status="dormant", by=SYSTEM)
    return partnership


def _member(n):
    member = MemberFactory(name=f"Springfield Friends {n}", communities=[CommunityFactory()])
    Officer.objects.create(member=member, name=f"Ann {n}", position="president")
    Contact.objects.create(member=member, name=f"Bob {n}", role="press")
    return member


def _officer(n):
    return Officer.objects.create(member=MemberFactory(), name=f"Ann {n}", position="president")


def _contact(n):
    return Contact.objects.create(member=MemberFactory(), name=f"Bob {n}", role="press")


def _proposal(n):
    community = CommunityFactory()
    member = MemberFactory(name=f"Springfield Friends {n}", communities=[community])
    user = UserFactory()
    member.admins.add(user)
    return propose_partnership(
        member=member, community=community, partner=CommunityFactory(), by=user
    )


def _place(n):
    return GazetteerPlace.objects.create(
        geonames_id=1000 + n,
        name=f"Zürich {n}",
        country_code="CH",
        latitude=47.4,
        longitude=8.5,
        population=400_000,
    )


def _import_run(n):
    return ImportRun.objects.create(source_name=f"twin_cities_{n}.csv", succeeded=True)


@dataclass(frozen=True)
class Case:
    model: type
    make: Callable[[int], Any]  # makes row n
    term: str  # a search that finds row 0
    filters: dict[str, str]  # a filter that keeps row 0
    text: str  # row 0 as shown on the changelist

    def __str__(self) -> str:
        return self.model._meta.model_name


CASES = [
    Case(Community, _community, "zur", {"kind__exact": "city"}, "Zürich 0"),
    Case(Partnership, _partnership, "Lyon", {"status__exact": "dormant"}, "Lyon 0"),
    Case(Member, _member, "springfield", {"kind__exact": "committee"}, "Springfield Friends 0"),
    Case(Officer, _officer, "ann", {"position__exact": "president"}, "Ann 0"),
    Case(Contact, _contact, "bob", {"role__exact": "press"}, "Bob 0"),
    Case(PartnershipProposal, _proposal, "springfield", {"state__exact": "pending"}, "Springfield"),
    Case(GazetteerPlace, _place, "zür", {"country_code": "CH", "population": "large"}, "Zürich 0"),
    Case(ImportRun, _import_run, "twin", {"succeeded__exact": "1"}, "twin_cities_0.csv"),
    Case(Country, _country, "fra", {"region__exact": "europe"}, "France"),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_changelist_searches_and_filters_for_verified_staff(staff, case):
    case.make(0)

    response = staff.get(_url(case.model), {"q": case.term, **case.filters})

    assert response.status_code == 200
    assert case.text in response.text
    assert "0 results" not in response.text


@pytest.mark.parametrize("case", CASES, ids=str)
def test_change_page_renders_for_verified_staff(staff, case):
    obj = case.make(0)

    response = staff.get(_url(case.model, "change", obj.pk))

    assert response.status_code == 200
    assert str(obj) in response.text


# Queries on a changelist page for verified staff, whatever the number of rows.
CHANGELIST_QUERIES = {
    "community": 8,
    "partnership": 8,
    "member": 8,
    "officer": 8,
    "contact": 8,
    "partnershipproposal": 7,
    "gazetteerplace": 8,
    "importrun": 10,
    "country": 8,
}


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_changelist_query_count_does_not_grow_with_rows(
    staff, django_assert_num_queries, case, count
):
    for n in range(count):
        case.make(n)
    staff.get(_url(case.model))

    with django_assert_num_queries(CHANGELIST_QUERIES[str(case)]):
        response = staff.get(_url(case.model))

    assert case.text in response.text


@pytest.mark.parametrize("persona", ["anonymous", "public", "committee_admin", "staff_without_otp"])
def test_registry_admin_sends_everyone_but_verified_staff_to_the_login(request, persona):
    client = request.getfixturevalue(persona)

    response = client.get(_url(Community))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_index_lists_the_registry_for_verified_staff(staff):
    response = staff.get("/admin/")

    assert "Partnership proposals" in response.text
    assert "Gazetteer places" in response.text


# --- Partnerships through the services ------------------------------------------------------


def test_adding_a_partnership_records_it_through_the_service(staff):
    first, second = CommunityFactory(name="Lyon"), CommunityFactory(name="Kyoto")

    response = staff.post(
        _url(Partnership, "add"),
        {
            # picked in the "wrong" order: stored in id order all the same
            "community_a": second.pk,
            "community_b": first.pk,
            "kind": "sister_city",
            "status": "active",
            "established_year": "1959",
            "source": "admin",
            "source_reference": "",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )

    partnership = Partnership.objects.get()
    assert response.status_code == 302
    assert (partnership.community_a, partnership.community_b) == (first, second)
    assert partnership.status_changes.count() == 1
    assert _actions() == ["network.partnership.recorded"]


def test_adding_a_partnership_twice_is_refused_on_the_form(staff):
    existing = PartnershipFactory()

    response = staff.post(
        _url(Partnership, "add"),
        {
            "community_a": existing.community_b.pk,
            "community_b": existing.community_a.pk,
            "kind": "sister_city",
            "status": "active",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "These two communities are already partners." in response.text
    assert Partnership.objects.count() == 1


def test_changing_a_partnerships_status_goes_through_the_service(staff):
    partnership = PartnershipFactory(kind="sister_city")

    response = staff.post(
        _url(Partnership, "change", partnership.pk),
        {
            "kind": "twin_town",
            "status": "ended",
            "status_note": "The committee dissolved.",
            "established_year": "",
            "source": "test",
            "source_reference": "",
            "notes": "",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )

    partnership.refresh_from_db()
    assert response.status_code == 302
    assert (partnership.kind, partnership.status) == ("twin_town", "ended")
    assert list(PartnershipStatusChange.objects.values_list("status", "note")) == [
        ("ended", "The committee dissolved.")
    ]
    assert _actions() == ["network.partnership.status_changed"]


def test_partnership_change_page_shows_the_status_history_read_only(staff):
    partnership = _partnership(0)

    response = staff.get(_url(Partnership, "change", partnership.pk))

    assert "Partnership status changes" in response.text
    assert 'name="status_changes-0-note"' not in response.text
    assert "Dormant" in response.text


def test_partnerships_cannot_be_deleted_in_the_admin(staff):
    partnership = PartnershipFactory()

    response = staff.post(_url(Partnership, "delete", partnership.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Partnership.objects.filter(pk=partnership.pk).exists()


# --- Communities --------------------------------------------------------------------------


def _flagged(**fields):
    return CommunityFactory(
        latitude=52.48,
        longitude=-1.89,
        suggested_latitude=33.52,
        suggested_longitude=-86.81,
        location_status=Community.LocationStatus.OUTSIDE_COUNTRY,
        location_note="Placed in England",
        **fields,
    )


def test_accept_the_gazetteers_point_action_moves_the_community(staff):
    community = _flagged(name="Birmingham")

    staff.post(
        _url(Community),
        {"action": "accept_suggested_point", ACTION_CHECKBOX_NAME: [community.pk], "index": 0},
    )

    community.refresh_from_db()
    assert (community.latitude, community.longitude) == (33.52, -86.81)
    assert community.location_status == Community.LocationStatus.OK
    assert _actions() == ["network.community.location_accepted"]


def test_keep_the_current_point_action_clears_the_flag_only(staff):
    community = _flagged(name="Birmingham")

    staff.post(
        _url(Community),
        {"action": "keep_current_point", ACTION_CHECKBOX_NAME: [community.pk], "index": 0},
    )

    community.refresh_from_db()
    assert (community.latitude, community.longitude) == (52.48, -1.89)
    assert community.location_status == Community.LocationStatus.OK
    assert _actions() == ["network.community.location_confirmed"]


def test_accepting_a_point_without_a_suggestion_says_why(staff):
    community = CommunityFactory(name="Lyon")

    response = staff.post(
        _url(Community),
        {"action": "accept_suggested_point", ACTION_CHECKBOX_NAME: [community.pk], "index": 0},
        follow=True,
    )

    assert "There is no suggested point for this community." in response.text
    assert _actions() == []


def test_adding_a_community_goes_through_the_service(staff):
    country = CountryFactory(code="FR", name="France")

    response = staff.post(
        _url(Community, "add"),
        {
            "name": "Lyon",
            "country": "FR",
            "region": "Auvergne-Rhône-Alpes",
            "kind": "city",
            "population": "520000",
            "latitude": "45.76",
            "longitude": "4.84",
            "geonames_id": "",
            "wikidata_id": "Q456",
        },
    )

    community = Community.objects.get()
    assert response.status_code == 302
    assert (community.slug, community.country, community.wikidata_id) == (
        "lyon-fr",
        country,
        "Q456",
    )
    assert _actions() == ["network.community.created"]


def test_community_search_in_the_admin_is_accent_insensitive(staff):
    CommunityFactory(name="Zürich")
    CommunityFactory(name="Bern")

    response = staff.get(_url(Community), {"q": "ZURI"})

    assert "Zürich" in response.text
    assert "Bern" not in response.text


def test_community_autocomplete_answers_staff_with_folded_search(staff):
    CommunityFactory(name="Zürich")

    response = staff.get(
        "/admin/autocomplete/",
        {
            "term": "zur",
            "app_label": "network",
            "model_name": "partnership",
            "field_name": "community_a",
        },
    )

    assert [r["text"] for r in response.json()["results"]] == ["Zürich"]


# --- Members --------------------------------------------------------------------------------


def _member_form(**overrides):
    data = {
        "name": "Springfield Sister Cities",
        "kind": "committee",
        "communities": [],
        "website": "",
        "description": "",
        "interests": "",
        "languages": "",
        "admin_emails": "",
        "officers-TOTAL_FORMS": "0",
        "officers-INITIAL_FORMS": "0",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def test_adding_a_member_with_its_admin_goes_through_the_services(staff, springfield):
    user = UserFactory(email="chair@springfield.example")

    response = staff.post(
        _url(Member, "add"),
        _member_form(communities=[springfield.pk], admin_emails="Chair@Springfield.example"),
    )

    member = Member.objects.get()
    assert response.status_code == 302
    assert (member.slug, list(member.communities.all()), list(member.admins.all())) == (
        "springfield-sister-cities",
        [springfield],
        [user],
    )
    assert _actions() == ["network.member.created", "network.member.admin_added"]


def test_member_admin_refuses_an_unknown_admin_address(staff, springfield):
    response = staff.post(
        _url(Member, "add"),
        _member_form(communities=[springfield.pk], admin_emails="nobody@example.org"),
    )

    assert "No account has these addresses: nobody@example.org" in response.text
    assert not Member.objects.exists()


def test_changing_a_members_profile_and_admins_goes_through_the_services(
    staff, springfield_member, committee_admin_user, springfield
):
    newcomer = UserFactory(email="new@springfield.example")

    response = staff.post(
        _url(Member, "change", springfield_member.pk),
        _member_form(
            communities=[springfield.pk],
            description="Friends of Tamsui.",
            seeking_partner="on",  # read-only here: matchmaking keeps it
            admin_emails="new@springfield.example",
        ),
    )

    springfield_member.refresh_from_db()
    assert response.status_code == 302
    assert (springfield_member.seeking_partner, springfield_member.description) == (
        False,
        "Friends of Tamsui.",
    )
    assert list(springfield_member.admins.all()) == [newcomer]
    assert committee_admin_user not in springfield_member.admins.all()
    assert _actions() == [
        "network.member.profile_changed",
        "network.member.admin_added",
        "network.member.admin_removed",
    ]


# --- Proposals ------------------------------------------------------------------------------


def test_approve_action_approves_through_the_service(staff):
    proposal = _proposal(0)

    staff.post(
        _url(PartnershipProposal),
        {"action": "approve", ACTION_CHECKBOX_NAME: [proposal.pk], "index": 0},
    )

    proposal.refresh_from_db()
    assert proposal.state == PartnershipProposal.State.APPROVED
    assert proposal.partnership is not None
    assert "network.proposal.approved" in _actions()


def test_decline_action_asks_for_the_message_first(staff):
    proposal = _proposal(0)

    response = staff.post(
        _url(PartnershipProposal),
        {"action": "decline", ACTION_CHECKBOX_NAME: [proposal.pk], "index": 0},
    )

    proposal.refresh_from_db()
    assert response.status_code == 200
    assert "Why is the request declined?" in response.text
    assert proposal.state == PartnershipProposal.State.PENDING


def test_decline_action_declines_with_the_message(staff):
    proposal = _proposal(0)

    staff.post(
        _url(PartnershipProposal),
        {
            "action": "decline",
            ACTION_CHECKBOX_NAME: [proposal.pk],
            "message": "We cannot find the partner's agreement.",
        },
    )

    proposal.refresh_from_db()
    assert proposal.state == PartnershipProposal.State.DECLINED
    assert proposal.decision_message == "We cannot find the partner's agreement."
    assert _actions()[-1] == "network.proposal.declined"


def test_proposals_cannot_be_edited_in_the_admin(staff):
    proposal = _proposal(0)

    response = staff.post(_url(PartnershipProposal, "change", proposal.pk), {"state": "approved"})

    proposal.refresh_from_db()
    assert response.status_code == 403
    assert proposal.state == PartnershipProposal.State.PENDING
