"""The round managers' actions over HTTP (issue 7, section 1): reassign, revoke, decide, change
a round's state, forward and advance. The managers who may (verified staff; a local round's
committee admins) see the effect on the page they land on; everyone else (anonymous, a member
of the public, another committee's admin, a judge, staff with a password only) is refused
(sent to sign in, to the code page, or 404) and nothing changes: no row counted, written or
mailed (tests/matrix.py `Snapshot`)."""

import pytest

from tests.factories import CommunityFactory, UserFactory
from tests.matrix import Snapshot, refused
from tests.review.conftest import make_round, study_of
from twinning.review.models import Assignment, Decision, ReviewItem
from twinning.review.services import add_items, add_reviewer, assign_by_hand, save_scores

pytestmark = pytest.mark.django_db

NATIONAL_REFUSED = ["anonymous", "public", "committee_admin", "judge", "staff_without_otp"]
LOCAL_REFUSED = ["anonymous", "public", "other_committee_admin", "judge", "staff_without_otp"]


@pytest.fixture
def rounds(review_round, item, assignment, springfield_member, staff_user):
    """The national round (an item, its open review, a spare judge) and Springfield's local
    round feeding it (an item with a submitted review, and one without)."""
    spare = add_reviewer(
        round=review_round, user=UserFactory(email="spare.judge@example.org"), by=staff_user
    )
    local = make_round(
        by=staff_user,
        name="Springfield round",
        owner_member=springfield_member,
        next_round=review_round,
        forward_limit=5,
    )
    scored, unscored = add_items(
        round=local,
        objects=[study_of(CommunityFactory(name=n)) for n in ("Ogden", "Provo")],
        group_of=lambda s: "art",
        by=staff_user,
    )
    local_judge = UserFactory(email="local.judge@example.org")
    reviewer = add_reviewer(round=local, user=local_judge, by=staff_user)
    review = assign_by_hand(item=scored, reviewer=reviewer, by=staff_user)
    save_scores(
        assignment=review,
        scores={c.pk: 4 for c in local.criteria.all()},
        submit=True,
        version=0,
        by=local_judge,
    )
    return {
        "national": review_round,
        "item": item,
        "assignment": assignment,
        "spare": spare,
        "local": local,
        "scored": scored,
        "unscored": unscored,
    }


def _actions(r):
    """name -> (path, form data); each is one POST a manager sends from the pages."""
    national, local = r["national"].pk, r["local"].pk
    item, assignment = r["item"].pk, r["assignment"].pk
    return {
        "reassign": (
            f"/review/rounds/{national}/assignments/{assignment}/reassign/",
            {"reviewer": r["spare"].pk},
        ),
        "revoke": (f"/review/rounds/{national}/assignments/{assignment}/revoke/", {}),
        "decide": (
            f"/review/rounds/{national}/items/{item}/decide/",
            {"outcome": "finalist", "place": "2", "note": "Strong entry"},
        ),
        "state": (f"/review/rounds/{national}/state/", {"state": "closed"}),
        "forward": (f"/review/rounds/{local}/forward/", {"codes": r["unscored"].code}),
        "advance": (f"/review/rounds/{local}/advance/", {"n": "1"}),
    }


NATIONAL_ACTIONS = ["reassign", "revoke", "decide", "state"]
LOCAL_ACTIONS = ["forward", "advance"]


# --- Allowed: the effect is on the page the manager lands on ------------------------------


def test_staff_reassign_a_review_and_see_it_moved(staff, rounds):
    path, data = _actions(rounds)["reassign"]

    page = staff.post(path, data, follow=True).content.decode()

    assert "The review is reassigned." in page
    assert "spare.judge@example.org" in page
    assert "Revoked" in page  # the first judge's row
    assert rounds["spare"].assignments.filter(revoked_at__isnull=True).count() == 1


def test_staff_revoke_a_review_and_see_it_revoked(staff, rounds):
    path, data = _actions(rounds)["revoke"]

    page = staff.post(path, data, follow=True).content.decode()

    assert "The review is revoked." in page
    assert "Revoked" in page
    assert Assignment.objects.get(pk=rounds["assignment"].pk).revoked_at is not None


def test_staff_record_a_decision_and_see_it_listed(staff, rounds):
    path, data = _actions(rounds)["decide"]

    page = staff.post(path, data, follow=True).content.decode()

    assert "The decision is recorded." in page
    assert "Finalist (2)" in page
    assert "Strong entry" in page


def test_staff_close_a_round_and_see_its_new_state(staff, rounds):
    path, data = _actions(rounds)["state"]

    page = staff.post(path, data, follow=True).content.decode()

    assert "The round is now “Closed”." in page


@pytest.mark.parametrize("role", ["staff", "committee_admin"])
def test_local_managers_forward_an_item_and_see_it_sent_on(request, rounds, role):
    client = request.getfixturevalue(role)
    path, data = _actions(rounds)["forward"]

    page = client.post(path, data, follow=True).content.decode()

    assert "1 items sent on." in page
    assert rounds["national"].items.filter(forwarded_from=rounds["unscored"]).exists()


@pytest.mark.parametrize("role", ["staff", "committee_admin"])
def test_local_managers_advance_the_best_item_and_see_it_sent_on(request, rounds, role):
    client = request.getfixturevalue(role)
    path, data = _actions(rounds)["advance"]

    page = client.post(path, data, follow=True).content.decode()

    assert "1 items sent on." in page
    forwarded = ReviewItem.objects.get(round=rounds["national"], forwarded_from__isnull=False)
    assert forwarded.forwarded_from == rounds["scored"]  # the scored one, not the other
    assert Decision.objects.filter(item=rounds["scored"], outcome="advanced").exists()


# --- Refused: nothing changes ---------------------------------------------------------------


def _refused_and_unchanged(client, path, data):
    snapshot = Snapshot()
    before = snapshot.counts()
    with snapshot.watching():
        response = client.post(path, data)
    return refused(response), snapshot.changed(before, snapshot.counts()), snapshot.writes


@pytest.mark.parametrize("action", NATIONAL_ACTIONS)
@pytest.mark.parametrize("role", NATIONAL_REFUSED)
def test_national_round_actions_are_refused_to_all_but_verified_staff(
    request, rounds, role, action
):
    client = request.getfixturevalue(role)
    path, data = _actions(rounds)[action]

    assert _refused_and_unchanged(client, path, data) == (True, {}, [])
    assert Assignment.objects.get(pk=rounds["assignment"].pk).revoked_at is None
    assert rounds["national"].__class__.objects.get(pk=rounds["national"].pk).state == "open"


@pytest.mark.parametrize("action", LOCAL_ACTIONS)
@pytest.mark.parametrize("role", LOCAL_REFUSED)
def test_local_round_actions_are_refused_to_all_but_its_managers(request, rounds, role, action):
    request.getfixturevalue("other_committee_admin_user")
    client = request.getfixturevalue(role)
    path, data = _actions(rounds)[action]

    assert _refused_and_unchanged(client, path, data) == (True, {}, [])
    assert not rounds["national"].items.filter(forwarded_from__isnull=False).exists()


def test_a_refused_judge_gets_a_404_not_a_hint(judge, rounds):
    path, data = _actions(rounds)["decide"]

    assert judge.post(path, data).status_code == 404
