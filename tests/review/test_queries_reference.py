"""The optimised ranking (SQL aggregates, compact cached tuples, pages hydrated on demand)
equals a straightforward computation from the score rows on generated rounds, and a change
made through the services shows on the next read."""

import math
import random
import statistics
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.paginator import Paginator

from tests.factories import CommunityFactory, UserFactory
from tests.review.conftest import make_round, study_of
from twinning.core.authz import SYSTEM
from twinning.review.models import Assignment, Score
from twinning.review.queries import RankingPageRows, RankingView, progress, ranking
from twinning.review.services import (
    add_items,
    add_reviewer,
    assign_by_hand,
    record_decision,
    revoke_assignment,
    save_scores,
)

pytestmark = pytest.mark.django_db

CRITERIA = [
    {"name": "Idea", "weight": "1"},
    {"name": "Craft", "weight": "2.5"},
    {"name": "Theme", "weight": "0.75", "min_score": 0, "max_score": 5},
]


def _generated_round(seed, staff_user):
    """Items in three groups; judges of every kind: harsh, generous, one review only, all
    scores equal; drafts, revoked reviews and unreviewed items; values chosen from a few
    (half points included) so ties happen."""
    rng = random.Random(seed)
    round_ = make_round(by=staff_user, criteria=CRITERIA, name=f"Generated {seed}")
    studies = [study_of(CommunityFactory()) for _ in range(24)]
    items = add_items(
        round=round_, objects=studies, group_of=lambda s: f"g{s.pk % 3}", by=staff_user
    )
    judges = [add_reviewer(round=round_, user=UserFactory(), by=staff_user) for _ in range(6)]
    criteria = list(round_.criteria.all())
    tied = [items[-6], items[-3]]  # consecutive pks: the same group
    for index, item in enumerate(items[:-6]):  # the last six do not get these reviews
        for judge in rng.sample(judges[:4], 2 + (index % 2)):
            _review(item, judge, criteria, rng, submit=rng.random() > 0.15)
    _review(items[0], judges[4], criteria, rng, submit=True)  # one review only
    for item in [*items[1:4], *tied]:  # all equal: zero variance; `tied` tie at z = 0
        _review(item, judges[5], criteria, rng, submit=True, value=Decimal(4))
    live = list(Assignment.objects.filter(item__round=round_, submitted_at__isnull=True))
    for assignment in live[:2]:
        revoke_assignment(assignment=assignment, by=staff_user)
    record_decision(item=items[2], outcome="finalist", place=1, by=staff_user)
    return round_


def _review(item, reviewer, criteria, rng, *, submit, value=None):
    assignment = assign_by_hand(item=item, reviewer=reviewer, by=SYSTEM)
    scores = {
        c.pk: value
        if value is not None
        else Decimal(rng.choice(range(2 * c.min_score, 2 * c.max_score + 1))) / 2
        for c in criteria
    }
    save_scores(
        assignment=assignment,
        scores=scores,
        submit=submit,
        version=assignment.version,
        by=reviewer.user,
    )


def _reference(round_):
    """The ranking computed the plain way, from every Score row of the round."""
    totals = defaultdict(Decimal)  # assignment -> sum(weight x score)
    values = defaultdict(list)  # item -> every criterion score
    owner = {}
    for score in Score.objects.filter(
        assignment__item__round=round_,
        assignment__submitted_at__isnull=False,
        assignment__revoked_at__isnull=True,
    ).select_related("criterion", "assignment"):
        a = score.assignment
        totals[a.pk] += score.value * score.criterion.weight
        values[a.item_id].append(score.value)
        owner[a.pk] = (a.reviewer_id, a.item_id)
    by_judge = defaultdict(list)
    for pk, (judge, _item) in owner.items():
        by_judge[judge].append(float(totals[pk]))
    z, per_item = {}, defaultdict(list)
    for pk, (judge, item) in owner.items():
        mine = by_judge[judge]
        std = statistics.pstdev(mine) if len(mine) > 1 else 0.0
        z[pk] = 0.0 if std < 1e-12 else (float(totals[pk]) - statistics.fmean(mine)) / std
        per_item[item].append(pk)
    rows = []
    for item in round_.items.all():
        mine = per_item.get(item.pk, [])
        rows.append(
            {
                "pk": item.pk,
                "group": item.group,
                "code": item.code,
                "reviews": len(mine),
                "raw": (sum(values[item.pk]) / len(values[item.pk])).quantize(Decimal("0.01"))
                if mine
                else None,
                "weighted": (sum(totals[pk] for pk in mine) / len(mine)).quantize(Decimal("0.01"))
                if mine
                else None,
                "normalised": statistics.fmean(z[pk] for pk in mine) if mine else None,
            }
        )
    rows.sort(
        key=lambda r: (
            r["group"],
            r["normalised"] is None,
            -(r["normalised"] or 0),
            -(r["weighted"] or 0),
            -(r["raw"] or 0),
            r["code"],
        )
    )
    for r in rows:
        key = None if r["normalised"] is None else round(r["normalised"], 9)
        peers = [
            round(o["normalised"], 9)
            for o in rows
            if o["group"] == r["group"] and o["normalised"] is not None
        ]
        r["rank"] = None if key is None else 1 + sum(p > key for p in peers)
        r["tie"] = key is not None and peers.count(key) > 1
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ranking_equals_the_plain_computation_from_the_scores(seed, staff_user):
    round_ = _generated_round(seed, staff_user)
    assert len({i.group for i in round_.items.order_by("pk")[18:24:3]}) == 1

    expected = _reference(round_)
    got = ranking(round_)

    assert [r.item.pk for r in got] == [r["pk"] for r in expected]
    for row, want in zip(got, expected, strict=True):
        assert (row.group, row.reviews, row.raw_mean, row.weighted_total) == (
            want["group"],
            want["reviews"],
            want["raw"],
            want["weighted"],
        )
        if want["normalised"] is None:
            assert row.normalised is None
        else:
            assert math.isclose(row.normalised, want["normalised"], abs_tol=1e-12)
        assert (row.rank, row.tie) == (want["rank"], want["tie"])
    assert any(r["tie"] for r in expected)  # the generated rounds do exercise ties


def test_the_ranking_pages_give_the_same_rows_as_the_whole_ranking(staff_user):
    round_ = _generated_round(4, staff_user)
    view = RankingView(round_)

    for group in [None, *view.groups]:
        paginator = Paginator(RankingPageRows(view, group), 4)
        paged = [
            (r.item.pk, r.rank, r.tie, r.normalised)
            for n in paginator.page_range
            for r in paginator.page(n)
        ]
        whole = [(r.item.pk, r.rank, r.tie, r.normalised) for r in ranking(round_, group=group)]
        assert paged == whole


def test_the_ranking_shows_the_current_decision_read_fresh(staff_user):
    round_ = _generated_round(5, staff_user)
    item = round_.items.order_by("pk")[2]
    ranking(round_)  # cached

    record_decision(item=item, outcome="winner", place=1, by=staff_user)

    row = next(r for r in ranking(round_) if r.item.pk == item.pk)
    assert row.decision.outcome == "winner"


def test_a_submission_shows_in_the_ranking_and_progress_on_the_next_read(review_round, staff_user):
    study = study_of(CommunityFactory())
    item = add_items(round=review_round, objects=[study], group_of=lambda s: "a", by=staff_user)[0]
    judge = add_reviewer(round=review_round, user=UserFactory(), by=staff_user)
    assignment = assign_by_hand(item=item, reviewer=judge, by=staff_user)
    assert ranking(review_round)[0].reviews == 0
    assert progress(review_round)[0].submitted == 0

    save_scores(
        assignment=assignment,
        scores={c.pk: 6 for c in review_round.criteria.all()},
        submit=True,
        version=assignment.version,
        by=judge.user,
    )

    row = ranking(review_round)[0]  # the same (stale) Round instance
    assert (row.reviews, row.raw_mean) == (1, Decimal("6.00"))
    assert progress(review_round)[0].submitted == 1


def test_a_revocation_shows_in_the_progress_on_the_next_read(review_round, staff_user):
    study = study_of(CommunityFactory())
    item = add_items(round=review_round, objects=[study], group_of=lambda s: "a", by=staff_user)[0]
    judge = add_reviewer(round=review_round, user=UserFactory(), by=staff_user)
    assignment = assign_by_hand(item=item, reviewer=judge, by=staff_user)
    assert progress(review_round)[0].reviews_due == 1

    revoke_assignment(assignment=assignment, by=staff_user)

    assert progress(review_round)[0].reviews_due == 0


def _due(round_):
    return [(p.group, p.items, p.reviews_due) for p in progress(round_)]


def test_new_items_and_assignments_show_in_the_progress_on_the_next_read(review_round, staff_user):
    from twinning.review.services import assign_reviews

    add_reviewer(round=review_round, user=UserFactory(), by=staff_user)
    assert _due(review_round) == []

    add_items(round=review_round, objects=[study_of(CommunityFactory())], by=staff_user)
    assert _due(review_round) == [("", 1, 0)]

    assign_reviews(round=review_round, by=staff_user)
    assert _due(review_round) == [("", 1, 1)]


def test_a_removed_judge_or_a_declared_conflict_shows_in_the_progress_on_the_next_read(
    review_round, staff_user
):
    from twinning.review.services import deactivate_reviewer, declare_conflict

    items = add_items(
        round=review_round,
        objects=[study_of(CommunityFactory()) for _ in range(2)],
        group_of=lambda s: "a",
        by=staff_user,
    )
    first, second = (
        add_reviewer(round=review_round, user=UserFactory(), by=staff_user) for _ in range(2)
    )
    assign_by_hand(item=items[0], reviewer=first, by=staff_user)
    assign_by_hand(item=items[1], reviewer=second, by=staff_user)
    assert _due(review_round) == [("a", 2, 2)]

    deactivate_reviewer(reviewer=first, by=staff_user)
    assert _due(review_round) == [("a", 2, 1)]

    declare_conflict(reviewer=second, item=items[1], by=staff_user)
    assert _due(review_round) == [("a", 2, 0)]
