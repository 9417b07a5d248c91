"""Fixtures of the review engine's tests: a round of `Study` items (tests/review/reviewable.py)
and the judging personas: `judge`, `other_judge`, `conflicted_judge`."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.conftest import _client_for
from tests.factories import CommunityFactory, UserFactory
from tests.review.reviewable import Study
from twinning.core.authz import SYSTEM
from twinning.review.models import Round
from twinning.review.services import add_items, add_reviewer, change_round_state, create_round


def make_round(*, by=SYSTEM, owner_member=None, state=Round.State.OPEN, **kwargs):
    now = timezone.now()
    kwargs.setdefault("opens_at", now - datetime.timedelta(days=1))
    kwargs.setdefault("closes_at", now + datetime.timedelta(days=7))
    round_ = create_round(
        name=kwargs.pop("name", "National round"),
        model=Study,
        owner_member=owner_member,
        by=by,
        **kwargs,
    )
    # Along the transitions table: draft -> open -> closed -> decided.
    path = [Round.State.OPEN, Round.State.CLOSED, Round.State.DECIDED]
    for step in path[: path.index(state) + 1] if state != Round.State.DRAFT else []:
        change_round_state(round=round_, state=step, by=by)
    return round_


def make_studies(count, *, community=None, **kwargs):
    return [
        Study.objects.get(pk=CommunityFactory(**kwargs).pk) if community is None else community
        for _ in range(count)
    ]


def study_of(community):
    return Study.objects.get(pk=community.pk)


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """The test-only Study proxy gets its content type row inside each test's transaction,
    so a cached id from an earlier (rolled back) test must not be reused."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def review_round(db, staff_user):
    return make_round(by=staff_user)


@pytest.fixture
def study(db):
    return study_of(CommunityFactory(name="Canaryville"))


@pytest.fixture
def item(review_round, study, staff_user):
    return add_items(round=review_round, objects=[study], group_of=lambda s: "art", by=staff_user)[
        0
    ]


@pytest.fixture
def judge_user(db):
    return UserFactory(email="judge@example.org")


@pytest.fixture
def judge_reviewer(review_round, judge_user, staff_user):
    return add_reviewer(round=review_round, user=judge_user, by=staff_user)


@pytest.fixture
def assignment(item, judge_reviewer, staff_user):
    from twinning.review.services import assign_by_hand

    return assign_by_hand(item=item, reviewer=judge_reviewer, by=staff_user)


@pytest.fixture
def judge(judge_user):
    return _client_for(judge_user)


@pytest.fixture
def other_judge_user(review_round, staff_user):
    user = UserFactory(email="other.judge@example.org")
    add_reviewer(round=review_round, user=user, by=staff_user)
    return user


@pytest.fixture
def other_judge(other_judge_user):
    return _client_for(other_judge_user)
