"""Round states follow an explicit transitions table (ROUND_TRANSITIONS): a draft opens, an
open round closes, a closed round reopens or is decided, a decided round is final. Any other
move is refused with a message that names both states, and changes nothing; the round page
offers only the moves the table allows."""

import pytest
from django.core.exceptions import ValidationError

from tests.review.conftest import make_round
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.models import ActivityLog
from twinning.review.models import ROUND_TRANSITIONS, Round
from twinning.review.services import change_round_state

pytestmark = pytest.mark.django_db

S = Round.State
ALLOWED = [
    (S.DRAFT, S.OPEN),
    (S.OPEN, S.CLOSED),
    (S.CLOSED, S.OPEN),
    (S.CLOSED, S.DECIDED),
]
REFUSED = [
    (S.DRAFT, S.CLOSED),
    (S.DRAFT, S.DECIDED),
    (S.OPEN, S.DRAFT),
    (S.OPEN, S.DECIDED),
    (S.CLOSED, S.DRAFT),
    (S.DECIDED, S.DRAFT),
    (S.DECIDED, S.OPEN),
    (S.DECIDED, S.CLOSED),
]


def test_the_table_lists_every_state_and_every_pair_is_either_allowed_or_refused():
    assert set(ROUND_TRANSITIONS) == set(S.values)
    pairs = {(a, b) for a in S.values for b in S.values if a != b}
    assert pairs == set(ALLOWED) | set(REFUSED)
    assert {(a, b) for a, targets in ROUND_TRANSITIONS.items() for b in targets} == set(ALLOWED)


@pytest.mark.parametrize(("start", "target"), ALLOWED)
def test_an_allowed_move_changes_the_state_and_is_audited(staff_user, start, target):
    round_ = make_round(state=start)

    change_round_state(round=round_, state=target, by=staff_user)

    round_.refresh_from_db()
    assert round_.state == target
    entry = ActivityLog.objects.filter(action="review.round.state_changed").latest("pk")
    assert (entry.data, entry.actor) == ({"from": start, "to": target}, staff_user)


@pytest.mark.parametrize(("start", "target"), REFUSED)
def test_a_refused_move_says_why_and_changes_nothing(staff_user, start, target):
    round_ = make_round(state=start)
    logged = ActivityLog.objects.count()

    with pytest.raises(ValidationError) as refused:
        change_round_state(round=round_, state=target, by=staff_user)

    assert refused.value.message_dict["state"] == [
        f"A round that is “{S(start).label}” cannot become “{S(target).label}”."
    ]
    round_.refresh_from_db()
    assert round_.state == start
    assert ActivityLog.objects.count() == logged


def test_asking_for_the_state_the_round_is_in_changes_nothing(staff_user):
    round_ = make_round(state=S.OPEN)
    logged = ActivityLog.objects.count()

    change_round_state(round=round_, state=S.OPEN, by=staff_user)

    assert ActivityLog.objects.count() == logged


def test_a_move_is_checked_against_the_stored_state_not_a_stale_copy(staff_user):
    round_ = make_round(state=S.OPEN)
    stale = Round.objects.get(pk=round_.pk)
    change_round_state(round=round_, state=S.CLOSED, by=SYSTEM)
    change_round_state(round=round_, state=S.DECIDED, by=SYSTEM)

    with pytest.raises(ValidationError):
        change_round_state(round=stale, state=S.CLOSED, by=staff_user)  # stale says "open"

    assert Round.objects.get(pk=round_.pk).state == S.DECIDED


def test_a_judge_or_stranger_may_not_move_a_round(judge_user, public_user):
    round_ = make_round(state=S.OPEN)

    for who in (judge_user, public_user):
        with pytest.raises(NotAllowed):
            change_round_state(round=round_, state=S.CLOSED, by=who)

    assert Round.objects.get(pk=round_.pk).state == S.OPEN


def _state_options(body: str) -> list[str]:
    form = body[body.index('action="/review/rounds/') : body.index("</form>", body.index("state/"))]
    return [v for v in S.values if f'value="{v}"' in form]


@pytest.mark.parametrize(
    ("start", "offered"),
    [
        (S.DRAFT, [S.OPEN]),
        (S.OPEN, [S.CLOSED]),
        (S.CLOSED, [S.OPEN, S.DECIDED]),
        (S.DECIDED, []),
    ],
)
def test_the_round_page_offers_only_the_allowed_next_states(staff, start, offered):
    round_ = make_round(state=start)

    body = staff.get(f"/review/rounds/{round_.pk}/").content.decode()

    assert _state_options(body) == offered
    if not offered:
        assert "A decided round is final: its state can no longer change." in body


def test_posting_a_refused_move_shows_the_reason_and_changes_nothing(staff):
    round_ = make_round(state=S.OPEN)

    response = staff.post(f"/review/rounds/{round_.pk}/state/", {"state": S.DECIDED}, follow=True)

    assert response.status_code == 200
    assert Round.objects.get(pk=round_.pk).state == S.OPEN
    assert "A round that is “Open for review” cannot become “Decided”." in (
        response.content.decode()
    )


def test_staff_close_an_open_round_from_its_page(staff):
    round_ = make_round(state=S.OPEN)

    response = staff.post(f"/review/rounds/{round_.pk}/state/", {"state": S.CLOSED}, follow=True)

    assert "The round is now “Closed”." in response.content.decode()
    assert Round.objects.get(pk=round_.pk).state == S.CLOSED


@pytest.mark.parametrize("role", ["public", "committee_admin", "staff_without_otp"])
def test_other_roles_may_not_move_a_national_round(request, role):
    round_ = make_round(state=S.OPEN)
    client = request.getfixturevalue(role)
    logged = ActivityLog.objects.count()

    response = client.post(f"/review/rounds/{round_.pk}/state/", {"state": S.CLOSED})

    assert response.status_code in (302, 404)
    assert Round.objects.get(pk=round_.pk).state == S.OPEN
    assert ActivityLog.objects.count() == logged
