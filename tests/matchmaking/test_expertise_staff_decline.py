"""Staff decline a match on one side's behalf (a side that asked the association to): with
a reason, the request open again, both sides told by e-mail, an audit entry that says so.
Refused roles: either side's committee, another committee, the public (404), anonymous
visitors (sign-in), staff without their second factor (the code page)."""

import datetime

import pytest

from tests.conftest import _client_for
from tests.matchmaking.helpers import ask, offer
from tests.matchmaking.test_expertise import _url
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.models import ActivityLog
from twinning.matchmaking.models import ExpertiseMatch, ExpertiseRequest
from twinning.matchmaking.services import decline_match_for_side, match_request, record_outcome
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

DECLINED = "matchmaking.expertise_declined"


def _matched(world) -> ExpertiseMatch:
    """Springfield's request matched with Portland's offer."""
    request = ask(world["member"], world["springfield"])
    made = offer(world["portland_member"], world["portland"])
    return match_request(request=request, offer=made, by=SYSTEM)


def _mails() -> dict[str, str]:
    return dict(OutboxMessage.objects.filter(template=DECLINED).values_list("to", "body"))


def _declines() -> list[dict]:
    return list(
        ActivityLog.objects.filter(action="matchmaking.expertise.declined").values_list(
            "data", flat=True
        )
    )


def test_staff_see_the_form_on_the_request_and_the_match_pages(staff, world):
    match = _matched(world)

    pages = [
        staff.get(_url("staff_expertise_request", pk=match.request_id)).content.decode(),
        staff.get(_url("staff_expertise_outcome", pk=match.pk)).content.decode(),
    ]

    for page in pages:
        assert "Decline this match on a side's behalf" in page
        assert _url("staff_expertise_decline", pk=match.pk) in page


@pytest.mark.parametrize(
    ("side", "by_community"),
    [(ExpertiseMatch.Side.OFFER, "Portland"), (ExpertiseMatch.Side.REQUEST, "Springfield")],
)
def test_staff_decline_for_a_side_and_both_sides_are_told(
    staff, staff_user, world, side, by_community
):
    match = _matched(world)

    response = staff.post(
        _url("staff_expertise_decline", pk=match.pk),
        {"side": side, "reason": "They wrote to us: no engineers free this year."},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == _url("staff_expertise_request", pk=match.request_id)
    assert "declined on that side&#x27;s behalf" in response.content.decode()
    match.refresh_from_db()
    assert (match.declined_side, match.declined_by, match.decline_reason) == (
        side,
        staff_user,
        "They wrote to us: no engineers free this year.",
    )
    assert ExpertiseRequest.objects.get().state == ExpertiseRequest.State.OPEN
    mails = _mails()
    assert sorted(mails) == [world["portland_admin"].email, "admin@springfield.example"]
    for body in mails.values():
        assert f"{by_community} has declined" in body
        assert "no engineers free this year" in body
    assert _declines() == [
        {
            "side": side,
            "request": match.request_id,
            "offer": match.offer_id,
            "reason": "They wrote to us: no engineers free this year.",
            "on_behalf": True,
        }
    ]


def test_a_partners_request_declined_by_staff_tells_the_partner_too(staff, world):
    from tests.matchmaking.test_expertise import partner_asks

    request = partner_asks(world)
    match = match_request(
        request=request, offer=offer(world["portland_member"], world["portland"]), by=SYSTEM
    )

    staff.post(
        _url("staff_expertise_decline", pk=match.pk),
        {"side": ExpertiseMatch.Side.OFFER, "reason": "Portland asked us to."},
    )

    assert sorted(_mails()) == [
        world["portland_admin"].email,
        "admin@springfield.example",
        "milica@kragujevac.example",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"side": "offer", "reason": " "}, "Tell the other side why"),
        ({"reason": "No side chosen."}, "Choose the side that declines."),
        ({"side": "neither", "reason": "A side that is not one."}, "Select a valid choice"),
    ],
)
def test_bad_input_is_told_and_changes_nothing(staff, world, data, message):
    match = _matched(world)

    response = staff.post(_url("staff_expertise_decline", pk=match.pk), data, follow=True)

    assert message in response.content.decode()
    match.refresh_from_db()
    assert not match.is_declined
    assert _mails() == {}
    assert _declines() == []


def test_a_recorded_or_declined_match_cannot_be_declined_by_staff(staff, world):
    match = _matched(world)
    record_outcome(
        match=match,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 3, 2),
        policies_adopted=1,
        people_trained=3,
        outcome="",
        by=SYSTEM,
    )

    recorded = staff.post(
        _url("staff_expertise_decline", pk=match.pk),
        {"side": "offer", "reason": "Too late."},
        follow=True,
    )
    other = match_request(
        request=ask(world["member"], world["springfield"], problem="Another leak."),
        offer=match.offer,
        by=SYSTEM,
    )
    decline_match_for_side(match=other, side="offer", reason="Once.", by=SYSTEM)
    twice = staff.post(
        _url("staff_expertise_decline", pk=other.pk),
        {"side": "request", "reason": "Twice."},
        follow=True,
    )

    assert "it stays on record" in recorded.content.decode()
    assert "declined already" in twice.content.decode()
    match.refresh_from_db()
    assert not match.is_declined
    assert len(_declines()) == 1


def test_committees_the_public_and_anonymous_cannot_decline_for_a_side(request, world):
    match = _matched(world)
    url = _url("staff_expertise_decline", pk=match.pk)
    data = {"side": "offer", "reason": "Rogue."}
    client = request.getfixturevalue
    portland = _client_for(world["portland_admin"])

    for refused in (client("committee_admin"), portland, client("other_committee_admin")):
        assert refused.post(url, data).status_code == 404
    assert client("public").post(url, data).status_code == 404
    assert client("anonymous").post(url, data)["Location"].startswith("/accounts/login")
    to_code = client("staff_without_otp").post(url, data)["Location"]
    assert to_code.startswith("/accounts/two-factor/")
    match.refresh_from_db()
    assert not match.is_declined
    with pytest.raises(NotAllowed):
        decline_match_for_side(match=match, side="offer", reason="x", by=world["portland_admin"])
