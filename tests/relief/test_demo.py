"""The demo's relief (issue 12): two emergency appeals (one closed and fully reported, one
open) and three development projects with pledges, expenses and shipments, one overdue for
an update; a second run adds nothing."""

import pytest

from tests.factories import MemberFactory, UserFactory
from twinning.core.dates import association_today
from twinning.demo import personas
from twinning.demo.relief import seed_relief
from twinning.relief import queries
from twinning.relief.models import Appeal

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(springfield):
    member = MemberFactory(name="Springfield Sister Cities Committee", communities=[springfield])
    member.admins.add(UserFactory(email=personas.COMMITTEE_ADMIN.email))
    return member


def test_the_demo_builds_two_appeals_and_three_projects_once(organiser):
    seed_relief()
    seed_relief()

    kinds = sorted(Appeal.objects.values_list("kind", "status"))
    assert kinds == [
        ("emergency", "closed"),
        ("emergency", "open"),
        ("project", "open"),
        ("project", "open"),
        ("project", "open"),
    ]
    assert [a.slug for a in Appeal.objects.overdue(association_today())] == ["oaxaca-school-kits"]


def test_the_closed_demo_appeal_is_fully_reported(organiser):
    seed_relief()
    closed = Appeal.objects.get(status="closed")

    assert [b.balance for b in queries.balances(closed)] == [0]
    assert all(s.status == "delivered" for s in closed.shipments.all())
    assert all(n.is_fulfilled for n in closed.needs.filter(kind="goods"))
    assert closed.pledges.exists() and closed.expenses.approved().exists()
