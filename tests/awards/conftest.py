import datetime

import pytest
from django.utils import timezone

from tests.awards.helpers import make_cycle, make_eligible
from twinning.awards.models import Cycle


@pytest.fixture
def cycle(db):
    """This year's cycle, open for nominations for another 30 days."""
    return make_cycle()


@pytest.fixture
def eligible(springfield_member):
    """Springfield's committee in good standing with a sister city (the partner returned)."""
    return make_eligible(springfield_member)


def close(cycle: Cycle) -> Cycle:
    """Move the deadline an hour into the past."""
    Cycle.objects.filter(pk=cycle.pk).update(closes_at=timezone.now() - datetime.timedelta(hours=1))
    cycle.refresh_from_db()
    return cycle
