"""The ranking (raw mean, weighted total, per-judge z-score, ties, ranks per group) and the
progress per group."""

from decimal import Decimal

import pytest

from tests.factories import CommunityFactory, UserFactory
from tests.review.conftest import study_of
from twinning.core.authz import SYSTEM
from twinning.review.queries import progress, ranking
from twinning.review.services import (
    add_items,
    add_reviewer,
    advance_top,
    assign_by_hand,
    save_scores,
)

pytestmark = pytest.mark.django_db


def _score(item, reviewer, value):
    assignment = assign_by_hand(item=item, reviewer=reviewer, by=SYSTEM)
    criteria = item.round.criteria.all()
    save_scores(
        assignment=assignment,
        scores={c.pk: value for c in criteria},
        submit=True,
        version=assignment.version,
        by=reviewer.user,
    )


@pytest.fixture
def scored(review_round, staff_user):
    studies = [study_of(CommunityFactory()) for _ in range(5)]
    groups = dict(zip([s.pk for s in studies], ["a", "a", "a", "a", "b"], strict=True))
    items = add_items(
        round=review_round, objects=studies, group_of=lambda s: groups[s.pk], by=staff_user
    )
    harsh, generous, single = (
        add_reviewer(round=review_round, user=UserFactory(), by=staff_user) for _ in range(3)
    )
    _score(items[0], harsh, 2)
    _score(items[1], harsh, 4)
    _score(items[0], generous, 8)
    _score(items[1], generous, 10)
    _score(items[2], generous, 9)
    _score(items[3], single, 5)
    return items


def test_ranking_shows_raw_mean_weighted_total_and_normalised_side_by_side(review_round, scored):
    rows = {r.item.pk: r for r in ranking(review_round)}

    first = rows[scored[0].pk]
    assert (first.raw_mean, first.weighted_total, first.reviews) == (
        Decimal("5.00"),
        Decimal("15.00"),
        2,
    )
    assert first.normalised == pytest.approx((-1 - 1.224744871) / 2)
    assert rows[scored[1].pk].normalised == pytest.approx((1 + 1.224744871) / 2)


def test_ranking_gives_z_zero_to_a_judge_with_one_score_or_no_variance(review_round, scored):
    rows = {r.item.pk: r for r in ranking(review_round)}

    assert rows[scored[2].pk].normalised == pytest.approx(0.0)
    assert rows[scored[3].pk].normalised == 0.0


def test_ranking_flags_ties_and_ranks_per_group(review_round, scored):
    rows = ranking(review_round)

    assert [(r.item.pk, r.rank, r.tie) for r in rows] == [
        (scored[1].pk, 1, False),
        (scored[2].pk, 2, True),
        (scored[3].pk, 2, True),
        (scored[0].pk, 4, False),
        (scored[4].pk, None, False),
    ]
    assert [r.group for r in ranking(review_round, group="b")] == ["b"]


def test_progress_counts_items_reviews_due_and_submitted_per_group(review_round, scored):
    rows = progress(review_round)

    assert [(p.group, p.items, p.reviews_due, p.submitted, p.short, p.percent) for p in rows] == [
        ("a", 4, 6, 6, 4, 100),
        ("b", 1, 0, 0, 1, 0),
    ]


def test_advance_top_forwards_the_best_of_each_group(review_round, scored, staff_user):
    from tests.review.conftest import make_round

    final = make_round(by=staff_user, name="Final")
    review_round.next_round = final
    review_round.save()

    advanced = advance_top(round=review_round, n=1, to_round=final, by=staff_user)

    assert [a.forwarded_from_id for a in advanced] == [scored[1].pk]
    assert [d.outcome for d in scored[1].decisions.all()] == ["advanced"]
