"""The demo's matchmaking (twinning/demo/matchmaking.py): communities abroad listed by staff,
every demo member's offer, an open request, a partner's link waiting, a partner's request
matched with its sister city's offer and recorded as a verified activity, a match declined on
a side's behalf and a request withdrawn; only once."""

import pytest

from tests.matchmaking.helpers import committee, partners, town
from twinning.activities.models import Activity
from twinning.core.authz import SYSTEM
from twinning.demo.matchmaking import seed_matchmaking
from twinning.matchmaking.models import ExpertiseMatch, ExpertiseOffer, ExpertiseRequest
from twinning.matchmaking.queries import offer_suggestions

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
    assert states == ["closed", "invited", "matched", "open", "open"]
    match = ExpertiseMatch.objects.get(recorded_at__isnull=False)
    assert match.request.community.name == "Sapporo"
    assert (match.activity.policies_adopted, match.activity.people_trained) == (2, 12)
    assert match.activity.state == Activity.State.VERIFIED
    assert match.activity.sector == "municipal"
    assert ExpertiseRequest.objects.get(state="invited").community.name == "Gera"


def test_the_demo_shows_a_declined_match_and_a_withdrawn_request():
    for name, abroad in (("Springfield", "Kragujevac"), ("Portland", "Sapporo"), ("Boise", "Gera")):
        place = town(name, "US")
        committee(f"{name} Sister Cities", place)
        partners(place, town(abroad, {"Kragujevac": "RS", "Sapporo": "JP"}.get(abroad, "DE")))

    seed_matchmaking(staff=SYSTEM)

    declined = ExpertiseMatch.objects.filter(declined_at__isnull=False).order_by("pk")
    assert [(m.declined_side, m.offer.community.name) for m in declined] == [
        (ExpertiseMatch.Side.OFFER, "Boise"),
        (ExpertiseMatch.Side.REQUEST, "Portland"),
    ]
    reopened, withdrawn = (m.request for m in declined)
    assert reopened.community.name == "Springfield"
    assert reopened.state == ExpertiseRequest.State.OPEN
    assert offer_suggestions([reopened])[reopened.pk] == []  # Boise's offer is not suggested again
    assert withdrawn.state == ExpertiseRequest.State.CLOSED
    assert "no longer need help" in withdrawn.withdrawn_reason
