"""The review pages by role: judges (blind item page, scores, other judges' scores, revocation),
round managers (staff; the owner member's committee admins for local rounds), and everyone
who must be refused."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import _client_for
from tests.factories import CommunityFactory, UserFactory
from tests.matrix import ROLES
from tests.outbox.delivery import delivered_body
from tests.review.conftest import make_round, make_studies, study_of
from tests.review.matrix import LOCAL_MATRIX
from twinning.core.authz import SYSTEM
from twinning.network.models import Community
from twinning.outbox.models import OutboxMessage
from twinning.review.models import Assignment, Invitation, Reviewer
from twinning.review.services import (
    add_items,
    add_reviewer,
    assign_by_hand,
    revoke_assignment,
    save_scores,
)

pytestmark = pytest.mark.django_db


def _post_scores(client, assignment, value, *, action="draft", version=None):
    data = {f"criterion_{c.pk}": value for c in assignment.item.round.criteria.all()} | {
        "action": action,
        "version": assignment.version if version is None else version,
    }
    return client.post(f"/review/{assignment.item.code}/", data)


def test_judge_sees_the_work_by_code_and_title_and_never_its_origin(judge, assignment):
    response = judge.get(f"/review/{assignment.item.code}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert assignment.item.code in body
    assert "A study of light" in body
    assert "Canaryville" not in body


@pytest.mark.parametrize("role", ["other_judge", "public", "committee_admin", "staff"])
def test_an_item_not_assigned_to_you_answers_404(request, assignment, role):
    client = request.getfixturevalue(role)

    assert client.get(f"/review/{assignment.item.code}/").status_code == 404


def test_anonymous_is_sent_to_sign_in_from_an_item(anonymous, assignment):
    response = anonymous.get(f"/review/{assignment.item.code}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_c5_a_revoked_assignment_answers_404_on_the_next_request(judge, assignment, staff_user):
    assert judge.get(f"/review/{assignment.item.code}/").status_code == 200

    revoke_assignment(assignment=assignment, by=staff_user)

    assert judge.get(f"/review/{assignment.item.code}/").status_code == 404
    assert _post_scores(judge, assignment, 5).status_code == 404


def test_judge_saves_a_draft_then_submits(judge, assignment):
    _post_scores(judge, assignment, 6)
    assignment.refresh_from_db()

    response = _post_scores(judge, assignment, 7, action="submit")

    assignment.refresh_from_db()
    assert response.status_code == 302
    assert assignment.submitted_at is not None
    assert {str(s.value) for s in assignment.scores.all()} == {"7.00"}


def test_a_stale_form_says_changed_elsewhere_and_changes_nothing(judge, assignment):
    _post_scores(judge, assignment, 6, version=0)

    response = _post_scores(judge, assignment, 2, version=0)

    assert response.status_code == 409
    assert "changed elsewhere" in response.content.decode()
    assert {str(s.value) for s in assignment.scores.all()} == {"6.00"}


def test_an_out_of_range_score_is_refused_with_a_message(judge, assignment):
    response = _post_scores(judge, assignment, 99)

    assert response.status_code == 200
    assert "less than or equal to 10" in response.content.decode()
    assert assignment.scores.count() == 0


@pytest.fixture
def shared_item(assignment, other_judge_user):
    other = Reviewer.objects.get(user=other_judge_user)
    theirs = assign_by_hand(item=assignment.item, reviewer=other, by=SYSTEM)
    save_scores(
        assignment=theirs,
        scores={c.pk: 3 for c in assignment.item.round.criteria.all()},
        submit=True,
        version=0,
        by=other_judge_user,
    )
    return assignment


def test_judges_see_other_scores_only_after_submitting_their_own(judge, shared_item):
    before = judge.get(f"/review/{shared_item.item.code}/").content.decode()

    _post_scores(judge, shared_item, 8, action="submit")
    after = judge.get(f"/review/{shared_item.item.code}/").content.decode()

    assert "Other judges" not in before
    assert "Other judges" in after
    assert "3.00" in after
    assert "other.judge@example.org" not in after


def test_judges_never_see_other_scores_when_the_round_hides_them(judge, shared_item):
    round_ = shared_item.item.round
    round_.judges_see_other_scores = False
    round_.save()

    _post_scores(judge, shared_item, 8, action="submit")

    assert "Other judges" not in judge.get(f"/review/{shared_item.item.code}/").content.decode()


def test_the_queue_lists_the_judges_items_with_progress(judge, assignment):
    body = judge.get("/review/").content.decode()

    assert assignment.item.code in body
    assert "0 of 1 submitted" in body


def test_the_queue_shows_what_is_still_to_do_first_and_50_rows_until_asked_for_all(
    judge, review_round, judge_reviewer, staff_user
):
    studies = make_studies(55)
    items = add_items(round=review_round, objects=studies, group_of=lambda s: "art", by=staff_user)
    assignments = [assign_by_hand(item=i, reviewer=judge_reviewer, by=staff_user) for i in items]
    done = assignments[0]
    criteria = {c.pk: c.max_score for c in review_round.criteria.all()}
    save_scores(
        assignment=done, scores=criteria, submit=True, version=done.version, by=done.reviewer.user
    )

    first = judge.get("/review/").content.decode()
    everything = judge.get("/review/?all=1").content.decode()

    assert everything.count("/review/") - first.count("/review/") == 5
    assert done.item.code not in first  # scored already: after the 50 still to do
    assert "5 more works are not shown." in first
    assert done.item.code in everything
    assert "more works are not shown" not in everything


def test_the_queue_of_someone_without_reviews_is_empty(public):
    assert "Nothing to review right now" in public.get("/review/").content.decode()


# --- Round managers ------------------------------------------------------------------------


@pytest.fixture
def local_round(springfield_member, staff_user, review_round):
    return make_round(
        by=staff_user,
        name="Springfield round",
        owner_member=springfield_member,
        next_round=review_round,
        forward_limit=1,
    )


@pytest.mark.parametrize(
    ("role", "status"),
    list(zip(ROLES, LOCAL_MATRIX["review:round_detail"][1], strict=True)),
)
def test_a_local_round_is_managed_by_its_committee_admins_and_staff(
    request, local_round, role, status
):
    request.getfixturevalue("other_committee_admin_user")
    client = request.getfixturevalue(role)

    assert client.get(f"/review/rounds/{local_round.pk}/").status_code == status


def test_committee_admins_see_no_raw_scores_of_national_rounds(committee_admin, shared_item):
    round_ = shared_item.item.round

    pages = [
        f"/review/rounds/{round_.pk}/",
        f"/review/rounds/{round_.pk}/ranking/",
        f"/review/rounds/{round_.pk}/ranking.csv",
        f"/review/rounds/{round_.pk}/items/{shared_item.item.pk}/",
    ]

    assert [committee_admin.get(p).status_code for p in pages] == [404] * 4


def test_staff_see_scores_of_an_item(staff, shared_item):
    body = staff.get(
        f"/review/rounds/{shared_item.item.round_id}/items/{shared_item.item.pk}/"
    ).content.decode()

    assert "3.00" in body
    assert "other.judge@example.org" in body


def test_the_round_list_shows_a_committee_admin_only_their_rounds(committee_admin, local_round):
    body = committee_admin.get("/review/rounds/").content.decode()

    assert "Springfield round" in body
    assert "National round" not in body


def test_staff_run_the_assignment_from_the_round_page(staff, review_round, staff_user):
    add_items(
        round=review_round, objects=[study_of(CommunityFactory()) for _ in range(2)], by=SYSTEM
    )
    for _ in range(3):
        add_reviewer(round=review_round, user=UserFactory(), by=SYSTEM)

    response = staff.post(f"/review/rounds/{review_round.pk}/assign/", follow=True)

    assert "6 assignments made" in response.content.decode()
    assert Assignment.objects.count() == 6


def test_reassigning_to_a_conflicted_judge_is_refused_with_a_message(staff, assignment):
    home = Community.objects.get(pk=assignment.item.object_id)
    conflicted = add_reviewer(
        round=assignment.item.round, user=UserFactory(), community=home, by=SYSTEM
    )

    response = staff.post(
        f"/review/rounds/{assignment.item.round_id}/assignments/{assignment.pk}/reassign/",
        {"reviewer": conflicted.pk},
        follow=True,
    )

    assert "community or a sister city" in response.content.decode()
    assert conflicted.assignments.count() == 0


def test_the_ranking_csv_is_formula_safe(staff, review_round):
    study = study_of(CommunityFactory())
    item = add_items(round=review_round, objects=[study], by=SYSTEM)[0]
    item.title = '=HYPERLINK("http://evil.example")'
    item.save()

    body = staff.get(f"/review/rounds/{review_round.pk}/ranking.csv").content.decode()

    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_a_committee_admin_forwards_within_the_limit_only(committee_admin, local_round):
    items = add_items(
        round=local_round, objects=[study_of(CommunityFactory()) for _ in range(2)], by=SYSTEM
    )

    first = committee_admin.post(
        f"/review/rounds/{local_round.pk}/forward/", {"codes": items[0].code}, follow=True
    )
    second = committee_admin.post(
        f"/review/rounds/{local_round.pk}/forward/", {"codes": items[1].code}, follow=True
    )

    assert "1 items sent on" in first.content.decode()
    assert "At most 1 items per group" in second.content.decode()
    assert local_round.next_round.items.count() == 1


def test_manager_actions_answer_405_to_get(staff, review_round):
    assert staff.get(f"/review/rounds/{review_round.pk}/assign/").status_code == 405


# --- Invitations (AUTH-11) ---------------------------------------------------------------------


def _invite(staff, round_, email="new.judge@example.org"):
    staff.post(f"/review/rounds/{round_.pk}/reviewers/invite/", {"email": email})
    body = delivered_body(OutboxMessage.objects.get(to=email))
    return re.search(r"/review/invitations/([\w-]+)/", body).group(1)


def test_b11_an_invitation_is_mailed_with_a_long_random_single_use_token(staff, review_round):
    token = _invite(staff, review_round)

    invitation = Invitation.objects.get()
    assert len(token) >= 43  # 32 random bytes, base64: 256 bits
    assert invitation.token_hash != token
    assert invitation.expires_at <= timezone.now() + datetime.timedelta(days=7)


def test_b11_accepting_binds_the_invitation_to_the_signed_in_user_once(staff, review_round):
    token = _invite(staff, review_round)
    user = UserFactory(email="new.judge@example.org")
    client = _client_for(user)

    opened = client.get(f"/review/invitations/{token}/")
    page = client.get(opened["Location"])
    client.post("/review/invitations/accept/")
    replay = _client_for(UserFactory()).get(f"/review/invitations/{token}/")

    assert token not in opened["Location"]
    assert "You are invited" in page.content.decode()
    assert Reviewer.objects.filter(round=review_round, user=user).exists()
    assert replay.status_code == 410
    assert "This invitation has been used" in replay.content.decode()


def test_b11_staff_reading_the_outbox_never_see_a_live_invitation_link(
    staff, review_round, anonymous
):
    staff.post(f"/review/rounds/{review_round.pk}/reviewers/invite/", {"email": "j@example.org"})
    message = OutboxMessage.objects.get(to="j@example.org")

    page = staff.get(f"/staff/outbox/{message.pk}/").content.decode()
    token = re.search(r"/review/invitations/([\w-]+)/", delivered_body(message)).group(1)

    assert token not in page
    assert "/review/invitations/••••••/" in page
    assert anonymous.get("/review/invitations/••••••/").status_code == 404
    assert anonymous.get(f"/review/invitations/{token}/").status_code == 302


def test_b11_an_expired_invitation_says_so(staff, review_round):
    token = _invite(staff, review_round)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = Client().get(f"/review/invitations/{token}/")

    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()


def test_b11_an_unknown_invitation_link_says_so_in_words(anonymous):
    response = anonymous.get(f"/review/invitations/{'x' * 43}/")

    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()
