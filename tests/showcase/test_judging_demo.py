"""The demo's showcase stages (twinning/demo/showcase.py), built through the services."""

import pytest

from tests.factories import UserFactory
from twinning.demo import personas
from twinning.demo.showcase import seed_showcase
from twinning.review.models import Assignment
from twinning.showcase.models import Certificate, Entry, ExhibitWork, JudgingRound


@pytest.fixture
def demo_committee(springfield_member, good_standing):
    springfield_member.admins.add(UserFactory(email=personas.COMMITTEE_ADMIN.email))
    return springfield_member


def test_open_stage_builds_an_edition_open_for_entries(demo_committee, staff_user):
    edition = seed_showcase(stage="open", staff=staff_user, entries=12)

    assert edition.is_open()
    assert Entry.objects.filter(edition=edition).count() == 12
    assert not JudgingRound.objects.exists()


def test_judging_stage_has_a_local_round_judges_and_part_of_the_scores(demo_committee, staff_user):
    edition = seed_showcase(stage="judging", staff=staff_user, entries=12)

    live = Assignment.objects.live().filter(item__round__showcase_round__edition=edition)
    assert edition.has_closed()
    assert JudgingRound.objects.local().get().member == demo_committee
    assert 0 < live.filter(submitted_at__isnull=False).count() < live.count()
    assert not edition.results_published


def test_results_stage_publishes_winners_and_is_idempotent(demo_committee, staff_user):
    edition = seed_showcase(stage="results", staff=staff_user, entries=12)
    counts = (ExhibitWork.objects.count(), Certificate.objects.count(), Entry.objects.count())

    again = seed_showcase(stage="results", staff=staff_user, entries=12)

    assert again.results_published
    assert ExhibitWork.objects.filter(outcome="winner").exists()
    assert Certificate.objects.count() > 0
    assert (
        ExhibitWork.objects.count(),
        Certificate.objects.count(),
        Entry.objects.count(),
    ) == counts
    assert edition.pk == again.pk
