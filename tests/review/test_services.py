"""The review engine's services: rounds, items, the pool, assignment, conflicts, decisions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory, UserFactory
from tests.review.conftest import make_round, study_of
from twinning.core.authz import NotAllowed
from twinning.core.models import ActivityLog
from twinning.core.services import log_activity
from twinning.network.models import Community, Partnership
from twinning.review.models import Assignment, Decision, ReviewItem, Round
from twinning.review.services import (
    add_items,
    add_reviewer,
    assign_by_hand,
    assign_reviews,
    create_round,
    deactivate_reviewer,
    declare_conflict,
    forward_items,
    reassign,
    record_decision,
    revoke_assignment,
)

pytestmark = pytest.mark.django_db


def _studies(count, **kwargs):
    return [study_of(CommunityFactory(**kwargs)) for _ in range(count)]


def _reviewers(round_, count, by, **kwargs):
    return [add_reviewer(round=round_, user=UserFactory(), by=by, **kwargs) for _ in range(count)]


def test_create_round_gives_the_default_showcase_rubric(staff_user):
    round_ = make_round(by=staff_user)

    assert [c.name for c in round_.criteria.all()] == [
        "Originality",
        "Composition or craft",
        "Interpretation of the theme",
    ]
    assert ActivityLog.objects.filter(action="review.round.created").count() == 1


def test_create_round_refuses_a_model_that_is_not_reviewable(staff_user):
    from django.utils import timezone

    now = timezone.now()

    with pytest.raises(ValidationError, match="Community cannot be reviewed"):
        create_round(
            name="x",
            model=Community,
            opens_at=now,
            closes_at=now.replace(year=now.year + 1),
            by=staff_user,
        )

    assert Round.objects.count() == 0


def test_create_round_refuses_a_close_before_the_opening(staff_user):
    from django.utils import timezone

    now = timezone.now()

    with pytest.raises(ValidationError, match="close after it opens"):
        make_round(by=staff_user, opens_at=now, closes_at=now)


def test_add_items_snapshots_title_and_conflict_keys_with_a_random_code(review_round, staff_user):
    member = MemberFactory()
    study = study_of(CommunityFactory())
    member.communities.add(study)

    item = add_items(round=review_round, objects=[study], group_of=lambda s: "art", by=staff_user)[
        0
    ]

    assert item.title == f"Study no. {study.pk}"
    assert item.conflict_keys == sorted([f"community:{study.pk}", f"member:{member.pk}"])
    assert item.group == "art"
    assert len(item.code) == 14


def test_add_items_refuses_an_ineligible_object_and_adds_nothing(review_round, staff_user):
    good, empty = study_of(CommunityFactory()), study_of(CommunityFactory(population=0))

    with pytest.raises(ValidationError, match="cannot be reviewed: it is empty"):
        add_items(round=review_round, objects=[good, empty], by=staff_user)

    assert ReviewItem.objects.count() == 0


def test_add_items_twice_keeps_one_item_per_object(review_round, study, staff_user):
    first = add_items(round=review_round, objects=[study], by=staff_user)

    again = add_items(round=review_round, objects=[study], by=staff_user)

    assert [i.pk for i in again] == [i.pk for i in first]
    assert ReviewItem.objects.count() == 1


def test_one_assignment_per_item_and_reviewer_in_the_database(assignment):
    with pytest.raises(IntegrityError):
        Assignment.objects.create(item=assignment.item, reviewer=assignment.reviewer)


def test_assign_reviews_gives_every_item_k_reviews_balanced(review_round, staff_user):
    add_items(round=review_round, objects=_studies(10), by=staff_user)
    _reviewers(review_round, 4, staff_user)

    summary = assign_reviews(round=review_round, by=staff_user)

    assert summary.created == 30
    assert summary.short == []
    assert summary.spread <= 1
    assert {i.assignments.count() for i in ReviewItem.objects.all()} == {3}
    assert ActivityLog.objects.filter(action="review.assignments.made").count() == 1


def _conflict_world(review_round, staff_user, status, others=3):
    home = CommunityFactory()
    sister = study_of(CommunityFactory())
    a, b = sorted([home, sister], key=lambda c: c.pk)
    PartnershipFactory(community_a=a, community_b=b, status=status)
    add_items(round=review_round, objects=[sister], by=staff_user)
    judge = add_reviewer(round=review_round, user=UserFactory(), community=home, by=staff_user)
    _reviewers(review_round, others, staff_user)
    assign_reviews(round=review_round, by=staff_user)
    return judge


@pytest.mark.parametrize(
    "status", [Partnership.Status.ACTIVE, Partnership.Status.DORMANT, Partnership.Status.PROPOSED]
)
def test_assign_reviews_never_gives_a_judge_an_item_from_a_sister_city(
    review_round, staff_user, status
):
    judge = _conflict_world(review_round, staff_user, status)

    assert judge.assignments.count() == 0
    assert Assignment.objects.count() == 3


def test_assign_reviews_treats_an_ended_partnership_as_no_conflict(review_round, staff_user):
    judge = _conflict_world(review_round, staff_user, Partnership.Status.ENDED, others=2)

    assert judge.assignments.count() == 1
    assert Assignment.objects.count() == 3


def test_assign_reviews_never_gives_a_judge_an_item_of_their_own_community_or_member(
    review_round, staff_user
):
    member = MemberFactory()
    own = study_of(CommunityFactory())
    member.communities.add(own)
    member_items_town = study_of(CommunityFactory())
    member.communities.add(member_items_town)
    add_items(round=review_round, objects=[own, member_items_town], by=staff_user)
    by_community = add_reviewer(
        round=review_round, user=UserFactory(), community=own, by=staff_user
    )
    by_member = add_reviewer(round=review_round, user=UserFactory(), member=member, by=staff_user)
    _reviewers(review_round, 3, staff_user)

    assign_reviews(round=review_round, by=staff_user)

    assert not by_community.assignments.filter(item__object_id=str(own.pk)).exists()
    assert by_member.assignments.count() == 0
    assert Assignment.objects.count() == 6


def test_assign_reviews_respects_declared_conflicts_with_an_item_or_a_key(review_round, staff_user):
    one, two = _studies(2)
    items = add_items(round=review_round, objects=[one, two], by=staff_user)
    judges = _reviewers(review_round, 4, staff_user)
    declare_conflict(reviewer=judges[0], item=items[0], by=staff_user)
    declare_conflict(reviewer=judges[0], key=f"community:{two.pk}", by=staff_user)

    assign_reviews(round=review_round, by=staff_user)

    assert judges[0].assignments.count() == 0
    assert Assignment.objects.count() == 6


def test_assign_reviews_reports_items_that_cannot_get_k_unconflicted_reviewers(
    review_round, staff_user
):
    home = study_of(CommunityFactory())
    other = study_of(CommunityFactory())
    items = add_items(round=review_round, objects=[home, other], by=staff_user)
    add_reviewer(round=review_round, user=UserFactory(), community=home, by=staff_user)
    _reviewers(review_round, 2, staff_user)

    summary = assign_reviews(round=review_round, by=staff_user)

    assert summary.short == [items[0]]
    assert items[0].assignments.count() == 2
    assert items[1].assignments.count() == 3


def test_assign_reviews_keeps_existing_assignments_and_tops_up(review_round, staff_user):
    add_items(round=review_round, objects=_studies(3), by=staff_user)
    judges = _reviewers(review_round, 3, staff_user)
    first = assign_reviews(round=review_round, by=staff_user)
    judges.append(add_reviewer(round=review_round, user=UserFactory(), by=staff_user))
    before = set(Assignment.objects.values_list("pk", flat=True))

    second = assign_reviews(round=review_round, by=staff_user)

    assert first.created == 9
    assert second.created == 0
    assert set(Assignment.objects.values_list("pk", flat=True)) == before


def test_assign_reviews_refuses_a_closed_round(review_round, staff_user):
    review_round.state = Round.State.CLOSED
    review_round.save()

    with pytest.raises(ValidationError, match="closed"):
        assign_reviews(round=review_round, by=staff_user)


def test_assign_reviews_skips_inactive_reviewers(review_round, staff_user):
    add_items(round=review_round, objects=_studies(2), by=staff_user)
    judges = _reviewers(review_round, 4, staff_user)
    deactivate_reviewer(reviewer=judges[0], by=staff_user)

    assign_reviews(round=review_round, by=staff_user)

    assert judges[0].assignments.count() == 0


def test_reassign_refuses_a_conflicted_reviewer_with_a_message(assignment, staff_user):
    home = Community.objects.get(pk=assignment.item.object_id)
    conflicted = add_reviewer(
        round=assignment.item.round, user=UserFactory(), community=home, by=staff_user
    )

    with pytest.raises(ValidationError, match="community or a sister city"):
        reassign(assignment=assignment, reviewer=conflicted, by=staff_user)

    assignment.refresh_from_db()
    assert assignment.revoked_at is None
    assert conflicted.assignments.count() == 0


def test_reassign_moves_an_unsubmitted_assignment(assignment, staff_user):
    other = add_reviewer(round=assignment.item.round, user=UserFactory(), by=staff_user)

    moved = reassign(assignment=assignment, reviewer=other, by=staff_user)

    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    assert moved.reviewer == other
    assert moved.revoked_at is None


def test_assign_by_hand_refuses_a_declared_conflict(item, judge_reviewer, staff_user):
    declare_conflict(reviewer=judge_reviewer, item=item, note="my niece", by=staff_user)

    with pytest.raises(ValidationError, match="declared a conflict"):
        assign_by_hand(item=item, reviewer=judge_reviewer, by=staff_user)


def test_declare_conflict_revokes_the_reviewers_assignment_at_once(assignment, staff_user):
    declare_conflict(reviewer=assignment.reviewer, item=assignment.item, by=staff_user)

    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    assert ActivityLog.objects.filter(action="review.conflict.declared").count() == 1


def test_revoke_assignment_is_audited(assignment, staff_user):
    revoke_assignment(assignment=assignment, by=staff_user)

    assert assignment.revoked_at is not None
    assert ActivityLog.objects.filter(action="review.assignment.revoked").count() == 1


def test_record_decision_writes_the_decision_and_an_audit_entry(item, staff_user):
    decision = record_decision(item=item, outcome=Decision.Outcome.WINNER, place=1, by=staff_user)

    assert item.decisions.first() == decision
    assert ActivityLog.objects.filter(action="review.decision.recorded").count() == 1


def test_record_decision_refuses_a_place_for_not_selected(item, staff_user):
    with pytest.raises(ValidationError):
        record_decision(item=item, outcome=Decision.Outcome.NOT_SELECTED, place=2, by=staff_user)

    assert Decision.objects.count() == 0


def _local_and_national(staff_user, committee_admin_user, springfield_member, limit=2):
    national = make_round(by=staff_user, name="National")
    local = make_round(
        by=staff_user,
        name="Springfield round",
        owner_member=springfield_member,
        next_round=national,
        forward_limit=limit,
    )
    items = add_items(
        round=local, objects=_studies(4), group_of=lambda s: "poetry", by=committee_admin_user
    )
    return national, local, items


def test_forward_items_keeps_provenance_and_records_the_decision(
    staff_user, committee_admin_user, springfield_member
):
    national, _local, items = _local_and_national(
        staff_user, committee_admin_user, springfield_member
    )

    forwarded = forward_items(items=items[:2], to_round=national, by=committee_admin_user)

    assert [f.forwarded_from for f in forwarded] == items[:2]
    assert {f.group for f in forwarded} == {"poetry"}
    assert {f.code for f in forwarded}.isdisjoint({i.code for i in items})
    assert [d.outcome for d in Decision.objects.filter(item__in=items[:2])] == ["advanced"] * 2
    assert ActivityLog.objects.filter(action="review.items.forwarded").count() == 1


def test_forward_items_refuses_more_than_the_limit_per_group(
    staff_user, committee_admin_user, springfield_member
):
    national, _local, items = _local_and_national(
        staff_user, committee_admin_user, springfield_member
    )
    forward_items(items=items[:1], to_round=national, by=committee_admin_user)

    with pytest.raises(ValidationError, match="At most 2 items per group"):
        forward_items(items=items[1:3], to_round=national, by=committee_admin_user)

    assert national.items.count() == 1


def test_forward_items_refuses_another_committees_admin(
    staff_user, committee_admin_user, other_committee_admin_user, springfield_member
):
    national, _local, items = _local_and_national(
        staff_user, committee_admin_user, springfield_member
    )

    with pytest.raises(NotAllowed):
        forward_items(items=items[:1], to_round=national, by=other_committee_admin_user)

    assert national.items.count() == 0


def test_rescheduling_a_round_moves_its_window_with_an_audit_entry(review_round, staff_user):
    from twinning.review.services import reschedule_round

    opens = review_round.opens_at + datetime.timedelta(days=2)
    closes = review_round.closes_at + datetime.timedelta(days=2)

    reschedule_round(round=review_round, opens_at=opens, closes_at=closes, by=staff_user)

    review_round.refresh_from_db()
    assert (review_round.opens_at, review_round.closes_at) == (opens, closes)
    assert ActivityLog.objects.filter(action="review.round.rescheduled").count() == 1


def test_a_round_cannot_be_rescheduled_to_close_before_it_opens(review_round, staff_user):
    from twinning.review.services import reschedule_round

    before = (review_round.opens_at, review_round.closes_at)

    with pytest.raises(ValidationError):
        reschedule_round(
            round=review_round,
            opens_at=before[1],
            closes_at=before[0],
            by=staff_user,
        )

    review_round.refresh_from_db()
    assert (review_round.opens_at, review_round.closes_at) == before


def test_a_decisions_audit_entry_keeps_the_item_code_while_a_secret_is_masked(item, staff_user):
    """The audit log masks exact secret names only (issue 7): "code" is the item's public
    code, which staff need to read a decision back."""
    record_decision(item=item, outcome=Decision.Outcome.WINNER, place=1, by=staff_user)
    log_activity(
        item,
        "review.test.secret",
        by=staff_user,
        data={
            "code": item.code,
            "password": "hunter2",
            "otp_token": "123456",
            "Token": "abc",
            "nested": {"secret": "s3", "codes": [item.code]},
        },
    )

    decision = ActivityLog.objects.get(action="review.decision.recorded")
    assert decision.data == {"outcome": "winner", "place": 1, "code": item.code}
    secret = ActivityLog.objects.get(action="review.test.secret").data
    assert secret["code"] == item.code
    assert secret["password"] == secret["otp_token"] == secret["Token"] == "********"
    assert secret["nested"] == {"secret": "********", "codes": [item.code]}


def test_forwarding_keeps_the_item_codes_in_its_audit_entry(
    staff_user, committee_admin_user, springfield_member
):
    national, _local, items = _local_and_national(
        staff_user, committee_admin_user, springfield_member
    )

    forward_items(items=items[:2], to_round=national, by=committee_admin_user)

    entry = ActivityLog.objects.get(action="review.items.forwarded")
    assert entry.data["codes"] == [items[0].code, items[1].code]
