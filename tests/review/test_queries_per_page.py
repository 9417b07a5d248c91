"""The judge's queue, the progress page and the ranking cost the same number of queries
whatever the round's size (a list page must not grow a query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CommunityFactory, UserFactory
from tests.review.conftest import study_of
from twinning.core.authz import SYSTEM
from twinning.review.models import Reviewer
from twinning.review.services import add_items, add_reviewer, assign_reviews, save_scores

pytestmark = pytest.mark.django_db


def _grow(round_, judge_user, items):
    add_items(
        round=round_,
        objects=[study_of(CommunityFactory()) for _ in range(items)],
        group_of=lambda s: "art" if s.pk % 2 else "music",
        by=SYSTEM,
    )
    add_reviewer(round=round_, user=judge_user, by=SYSTEM)
    for _ in range(3):
        add_reviewer(round=round_, user=UserFactory(), by=SYSTEM)
    assign_reviews(round=round_, by=SYSTEM)
    criteria = list(round_.criteria.all())
    for reviewer in Reviewer.objects.filter(round=round_):
        for assignment in reviewer.assignments.filter(submitted_at__isnull=True)[:2]:
            save_scores(
                assignment=assignment,
                scores={c.pk: 5 + assignment.pk % 3 for c in criteria},
                submit=True,
                version=0,
                by=reviewer.user,
            )


def _count(client, path):
    client.get(path)  # warm: the session, the association's cached settings
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_list_pages_cost_the_same_queries_at_2_and_12_items(staff, review_round, judge_user, judge):
    pages = [
        "/review/",
        f"/review/rounds/{review_round.pk}/",
        f"/review/rounds/{review_round.pk}/ranking/",
        f"/review/rounds/{review_round.pk}/ranking.csv",
    ]
    _grow(review_round, judge_user, 2)
    small = [_count(judge if p == "/review/" else staff, p) for p in pages]

    _grow(review_round, judge_user, 10)
    large = [_count(judge if p == "/review/" else staff, p) for p in pages]

    assert small == large
