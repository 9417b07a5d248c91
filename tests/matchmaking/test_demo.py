"""The demo's matchmaking (twinning/demo/matchmaking.py): communities abroad listed by staff,
every demo member's offer, an open request, a partner's link waiting, and a partner's request
matched with its sister city's offer and recorded as a verified activity; only once."""

import pytest

from tests.matchmaking.helpers import committee, partners, town
from twinning.activities.models import Activity
from twinning.core.authz import SYSTEM
from twinning.demo.matchmaking import seed_matchmaking
from twinning.matchmaking.models import ExpertiseMatch, ExpertiseOffer, ExpertiseRequest

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_expertise_exchange_once():
    for name, abroad in (("Springfield", "Kragujevac"), ("Portland", "Sapporo"), ("Boise", "Gera")):
        place = town(name, "US")
        committee(f"{name} Sister Cities", place)
        partners(place, town(abroad, {"Kragujevac": "RS", "Sapporo": "JP"}.get(abroad, "DE")))
    town("Lima", "PE", population=9_000_000)

    made = seed_matchmaking(staff=SYSTEM)
    again = seed_matchmaking(staff=SYSTEM)

    assert (made, again) == (3, 0)
    assert ExpertiseOffer.objects.count() == 3
    states = sorted(ExpertiseRequest.objects.values_list("state", flat=True))
    assert states == ["invited", "matched", "open"]
    match = ExpertiseMatch.objects.get()
    assert match.request.community.name == "Sapporo"
    assert (match.activity.policies_adopted, match.activity.people_trained) == (2, 12)
    assert match.activity.state == Activity.State.VERIFIED
    assert match.activity.sector == "municipal"
    assert ExpertiseRequest.objects.get(state="invited").community.name == "Gera"
