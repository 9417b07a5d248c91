"""The demo's funding programs (issue 9, section 2): a pair program and a trilateral one,
applications at every stage, grants with reports approved, due and overdue; a second run adds
nothing."""

import datetime

import pytest

from twinning.core.dates import association_today
from twinning.demo.grants import PAIR_SLUG, TRIO_SLUG, seed_grants
from twinning.grants.models import Application, Grant, Program, Report
from twinning.members.standing import is_in_good_standing

pytestmark = pytest.mark.django_db


def test_the_demo_builds_both_programs_with_applications_at_every_stage():
    seed_grants()

    assert set(Program.objects.values_list("slug", "shape")) == {
        (PAIR_SLUG, "pair"),
        (TRIO_SLUG, "trio"),
    }
    states = set(Application.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "funded"}
    partly_signed = [
        a
        for a in Application.objects.filter(state="draft")
        if 0 < sum(s.has_signed(a.content_hash) for s in a.sides.all()) < a.sides.count()
    ]
    assert len(partly_signed) == 2  # a pair and a trio wait for a partner's signature
    trio = Application.objects.filter(call__program__slug=TRIO_SLUG, state="submitted").get()
    assert sorted(trio.sides.values_list("community__country_id", flat=True)) == ["CA", "MX", "US"]


def test_the_demo_grants_have_reports_approved_due_and_overdue():
    seed_grants()
    today = association_today()

    assert Grant.objects.count() == 3
    assert Report.objects.filter(state="approved").count() == 2
    assert Report.objects.open().filter(due_on__lt=today).count() == 2
    assert (
        Report.objects.open()
        .filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=30))
        .count()
        == 2
    )


def test_a_second_run_adds_nothing():
    seed_grants()
    counts = (Application.objects.count(), Grant.objects.count())

    seed_grants()

    assert (Application.objects.count(), Grant.objects.count()) == counts


def test_the_demo_keeps_the_good_standing_rule_and_its_applicants_meet_it():
    seed_grants()

    assert all(Program.objects.values_list("require_good_standing", flat=True))
    committees = {
        side.member
        for application in Application.objects.exclude(state="draft")
        for side in application.sides.select_related("member")
        if side.member is not None
    }
    assert committees
    assert all(is_in_good_standing(member) for member in committees)
