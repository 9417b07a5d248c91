"""The expertise exchange's way back: a request withdrawn by the side asking (its committee,
or the partner abroad through its link) and a match declined by either side with a reason;
each shows a message, leaves an audit entry and tells the other side by e-mail. Refused
roles: another committee and the public (404), anonymous visitors (sign-in), a lapsed member
(403 with the renewal), a used or unknown link (404)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from tests.conftest import _client_for
from tests.matchmaking.helpers import ask, committee, offer, town
from tests.matchmaking.test_expertise import _link_token, _url, partner_asks
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.models import ActivityLog
from twinning.matchmaking.models import ExpertiseMatch, ExpertiseRequest
from twinning.matchmaking.queries import offer_suggestions
from twinning.matchmaking.services import (
    decline_match,
    invite_partner_request,
    match_request,
    record_outcome,
    withdraw_request,
)
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

WITHDRAWN = "matchmaking.expertise_withdrawn"
DECLINED = "matchmaking.expertise_declined"


def _mails(template: str) -> dict[str, str]:
    return dict(OutboxMessage.objects.filter(template=template).values_list("to", "body"))


def _actions(obj) -> list[str]:
    """The audit entries of withdrawals and declines on `obj`."""
    return list(
        ActivityLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            action__in=["matchmaking.request.withdrawn", "matchmaking.expertise.declined"],
        ).values_list("action", flat=True)
    )


def _matched(world) -> ExpertiseMatch:
    """Springfield's request matched with Portland's offer."""
    request = ask(world["member"], world["springfield"])
    made = offer(world["portland_member"], world["portland"])
    return match_request(request=request, offer=made, by=SYSTEM)


def _invite(world) -> str:
    invited = invite_partner_request(
        member=world["member"],
        partnership=world["partnership"],
        contact_name="Milica",
        contact_email="milica@kragujevac.example",
        by=SYSTEM,
    )
    return _link_token(OutboxMessage.objects.filter(object_id=str(invited.pk)).get())


# --- Withdrawal by the committee ------------------------------------------------------------------


def test_a_committee_withdraws_its_open_request(committee_admin, world):
    request = ask(world["member"], world["springfield"])

    response = committee_admin.post(
        _url("portal_request_withdraw", slug=world["member"].slug, pk=request.pk),
        {"reason": "Our engineers found the leaks."},
        follow=True,
    )

    assert "Your request is withdrawn" in response.content.decode()
    request.refresh_from_db()
    assert (request.state, request.withdrawn_reason) == (
        ExpertiseRequest.State.CLOSED,
        "Our engineers found the leaks.",
    )
    assert _actions(request) == ["matchmaking.request.withdrawn"]
    page = committee_admin.get(
        _url("portal_request", slug=world["member"].slug, pk=request.pk)
    ).content.decode()
    assert "Withdrawn" in page and "Our engineers found the leaks." in page


def test_withdrawing_a_matched_request_declines_the_match_and_tells_the_offering_side(
    committee_admin, world
):
    match = _matched(world)

    committee_admin.post(
        _url("portal_request_withdraw", slug=world["member"].slug, pk=match.request_id),
        {"reason": "The council cut the budget."},
    )

    match.refresh_from_db()
    assert (match.is_declined, match.declined_side) == (True, ExpertiseMatch.Side.REQUEST)
    mails = _mails(WITHDRAWN)
    assert list(mails) == [world["portland_admin"].email]
    assert "The council cut the budget." in mails[world["portland_admin"].email]


def test_a_committee_withdrawing_its_partners_request_tells_the_partner(committee_admin, world):
    request = partner_asks(world)

    committee_admin.post(
        _url("portal_request_withdraw", slug=world["member"].slug, pk=request.pk), {"reason": ""}
    )

    request.refresh_from_db()
    assert request.state == ExpertiseRequest.State.CLOSED
    assert list(_mails(WITHDRAWN)) == ["milica@kragujevac.example"]
    assert "No reason was given." in _mails(WITHDRAWN)["milica@kragujevac.example"]


def test_a_withdrawn_request_cannot_be_withdrawn_again(world):
    request = ask(world["member"], world["springfield"])
    withdraw_request(request=request, reason="", by=SYSTEM)

    with pytest.raises(ValidationError, match="withdrawn already"):
        withdraw_request(request=request, reason="", by=SYSTEM)


def test_a_recorded_exchange_cannot_be_withdrawn_nor_declined(committee_admin, world):
    match = _matched(world)
    record_outcome(
        match=match,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 3, 2),
        policies_adopted=1,
        people_trained=2,
        outcome="",
        by=SYSTEM,
    )

    response = committee_admin.post(
        _url("portal_request_withdraw", slug=world["member"].slug, pk=match.request_id),
        {"reason": "Too late."},
        follow=True,
    )

    assert "its outcome is recorded: it stays on record" in response.content.decode()
    assert ExpertiseRequest.objects.get().state == ExpertiseRequest.State.MATCHED
    with pytest.raises(ValidationError):
        decline_match(match=match, member=world["portland_member"], reason="No.", by=SYSTEM)
    assert OutboxMessage.objects.filter(template__in=[WITHDRAWN, DECLINED]).count() == 0


# --- Withdrawal by the partner's link ---------------------------------------------------------


def test_the_partner_withdraws_through_its_unused_invitation(anonymous, world):
    token = _invite(world)

    form = anonymous.get(_url("expertise_link", token=token)).content.decode()
    response = anonymous.post(
        _url("expertise_link_withdraw", token=token), {"reason": "We solved it ourselves."}
    )

    assert "We do not need help" in form
    assert "Your request is withdrawn" in response.content.decode()
    request = ExpertiseRequest.objects.get()
    assert request.state == ExpertiseRequest.State.CLOSED
    assert list(_mails(WITHDRAWN)) == ["admin@springfield.example"]
    assert anonymous.get(_url("expertise_link", token=token)).status_code == 404
    assert _actions(request) == ["matchmaking.request.withdrawn"]


def test_the_partner_withdraws_its_written_request_through_the_link_it_received(anonymous, world):
    match = match_request(
        request=partner_asks(world),
        offer=offer(world["portland_member"], world["portland"]),
        by=SYSTEM,
    )
    received = OutboxMessage.objects.get(template="matchmaking.expertise_received")
    token = _link_token(received)

    page = anonymous.get(_url("expertise_link", token=token)).content.decode()
    anonymous.post(_url("expertise_link_withdraw", token=token), {"reason": "New mayor."})

    assert "Withdraw the request" in page and "Our old pipes leak." in page
    match.refresh_from_db()
    assert match.is_declined
    assert sorted(_mails(WITHDRAWN)) == ["admin@portland.example", "admin@springfield.example"]
    again = anonymous.post(_url("expertise_link_withdraw", token=token), {"reason": ""})
    assert again.status_code == 404


def test_an_unknown_link_withdraws_nothing(anonymous, world):
    request = partner_asks(world)

    response = anonymous.post(_url("expertise_link_withdraw", token="not-a-token"), {})

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.state == ExpertiseRequest.State.OPEN


def test_a_too_long_reason_on_the_link_changes_nothing(anonymous, world):
    token = _invite(world)

    response = anonymous.post(_url("expertise_link_withdraw", token=token), {"reason": "x" * 2001})

    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert ExpertiseRequest.objects.get().state == ExpertiseRequest.State.INVITED


# --- Decline by either side -------------------------------------------------------------------


def test_the_offering_side_declines_a_match_and_the_request_is_open_again(world):
    match = _matched(world)
    portland = _client_for(world["portland_admin"])

    home = portland.get(_url("portal_expertise", slug=world["portland_member"].slug))
    response = portland.post(
        _url("portal_match_decline", slug=world["portland_member"].slug, pk=match.pk),
        {"reason": "Our engineers are not available this year."},
        follow=True,
    )

    assert "Decline this exchange" in home.content.decode()
    assert "The match is declined" in response.content.decode()
    match.refresh_from_db()
    assert (match.declined_side, match.decline_reason) == (
        ExpertiseMatch.Side.OFFER,
        "Our engineers are not available this year.",
    )
    assert ExpertiseRequest.objects.get().state == ExpertiseRequest.State.OPEN
    mails = _mails(DECLINED)
    assert list(mails) == ["admin@springfield.example"]
    assert "Our engineers are not available this year." in mails["admin@springfield.example"]
    assert _actions(match) == ["matchmaking.expertise.declined"]


def test_the_requesting_side_declines_a_match_and_may_choose_another_offer(committee_admin, world):
    match = _matched(world)

    committee_admin.post(
        _url("portal_match_decline", slug=world["member"].slug, pk=match.pk),
        {"reason": "We need a visit, not a call."},
    )

    assert list(_mails(DECLINED)) == [world["portland_admin"].email]
    other_place = town("Tacoma", "US")
    other_member, _admin = committee("Tacoma Sister Cities", other_place)
    request = ExpertiseRequest.objects.get()
    again = match_request(request=request, offer=offer(other_member, other_place), by=SYSTEM)
    assert list(ExpertiseMatch.objects.live()) == [again]
    with pytest.raises(ValidationError, match="declined"):
        decline_match(match=match, member=world["member"], reason="Twice.", by=SYSTEM)


def test_a_declined_offer_is_not_matched_again_with_the_same_request(world):
    match = _matched(world)
    decline_match(match=match, member=world["member"], reason="Not this one.", by=SYSTEM)

    with pytest.raises(ValidationError, match="declined"):
        match_request(request=match.request, offer=match.offer, by=SYSTEM)


def test_a_declined_offer_is_no_longer_suggested_for_that_request_only(
    committee_admin, staff, world
):
    match = _matched(world)
    tacoma = town("Tacoma", "US")
    tacoma_member, _admin = committee("Tacoma Sister Cities", tacoma)
    other = offer(tacoma_member, tacoma)
    decline_match(match=match, member=world["member"], reason="Not this one.", by=SYSTEM)
    request = ExpertiseRequest.objects.get()
    another = ask(world["member"], world["springfield"], problem="Our other pipes leak.")

    suggested = offer_suggestions([request, another])
    portal = committee_admin.get(
        _url("portal_request", slug=world["member"].slug, pk=request.pk)
    ).content.decode()
    staff_page = staff.get(_url("staff_expertise_request", pk=request.pk)).content.decode()

    assert [row.offer for row in suggested[request.pk]] == [other]
    assert [row.offer for row in suggested[another.pk]] == [match.offer, other]
    for page in (portal, staff_page):
        assert "Tacoma" in page
        assert f"/match/{match.offer_id}/" not in page


def test_a_decline_without_a_reason_changes_nothing(committee_admin, world):
    match = _matched(world)

    response = committee_admin.post(
        _url("portal_match_decline", slug=world["member"].slug, pk=match.pk),
        {"reason": "  "},
        follow=True,
    )

    assert "Tell the other side why" in response.content.decode()
    match.refresh_from_db()
    assert not match.is_declined
    assert not OutboxMessage.objects.filter(template=DECLINED).exists()


def test_a_member_that_is_neither_side_cannot_decline(world):
    match = _matched(world)
    stranger, _admin = committee("Stranger Committee", town("Ghent", "BE"))

    with pytest.raises(NotAllowed):
        decline_match(match=match, member=stranger, reason="Rogue.", by=SYSTEM)


# --- Refused roles --------------------------------------------------------------------------------


def test_another_committee_the_public_and_anonymous_can_neither_withdraw_nor_decline(
    other_committee_admin, public, anonymous, world
):
    match = _matched(world)
    slug = world["member"].slug
    posts = [
        _url("portal_request_withdraw", slug=slug, pk=match.request_id),
        _url("portal_match_decline", slug=slug, pk=match.pk),
    ]

    for url in posts:
        assert other_committee_admin.post(url, {"reason": "Rogue."}).status_code == 404
        assert public.post(url, {"reason": "Rogue."}).status_code == 404
        assert anonymous.post(url, {"reason": "Rogue."})["Location"].startswith("/accounts/login")
    match.refresh_from_db()
    assert not match.is_declined
    assert ExpertiseRequest.objects.get().state == ExpertiseRequest.State.MATCHED


def test_a_committee_cannot_decline_another_members_match_through_its_own_page(
    committee_admin, world
):
    salem = town("Salem", "US")
    salem_member, _admin = committee("Salem Committee", salem)
    theirs = match_request(
        request=ask(world["portland_member"], world["portland"]),
        offer=offer(salem_member, salem),
        by=SYSTEM,
    )

    response = committee_admin.post(
        _url("portal_match_decline", slug=world["member"].slug, pk=theirs.pk), {"reason": "x"}
    )

    assert response.status_code == 404


def test_a_lapsed_member_is_told_why_and_cannot_withdraw_nor_decline(world):
    ghent = town("Ghent", "BE")
    lapsed_member, admin = committee("Ghent Committee", ghent, is_current=False)
    own_request = ask(lapsed_member, ghent, field="health")
    match = match_request(
        request=ask(world["member"], world["springfield"]),
        offer=offer(lapsed_member, ghent),
        by=SYSTEM,
    )
    client = _client_for(admin)
    slug = lapsed_member.slug

    withdraw = client.post(
        _url("portal_request_withdraw", slug=slug, pk=own_request.pk), {"reason": "x"}
    )
    decline = client.post(_url("portal_match_decline", slug=slug, pk=match.pk), {"reason": "x"})

    for response in (withdraw, decline):
        assert response.status_code == 403
        assert "Renew the membership" in response.content.decode()
    own_request.refresh_from_db()
    match.refresh_from_db()
    assert (own_request.state, match.is_declined) == (ExpertiseRequest.State.OPEN, False)
    with pytest.raises(NotAllowed):
        decline_match(match=match, member=lapsed_member, reason="x", by=admin)
