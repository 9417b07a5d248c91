"""CONC-1 (PostgreSQL) and CONC-7 (SQLite, concurrency 10): 20 judges x 10 items, each
assignment's scores posted twice at once plus a later stale edit. Exactly one Score per
(assignment, criterion), nothing lost (each assignment holds its winning post's values), stale
edits refused with "changed elsewhere", and no database error reaches anyone."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.factories import CommunityFactory, UserFactory
from tests.review.conftest import make_round, study_of
from twinning.core.authz import SYSTEM
from twinning.review.models import Assignment, Score
from twinning.review.services import add_items, add_reviewer, assign_by_hand, save_scores

JUDGES, ITEMS = 20, 10


def _world():
    round_ = make_round(by=SYSTEM)
    items = add_items(
        round=round_, objects=[study_of(CommunityFactory()) for _ in range(ITEMS)], by=SYSTEM
    )
    judges = [add_reviewer(round=round_, user=UserFactory(), by=SYSTEM) for _ in range(JUDGES)]
    assignments = [assign_by_hand(item=i, reviewer=j, by=SYSTEM) for j in judges for i in items]
    return list(round_.criteria.values_list("pk", flat=True)), assignments


def _save(assignment, criteria, value, version, submit=False):
    try:
        save_scores(
            assignment=assignment,
            scores=dict.fromkeys(criteria, value),
            submit=submit,
            version=version,
            by=assignment.reviewer.user,
        )
        return ("saved", value)
    except ValidationError as error:
        return ("refused", " ".join(error.messages))
    except Exception as error:  # any other failure is what this test counts
        return ("failed", f"{type(error).__name__}: {error}")
    finally:
        connections.close_all()


def _race(concurrency):
    criteria, assignments = _world()
    barriers = {a.pk: threading.Barrier(2, timeout=60) for a in assignments}

    def post(assignment, value):
        barriers[assignment.pk].wait()
        return assignment.pk, _save(assignment, criteria, value, version=0)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(post, a, v) for a in assignments for v in (4, 6)]
        outcomes = [f.result() for f in futures]
    stale = [_save(a, criteria, 9, version=0) for a in assignments]
    return criteria, assignments, outcomes, stale


def _assert_g1(criteria, assignments, outcomes, stale):
    failures = [o for _pk, o in outcomes if o[0] == "failed"]
    winners = {pk: o[1] for pk, o in outcomes if o[0] == "saved"}
    refusals = [o[1] for _pk, o in outcomes if o[0] == "refused"]
    assert failures == []
    assert len(winners) == len(assignments) == JUDGES * ITEMS
    assert len(refusals) == len(assignments)
    assert all("changed elsewhere" in r for r in refusals)
    assert all(o[0] == "refused" and "changed elsewhere" in o[1] for o in stale)
    assert Score.objects.count() == len(assignments) * len(criteria)
    for assignment in Assignment.objects.prefetch_related("scores"):
        assert assignment.version == 1
        assert {int(s.value) for s in assignment.scores.all()} == {winners[assignment.pk]}


@pytest.mark.django_db(transaction=True)
def test_g7_concurrent_scoring_on_sqlite_loses_nothing_and_duplicates_nothing():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant; PostgreSQL runs the test below")

    _assert_g1(*_race(concurrency=10))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_g1_200_concurrent_score_submissions_on_postgresql():
    assert connection.vendor == "postgresql"

    _assert_g1(*_race(concurrency=50))
