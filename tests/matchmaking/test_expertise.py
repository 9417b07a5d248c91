"""The municipal expertise exchange: a committee's offers and requests, a partner abroad's
request through its single-use link, the offers suggested for a request with their reasons,
a match introduced to both sides, and its outcome reported in activities and on /impact/.
Refused roles: a lapsed member (403 with the renewal), another committee and the public
(404), anonymous visitors (sign-in). Query counts constant on every list."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import _client_for
from tests.matchmaking.helpers import ask, committee, offer, partners, town
from twinning.activities.models import Activity
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.matchmaking.models import ExpertiseMatch, ExpertiseOffer, ExpertiseRequest
from twinning.matchmaking.services import (
    decline_match,
    invite_partner_request,
    match_request,
    record_outcome,
    save_offer,
    submit_request_by_link,
)
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _url(name: str, **kwargs) -> str:
    return reverse(f"matchmaking:{name}", kwargs=kwargs)


def _link_token(message: OutboxMessage) -> str:
    (live,) = message.secret_links.values()
    return live.split("/expertise/request/")[1].strip("/")


def partner_asks(world, **fields) -> ExpertiseRequest:
    """Kragujevac asks through the link Springfield's committee sent it."""
    invited = invite_partner_request(
        member=world["member"],
        partnership=world["partnership"],
        contact_name="Milica",
        contact_email="milica@kragujevac.example",
        by=SYSTEM,
    )
    token = _link_token(OutboxMessage.objects.filter(object_id=str(invited.pk)).get())
    values = {"field": "water", "problem": "Our old pipes leak.", "languages": ["en"]}
    values.update(fields)
    return submit_request_by_link(token=token, contact_name="Milica", **values)


# --- Offers and requests ----------------------------------------------------------------------


def test_a_committee_offers_expertise(committee_admin, world):
    response = committee_admin.post(
        _url("portal_offer_new", slug=world["member"].slug),
        {
            "community": world["springfield"].slug,
            "department": "Public works",
            "field": "sanitation",
            "summary": "Separate collection of waste in a town of 100,000.",
            "people": "Jo Smith, head of public works",
            "languages": ["en", "es"],
            "forms": ["visit", "expert"],
            "is_open": "on",
        },
    )

    assert response.status_code == 302
    made = ExpertiseOffer.objects.get()
    assert (made.community, made.field, made.forms) == (
        world["springfield"],
        "sanitation",
        ["visit", "expert"],
    )
    html = committee_admin.get(_url("portal_expertise", slug=world["member"].slug)).content
    assert "Sanitation" in html.decode()


def test_an_offer_refuses_contact_data_in_its_people(committee_admin, world):
    response = committee_admin.post(
        _url("portal_offer_new", slug=world["member"].slug),
        {
            "community": world["springfield"].slug,
            "field": "water",
            "summary": "Leak detection.",
            "people": "Jo Smith, jo@springfield.gov, 555 123 4567",
        },
    )

    assert response.status_code == 200
    assert "no e-mail addresses or telephone numbers" in response.content.decode()
    assert not ExpertiseOffer.objects.exists()


def test_a_committee_closes_its_offer(committee_admin, world):
    made = offer(world["member"], world["springfield"])

    committee_admin.post(
        _url("portal_offer", slug=world["member"].slug, pk=made.pk),
        {"field": "water", "summary": made.summary, "languages": ["en"]},
    )

    made.refresh_from_db()
    assert not made.is_open


def test_an_offer_for_another_members_community_is_refused(world):
    with pytest.raises(ValidationError):
        offer(world["member"], world["portland"])


def test_a_committee_asks_for_help_and_sees_the_offers_that_fit(committee_admin, world):
    offer(world["portland_member"], world["portland"], summary="Leak detection by sound.")
    offer(world["portland_member"], world["portland"], field="health", summary="Clinics.")

    response = committee_admin.post(
        _url("portal_request_new", slug=world["member"].slug),
        {"community": world["springfield"].slug, "field": "water", "problem": "Our pipes leak."},
        follow=True,
    )

    html = response.content.decode()
    assert ExpertiseRequest.objects.get().state == ExpertiseRequest.State.OPEN
    assert "Leak detection by sound." in html and "Clinics." not in html
    assert "Expertise in the field you asked about (+40)" in html


def test_a_request_needs_its_problem(committee_admin, world):
    response = committee_admin.post(
        _url("portal_request_new", slug=world["member"].slug),
        {"community": world["springfield"].slug, "field": "water", "problem": ""},
    )

    assert response.status_code == 200
    assert not ExpertiseRequest.objects.exists()


# --- A partner abroad asks through its single-use link ------------------------------------------


def test_a_partner_abroad_asks_through_a_single_use_link(committee_admin, anonymous, world):
    committee_admin.post(
        _url("portal_invite", slug=world["member"].slug),
        {
            "partnership": world["partnership"].pk,
            "contact_name": "Milica",
            "contact_email": "milica@kragujevac.example",
        },
    )
    message = OutboxMessage.objects.get(to="milica@kragujevac.example")
    token = _link_token(message)
    assert token not in message.body  # staff read the outbox with the link redacted
    path = _url("expertise_link", token=token)

    assert "Springfield Sister Cities invites Kragujevac" in anonymous.get(path).content.decode()
    done = anonymous.post(
        path, {"contact_name": "Milica", "field": "transportation", "problem": "Buses are late."}
    )

    assert "This link no longer works." in done.content.decode()
    request = ExpertiseRequest.objects.get()
    assert (request.community, request.state, request.via) == (
        world["kragujevac"],
        ExpertiseRequest.State.OPEN,
        ExpertiseRequest.Via.LINK,
    )
    assert anonymous.get(path).status_code == 404


def test_a_link_that_expired_or_is_unknown_opens_nothing(anonymous, world, committee_admin_user):
    invite_partner_request(
        member=world["member"],
        partnership=world["partnership"],
        contact_name="",
        contact_email="milica@kragujevac.example",
        by=SYSTEM,
    )
    token = _link_token(OutboxMessage.objects.get())
    ExpertiseRequest.objects.update(token_sent_at=timezone.now() - datetime.timedelta(days=31))

    assert anonymous.get(_url("expertise_link", token=token)).status_code == 404
    assert anonymous.get(_url("expertise_link", token="not-a-token")).status_code == 404
    with pytest.raises(NotAllowed):
        submit_request_by_link(token=token, contact_name="", field="water", problem="x")


def test_a_link_with_a_bad_request_changes_nothing(anonymous, world):
    invite_partner_request(
        member=world["member"],
        partnership=world["partnership"],
        contact_name="",
        contact_email="milica@kragujevac.example",
        by=SYSTEM,
    )
    path = _url("expertise_link", token=_link_token(OutboxMessage.objects.get()))

    response = anonymous.post(path, {"field": "nonsense", "problem": ""})

    assert response.status_code == 200
    assert ExpertiseRequest.objects.get().state == ExpertiseRequest.State.INVITED
    assert anonymous.get(path).status_code == 200  # not spent


def test_a_link_is_only_for_the_members_own_partnerships(world):
    lyon, kyoto = town("Lyon", "FR"), town("Kyoto", "JP")
    theirs = partners(lyon, kyoto)

    with pytest.raises(ValidationError):
        invite_partner_request(
            member=world["member"],
            partnership=theirs,
            contact_name="",
            contact_email="x@kyoto.example",
            by=SYSTEM,
        )


# --- Matching and its outcome ------------------------------------------------------------------


def test_staff_see_open_requests_with_ranked_offers_and_their_reasons(staff, world):
    partner_asks(world, languages=["sr", "en"])
    offer(world["portland_member"], world["portland"], languages=["en"])
    offer(world["member"], world["springfield"], languages=["en", "sr"], summary="Ours.")

    html = staff.get(_url("staff_expertise")).content.decode()

    assert html.index("Springfield") < html.index("Portland")  # partners, two languages
    assert "Already partners (+25)" in html
    assert "Shared languages: en, sr (+30)" in html


def test_staff_match_a_request_and_both_sides_are_introduced(
    staff, world, django_capture_on_commit_callbacks
):
    request = ask(world["member"], world["springfield"])
    made = offer(world["portland_member"], world["portland"])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            _url("staff_expertise_match", pk=request.pk, offer=made.pk),
            {"form": "call"},
            follow=True,
        )

    assert "we have introduced both sides by e-mail" in response.content.decode()
    match = ExpertiseMatch.objects.get()
    assert (match.request, match.offer, match.form) == (request, made, "call")
    request.refresh_from_db()
    assert request.state == ExpertiseRequest.State.MATCHED
    assert set(OutboxMessage.objects.values_list("to", flat=True)) == {
        "admin@springfield.example",
        "admin@portland.example",
    }


def test_the_requesting_committee_matches_its_own_request(committee_admin, world):
    request = ask(world["member"], world["springfield"])
    made = offer(world["portland_member"], world["portland"])

    committee_admin.post(
        _url("portal_match", slug=world["member"].slug, pk=request.pk, offer=made.pk)
    )

    assert ExpertiseMatch.objects.get().offer == made


def test_a_request_is_never_matched_with_its_own_community_or_twice(world):
    request = ask(world["member"], world["springfield"])
    own = offer(world["member"], world["springfield"])
    other = offer(world["portland_member"], world["portland"])
    health = offer(world["portland_member"], world["portland"], field="health")

    for refused in (own, health):
        with pytest.raises(ValidationError):
            match_request(request=request, offer=refused, by=SYSTEM)
    match_request(request=request, offer=other, by=SYSTEM)
    with pytest.raises(ValidationError):
        match_request(request=request, offer=other, by=SYSTEM)
    assert ExpertiseMatch.objects.count() == 1


def test_the_outcome_is_reported_in_activities_and_counts_on_impact(staff, anonymous, world):
    request = partner_asks(world)
    # Springfield's own water utility helps its partner.
    made = offer(world["member"], world["springfield"])
    match = match_request(request=request, offer=made, form="visit", by=SYSTEM)

    response = staff.post(
        _url("staff_expertise_outcome", pk=match.pk),
        {
            "start_date": "2026-03-01",
            "end_date": "2026-03-05",
            "policies_adopted": "2",
            "people_trained": "14",
            "outcome": "A leak-detection plan adopted by the council.",
        },
        follow=True,
    )

    assert "The outcome is recorded." in response.content.decode()
    activity = Activity.objects.get()
    assert (activity.sector, activity.kind, activity.state) == (
        "municipal",
        "water",
        Activity.State.VERIFIED,
    )
    assert activity.member == world["member"]
    assert list(activity.partnerships.all()) == [world["partnership"]]
    assert (activity.visitors_over_30, activity.policies_adopted, activity.people_trained) == (
        14,
        2,
        14,
    )
    impact = anonymous.get(reverse("activities:impact"))
    assert "Municipal peer learning" in impact.content.decode()
    totals = impact.context["figures"]["totals"]
    assert (totals["policies_adopted"], totals["people_trained"]) == (2, 14)


def test_an_exchange_between_members_that_are_not_partners_is_an_activity_between_them(
    staff, anonymous, world
):
    request = ask(world["member"], world["springfield"])
    match = match_request(
        request=request, offer=offer(world["portland_member"], world["portland"]), by=SYSTEM
    )

    record_outcome(
        match=match,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 3, 1),
        policies_adopted=1,
        people_trained=3,
        outcome="A new leak survey.",
        by=SYSTEM,
    )

    match.refresh_from_db()
    activity = match.activity
    assert (activity.member, activity.community, activity.counterpart) == (
        world["member"],
        world["springfield"],
        world["portland"],
    )
    assert list(activity.partnerships.all()) == []
    assert (activity.state, activity.policies_adopted, activity.people_trained) == (
        Activity.State.VERIFIED,
        1,
        3,
    )
    html = staff.get(_url("staff_expertise_outcome", pk=match.pk)).content.decode()
    assert activity.title in html
    totals = anonymous.get(reverse("activities:impact")).context["figures"]["totals"]
    assert (totals["activities"], totals["policies_adopted"], totals["people_trained"]) == (
        1,
        1,
        3,
    )


def test_an_outcome_with_reversed_dates_changes_nothing(staff, world):
    request = ask(world["member"], world["springfield"])
    match = match_request(
        request=request, offer=offer(world["portland_member"], world["portland"]), by=SYSTEM
    )

    response = staff.post(
        _url("staff_expertise_outcome", pk=match.pk),
        {
            "start_date": "2026-03-05",
            "end_date": "2026-03-01",
            "policies_adopted": "1",
            "people_trained": "1",
        },
    )

    assert "The end date cannot be before the start date." in response.content.decode()
    match.refresh_from_db()
    assert not match.is_recorded


# --- Refused roles ------------------------------------------------------------------------------


def test_a_lapsed_member_is_told_why_and_how_to_renew(world):
    lapsed_member, admin = committee("Lapsed Committee", town("Ghent", "BE"), is_current=False)
    client = _client_for(admin)

    for name in ("portal_expertise", "portal_offer_new", "portal_request_new"):
        response = client.get(_url(name, slug=lapsed_member.slug))
        assert response.status_code == 403
        assert "Renew the membership" in response.content.decode()
    post = client.post(
        _url("portal_request_new", slug=lapsed_member.slug),
        {"community": "ghent", "field": "water", "problem": "Leaks."},
    )
    assert post.status_code == 403
    assert not ExpertiseRequest.objects.exists()
    with pytest.raises(NotAllowed):
        save_offer(
            member=lapsed_member,
            community=lapsed_member.communities.get(),
            field="water",
            summary="x",
            by=admin,
        )


def test_another_committee_and_the_public_cannot_reach_a_committees_exchange(
    other_committee_admin, public, anonymous, world
):
    request = ask(world["member"], world["springfield"])
    made = offer(world["member"], world["springfield"], field="health")
    slug = world["member"].slug
    pages = [
        _url("portal_expertise", slug=slug),
        _url("portal_request", slug=slug, pk=request.pk),
        _url("portal_offer", slug=slug, pk=made.pk),
    ]

    for page in pages:
        assert other_committee_admin.get(page).status_code == 404
        assert public.get(page).status_code == 404
        assert anonymous.get(page).status_code == 302
    match = _url("portal_match", slug=slug, pk=request.pk, offer=made.pk)
    assert other_committee_admin.post(match).status_code == 404
    assert not ExpertiseMatch.objects.exists()


def test_a_committee_cannot_open_another_members_request_or_offer(committee_admin, world):
    theirs = ask(world["portland_member"], world["portland"])
    their_offer = offer(world["portland_member"], world["portland"])
    slug = world["member"].slug

    assert committee_admin.get(_url("portal_request", slug=slug, pk=theirs.pk)).status_code == 404
    assert (
        committee_admin.get(_url("portal_offer", slug=slug, pk=their_offer.pk)).status_code == 404
    )
    assert (
        committee_admin.post(
            _url("portal_match", slug=slug, pk=theirs.pk, offer=their_offer.pk)
        ).status_code
        == 404
    )


def test_staff_pages_are_refused_to_committees_and_the_public(committee_admin, public, world):
    request = ask(world["member"], world["springfield"])

    for client in (committee_admin, public):
        assert client.get(_url("staff_expertise")).status_code == 404
        assert client.get(_url("staff_expertise_request", pk=request.pk)).status_code == 404


def test_the_homes_link_to_the_exchange(committee_admin, staff, world):
    committee_home = committee_admin.get(reverse("core:home")).content.decode()
    staff_home = staff.get(reverse("core:home")).content.decode()

    assert _url("portal_expertise", slug=world["member"].slug) in committee_home
    assert _url("staff_expertise") in staff_home


# --- Query counts --------------------------------------------------------------------------------


def _many(world, count: int) -> None:
    """`count` offering members, each with an offer and a request; Springfield asks `count`
    times; a third of its requests are matched: declined, recorded, or waiting."""
    for i in range(count):
        place = town(f"Offering {i}", "US")
        member, _admin = committee(f"Offering Committee {i}", place)
        made = offer(member, place, languages=["en", "fr"][: 1 + i % 2])
        partners(place, world["kragujevac"])
        asked = ask(world["member"], world["springfield"], problem=f"Problem {i}")
        ask(member, place, field="health", problem=f"Health {i}")
        if i % 3:
            continue
        match = match_request(request=asked, offer=made, by=SYSTEM)
        if i % 9 == 0:
            decline_match(match=match, member=member, reason="Not this year.", by=SYSTEM)
        elif i % 9 == 3:
            record_outcome(
                match=match,
                start_date=datetime.date(2026, 3, 1),
                end_date=datetime.date(2026, 3, 2),
                policies_adopted=1,
                people_trained=i,
                outcome="",
                by=SYSTEM,
            )


@pytest.mark.parametrize("count", [3, 30])
def test_the_staff_list_query_count_is_constant(staff, world, django_assert_num_queries, count):
    _many(world, count)
    staff.get(_url("staff_expertise"))

    with django_assert_num_queries(11):
        assert staff.get(_url("staff_expertise")).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_the_committee_pages_query_counts_are_constant(
    committee_admin, world, django_assert_num_queries, count
):
    _many(world, count)
    request = ExpertiseRequest.objects.filter(member=world["member"]).first()
    home = _url("portal_expertise", slug=world["member"].slug)
    detail = _url("portal_request", slug=world["member"].slug, pk=request.pk)
    committee_admin.get(home)
    committee_admin.get(detail)

    # the home: + the matches of the member's offers, which it may decline (the membership's
    # check reads its status only: no invoices, one query fewer than before)
    with django_assert_num_queries(8):
        assert committee_admin.get(home).status_code == 200
    with django_assert_num_queries(10):
        assert committee_admin.get(detail).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_staff_request_page_query_count_is_constant(staff, world, django_assert_num_queries, count):
    _many(world, count)
    request = ExpertiseRequest.objects.filter(member=world["member"]).first()
    page = _url("staff_expertise_request", pk=request.pk)
    staff.get(page)

    with django_assert_num_queries(9):
        assert staff.get(page).status_code == 200
