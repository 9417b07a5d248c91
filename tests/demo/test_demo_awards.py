"""`seed_demo` builds the awards through the services (issue 9, section 3): this year's cycle
at the results stage (announced, winners at the banquet, e-mails held) and a winners archive
over several years; a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.demo.test_demo_events import _registry
from twinning.awards.models import Cycle, Honour, Nomination
from twinning.core.dates import association_today
from twinning.events.models import Honoree
from twinning.outbox.models import OutboxMessage


def _seed() -> str:
    out = StringIO()
    call_command(
        "seed_demo",
        "--skip-import",
        "--stage",
        "open",
        "--entries",
        "2",
        "--attendees",
        "40",
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        _registry()
        yield _seed()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _each_test_in_a_savepoint(seeded, db):
    return seeded


def test_the_demo_has_this_years_awards_at_the_results_stage(seeded):
    year = association_today().year
    cycle = Cycle.objects.get(year=year)

    assert cycle.is_announced
    assert Nomination.objects.counting().filter(category__cycle=cycle).count() >= 4
    assert Honour.objects.filter(cycle=cycle, outcome="winner").exists()
    assert OutboxMessage.objects.filter(template__startswith="awards.result", state="held").exists()
    assert (
        Honoree.objects.filter(source="awards").count()
        == Honour.objects.filter(cycle=cycle, outcome="winner").count()
    )


def test_the_demo_archive_spans_several_years(seeded):
    years = set(Honour.objects.public().values_list("year", flat=True))

    assert len(years) >= 3


def test_seeding_again_adds_no_awards(seeded):
    before = (Nomination.objects.count(), Honour.objects.count())

    _seed()

    assert (Nomination.objects.count(), Honour.objects.count()) == before
