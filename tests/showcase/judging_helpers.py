"""Builders for the judging, results and exhibit tests, all through the services: submitted
entries with real (generated) works, closing an edition, judges, complete scoring, decisions
and publishing."""

import datetime
from decimal import Decimal

from django.test import TestCase
from django.utils import timezone

from tests.conftest import _client_for
from tests.factories import UserFactory
from tests.showcase.conftest import consent_for, make_student
from tests.showcase.media import png_bytes, upload
from twinning.review.models import Assignment, ReviewItem
from twinning.review.services import add_reviewer, assign_reviews, save_scores
from twinning.showcase.models import Edition, Entry
from twinning.showcase.services import (
    approve_entry,
    attach_work,
    create_entry,
    decide_entry,
    national_round,
    open_judging,
    publish_results,
    submit_entry,
)


def submitted_entry(
    edition,
    student,
    *,
    category="photography",
    title="Morning bridge",
    data=None,
    name="photo.png",
    alt_text="A stone bridge over a river at dawn.",
    statement="I walk over this bridge every day.",
    text="The hills are far\nand the river is near.",
):
    category = edition.categories.get(slug=category)
    typed = category.work_kind == "text" and data is None
    entry = create_entry(
        student=student,
        category=category,
        title=title,
        statement=statement,
        alt_text=alt_text if category.work_kind == "image" else "",
        text=text if typed else "",
        by=student.user,
    )
    if not typed:
        # The derivatives are made by a task once the upload commits.
        with TestCase.captureOnCommitCallbacks(execute=True):
            attach_work(entry=entry, upload=upload(data or png_bytes(), name), by=student.user)
    return submit_entry(entry=entry, by=student.user)


def entrant(edition, community, **kwargs):
    """A student whose guardian consented to participation and publication."""
    student = make_student(edition, community, **kwargs)
    consent_for(student)
    return student


def close(edition) -> Edition:
    """Move the deadline into the past (as if the date had passed)."""
    now = timezone.now()
    Edition.objects.filter(pk=edition.pk).update(
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(minutes=1)
    )
    edition.refresh_from_db()
    return edition


def judge_user(email=None):
    return UserFactory(email=email) if email else UserFactory()


def add_judges(round, count, *, by, community=None):
    users = []
    for _ in range(count):
        user = judge_user()
        add_reviewer(round=round, user=user, community=community, by=by)
        users.append(user)
    return users


def score_everything(round, *, by, value_of=None):
    """Assign the round and have every judge submit scores (the item's title length decides
    the value unless `value_of(item)` is given, so rankings are deterministic)."""
    assign_reviews(round=round, by=by)
    criteria = list(round.criteria.all())
    for assignment in (
        Assignment.objects.live().filter(item__round=round).select_related("item", "reviewer__user")
    ):
        value = value_of(assignment.item) if value_of else 5
        save_scores(
            assignment=assignment,
            scores={c.pk: Decimal(value) for c in criteria},
            submit=True,
            version=assignment.version,
            by=assignment.reviewer.user,
        )


def judged_edition(edition, entries, *, staff_user, judges=3):
    """Close, open judging, judge the national round, return its round."""
    close(edition)
    open_judging(edition=edition, by=staff_user)
    national = national_round(edition).round
    add_judges(national, judges, by=staff_user)
    score_everything(national, by=staff_user)
    return national


def item_of(entry, round) -> ReviewItem:
    return ReviewItem.objects.get(round=round, object_id=str(entry.pk))


def win(edition, entry, *, staff_user, place=1, outcome="winner"):
    national = national_round(edition).round
    return decide_entry(
        edition=edition,
        item=item_of(entry, national),
        outcome=outcome,
        place=place if outcome == "winner" else None,
        by=staff_user,
    )


def published(edition, winners, *, staff_user, approve=True):
    """Decide the given entries as winners (1st, 2nd... in their category) and publish."""
    places: dict[int, int] = {}
    for entry in winners:
        places[entry.category_id] = places.get(entry.category_id, 0) + 1
        win(edition, entry, staff_user=staff_user, place=places[entry.category_id])
        if approve:
            approve_entry(entry=Entry.objects.get(pk=entry.pk), by=staff_user)
    return publish_results(edition=edition, by=staff_user)


def staff_client_for(user):
    return _client_for(user, verified=True)
