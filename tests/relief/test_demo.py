"""The demo's relief (issue 12): two emergency appeals (one closed and fully reported, one
open) and three development projects with pledges, expenses and shipments, one overdue for
an update; a second run adds nothing."""

import pytest

from tests.factories import MemberFactory, UserFactory
from tests.relief.helpers import kept_totals, recomputed_totals
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


def test_the_demos_running_totals_equal_the_sums_over_its_rows(organiser):
    seed_relief()

    appeals = list(Appeal.objects.all())
    assert len(appeals) == 5
    for appeal in appeals:
        assert kept_totals(appeal) == recomputed_totals(appeal)
        assert appeal.pledge_count == appeal.pledges.count()
        money = appeal.needs.get(kind="money")
        assert money.received_money == sum(d.amount for d in money.donations.all())
        assert money.received_money > 0
