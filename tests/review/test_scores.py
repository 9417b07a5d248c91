"""Scores: drafts and submission, the optimistic version check, the deadline, ranges."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from twinning.core.authz import NotAllowed
from twinning.core.models import ActivityLog
from twinning.review.models import Score
from twinning.review.services import (
    change_round_state,
    revoke_assignment,
    save_scores,
)

pytestmark = pytest.mark.django_db


def _values(assignment, *values):
    criteria = list(assignment.item.round.criteria.all())
    return {c.pk: v for c, v in zip(criteria, values, strict=False)}


def test_save_scores_keeps_a_draft_and_bumps_the_version(assignment, judge_user):
    saved = save_scores(
        assignment=assignment,
        scores=_values(assignment, 7),
        submit=False,
        version=0,
        by=judge_user,
    )

    assert saved.version == 1
    assert saved.submitted_at is None
    assert [s.value for s in Score.objects.all()] == [Decimal("7.00")]


def test_save_scores_submits_with_comments_and_an_audit_entry(assignment, judge_user):
    saved = save_scores(
        assignment=assignment,
        scores=_values(assignment, 7, 8, Decimal("9.5")),
        comment_to_entrant="Lovely light.",
        submit=True,
        version=0,
        by=judge_user,
    )

    assert saved.submitted_at is not None
    assert saved.comment_to_entrant == "Lovely light."
    assert Score.objects.count() == 3
    assert ActivityLog.objects.filter(action="review.scores.submitted").count() == 1


def test_save_scores_refuses_a_stale_version_and_changes_nothing(assignment, judge_user):
    save_scores(
        assignment=assignment, scores=_values(assignment, 7), submit=False, version=0, by=judge_user
    )

    with pytest.raises(ValidationError, match="changed elsewhere") as error:
        save_scores(
            assignment=assignment,
            scores=_values(assignment, 2),
            submit=False,
            version=0,
            by=judge_user,
        )

    assert error.value.code == "stale"
    assert [s.value for s in Score.objects.all()] == [Decimal("7.00")]


def test_submit_requires_every_criterion(assignment, judge_user):
    with pytest.raises(ValidationError, match="Score every criterion before submitting"):
        save_scores(
            assignment=assignment,
            scores=_values(assignment, 7),
            submit=True,
            version=0,
            by=judge_user,
        )

    assert Score.objects.count() == 0


@pytest.mark.parametrize("value", [0, 11, "abc", "7.333", "NaN", "Infinity"])
def test_save_scores_refuses_values_outside_the_range(assignment, judge_user, value):
    with pytest.raises(ValidationError, match="give a"):
        save_scores(
            assignment=assignment,
            scores=_values(assignment, value),
            submit=False,
            version=0,
            by=judge_user,
        )

    assert Score.objects.count() == 0


def test_submitted_scores_are_final(assignment, judge_user):
    save_scores(
        assignment=assignment,
        scores=_values(assignment, 7, 7, 7),
        submit=True,
        version=0,
        by=judge_user,
    )

    with pytest.raises(ValidationError, match="already submitted"):
        save_scores(
            assignment=assignment,
            scores=_values(assignment, 1, 1, 1),
            submit=True,
            version=1,
            by=judge_user,
        )

    assert {s.value for s in Score.objects.all()} == {Decimal("7.00")}


def test_submitting_after_the_round_closes_is_refused(assignment, judge_user):
    closes = assignment.item.round.closes_at

    with (
        time_machine.travel(closes + datetime.timedelta(seconds=1)),
        pytest.raises(ValidationError, match="round is closed"),
    ):
        save_scores(
            assignment=assignment,
            scores=_values(assignment, 7, 7, 7),
            submit=True,
            version=0,
            by=judge_user,
        )

    assert Score.objects.count() == 0


def test_submitting_in_a_round_closed_by_staff_is_refused(assignment, judge_user, staff_user):
    change_round_state(round=assignment.item.round, state="closed", by=staff_user)
    assignment.item.round.refresh_from_db()

    with pytest.raises(ValidationError, match="round is closed"):
        save_scores(
            assignment=assignment,
            scores=_values(assignment, 7, 7, 7),
            submit=True,
            version=0,
            by=judge_user,
        )


def test_another_user_cannot_save_a_judges_scores(assignment, other_judge_user):
    with pytest.raises(NotAllowed):
        save_scores(
            assignment=assignment,
            scores=_values(assignment, 7),
            submit=False,
            version=0,
            by=other_judge_user,
        )

    assert Score.objects.count() == 0


def test_a_revoked_assignment_cannot_be_scored(assignment, judge_user, staff_user):
    revoke_assignment(assignment=assignment, by=staff_user)

    with pytest.raises(NotAllowed):
        save_scores(
            assignment=assignment,
            scores=_values(assignment, 7),
            submit=False,
            version=assignment.version,
            by=judge_user,
        )

    assert Score.objects.count() == 0


def test_one_score_per_assignment_and_criterion_in_the_database(assignment, judge_user):
    save_scores(
        assignment=assignment, scores=_values(assignment, 7), submit=False, version=0, by=judge_user
    )

    with pytest.raises(IntegrityError):
        Score.objects.create(
            assignment=assignment,
            criterion=assignment.item.round.criteria.first(),
            value=3,
        )
