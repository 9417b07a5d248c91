"""The impact figures on a varied generated dataset, against a plain-Python reference written
here: several years, every sector, five regions, activities on several partnerships and
countries (a country on both sides of a partnership, the same partner country twice), none
at all, money with cents, zeros and amounts near the field's limit, reports in every state.
Whatever the figures are computed with (Python or SQL), they must be these, to the cent and
with two decimal places."""

import datetime
import json
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory
from tests.factories.activities import ActivityFactory
from twinning.activities.impact import ImpactFilters, impact_figures
from twinning.activities.models import PARTICIPANT_FIELDS, SECTOR_KINDS, Activity, Sector
from twinning.activities.queries import DORMANT_YEARS_DEFAULT, dormant_partnerships
from twinning.network.models import Partnership, Region

COUNTRIES = ("FR", "DE", "IT", "JP", "KE", "US", "BR", "AU")
ZERO = Decimal("0.00")
LARGEST = Decimal("9999999999.99")  # max_digits=12, decimal_places=2


def _money(rng: random.Random) -> Decimal:
    roll = rng.random()
    if roll < 0.2:
        return ZERO
    if roll < 0.25:
        return LARGEST
    return Decimal(rng.randint(1, 2_000_000)) / 100


def _pair(one, other) -> dict:
    a, b = sorted([one, other], key=lambda c: c.pk)
    return {"community_a": a, "community_b": b}


def build_dataset(seed: int) -> None:
    """Communities in eight countries and one only drafts use (ES); members at home in some;
    partnerships of every status, two inside one country; activities of 0 to 3 partnerships,
    and some on none but with a community that is not a partner (any town, even in the
    member's own country); outcome indicators on some."""
    rng = random.Random(seed)
    towns = {code: [CommunityFactory(country__code=code) for _ in range(3)] for code in COUNTRIES}
    spain = CommunityFactory(country__code="ES")
    members = [MemberFactory(communities=[towns[code][0]]) for code in ("US", "FR", "JP", "KE")]
    everyone = [town for code in COUNTRIES for town in towns[code]]
    partnerships = [
        PartnershipFactory(**_pair(towns["FR"][0], towns["FR"][1])),  # both sides in France
        PartnershipFactory(**_pair(towns["US"][0], towns["US"][2]), status="dormant"),
        PartnershipFactory(**_pair(towns["US"][1], towns["DE"][0])),  # two US-DE pairs
        PartnershipFactory(**_pair(towns["US"][2], towns["DE"][1])),
    ]
    pairs = {(p.community_a_id, p.community_b_id) for p in partnerships}
    while len(partnerships) < 24:
        one, other = rng.sample(everyone, 2)
        key = tuple(sorted([one.pk, other.pk]))
        if key in pairs:
            continue
        pairs.add(key)
        status = rng.choice(["active"] * 4 + ["dormant", "ended", "proposed"])
        partnerships.append(PartnershipFactory(**_pair(one, other), status=status))
    with_spain = PartnershipFactory(**_pair(towns["US"][0], spain))
    kinds = [(sector, kind) for sector, group in SECTOR_KINDS.items() for kind in group]
    for index in range(70):
        sector, kind = rng.choice(kinds)
        start = datetime.date(2021, 1, 1) + datetime.timedelta(days=rng.randint(0, 2100))
        people = {name: rng.choice([0, 0, 1, 7, 30]) for name in PARTICIPANT_FIELDS}
        state = "verified" if index % 7 else rng.choice(["draft", "submitted", "changes_requested"])
        on = rng.sample(partnerships, rng.choice([0, 1, 1, 1, 2, 3]))
        if index in {3, 4}:  # two partnerships in the same two countries, and the French pair
            on = partnerships[2:4] if index == 3 else [partnerships[0], *partnerships[2:4]]
        member = rng.choice(members)
        pair = {}
        if not on and index % 2:  # with a community that is not a partner: the two towns
            home = member.communities.get()
            pair = {
                "community": home,
                "counterpart": rng.choice([t for t in everyone if t != home]),
            }
        ActivityFactory(
            member=member,
            partnerships=on,
            **pair,
            policies_adopted=rng.choice([0, 0, 1, 3]),
            people_trained=rng.choice([0, 5, 40]),
            state=state,
            sector=sector,
            kind=kind,
            start_date=start,
            end_date=start + datetime.timedelta(days=rng.randint(0, 9)),
            volunteer_hours=rng.choice([0, 3, 250]),
            money_raised=_money(rng),
            money_spent=_money(rng),
            agreements_signed=rng.choice([0, 0, 1, 2]),
            **people,
        )
    ActivityFactory(member=members[0], partnerships=[with_spain], state="submitted")


# --- The reference: every verified activity read as an object, summed in Python -----------------


def _bucket() -> dict:
    return {
        "activities": 0,
        "participants": 0,
        "volunteer_hours": 0,
        "money_raised": ZERO,
        "money_spent": ZERO,
        "policies_adopted": 0,
        "people_trained": 0,
    }


def _count(bucket: dict, activity: Activity) -> None:
    bucket["activities"] += 1
    bucket["participants"] += activity.participants
    bucket["volunteer_hours"] += activity.volunteer_hours
    bucket["money_raised"] += activity.money_raised
    bucket["money_spent"] += activity.money_spent
    bucket["policies_adopted"] += activity.policies_adopted
    bucket["people_trained"] += activity.people_trained


def _countries(activity: Activity) -> set:
    if activity.counterpart_id is not None:
        return {activity.community.country, activity.counterpart.country}
    return {
        community.country
        for partnership in activity.partnerships.all()
        for community in (partnership.community_a, partnership.community_b)
    }


def _by_count(buckets: dict) -> list:
    return sorted(buckets.items(), key=lambda kv: (-kv[1]["activities"], kv[0]))


def _partnership_in_place(partnership: Partnership, filters: ImpactFilters) -> bool:
    countries = (partnership.community_a.country, partnership.community_b.country)
    if filters.country:
        return filters.country in {country.code for country in countries}
    if filters.region:
        return filters.region in {country.region for country in countries}
    return True


def load_world() -> dict:
    """Everything the reference needs, read once."""
    return {
        "verified": list(
            Activity.objects.filter(state="verified")
            .select_related("community__country", "counterpart__country")
            .prefetch_related(
                "partnerships__community_a__country", "partnerships__community_b__country"
            )
        ),
        "partnerships": list(
            Partnership.objects.select_related("community_a__country", "community_b__country")
        ),
        "dormant": list(
            dormant_partnerships(years=DORMANT_YEARS_DEFAULT, today=timezone.localdate())
        ),
    }


def reference_figures(filters: ImpactFilters, world: dict) -> dict:
    verified = world["verified"]
    totals = {
        **_bucket(),
        "visitors": 0,
        "hosts": 0,
        "under_18": 0,
        "age_18_30": 0,
        "over_30": 0,
        "agreements": 0,
    }
    by_year, by_sector, by_kind = defaultdict(_bucket), defaultdict(_bucket), defaultdict(_bucket)
    by_region, by_country = defaultdict(_bucket), defaultdict(_bucket)
    for activity in verified:
        countries = _countries(activity)
        if filters.year and activity.start_date.year != filters.year:
            continue
        if filters.country and filters.country not in {c.code for c in countries}:
            continue
        if filters.region and filters.region not in {c.region for c in countries}:
            continue
        _count(totals, activity)
        totals["visitors"] += activity.visitors
        totals["hosts"] += activity.hosts
        totals["under_18"] += activity.visitors_under_18 + activity.hosts_under_18
        totals["age_18_30"] += activity.visitors_18_30 + activity.hosts_18_30
        totals["over_30"] += activity.visitors_over_30 + activity.hosts_over_30
        totals["agreements"] += activity.agreements_signed
        _count(by_year[activity.start_date.year], activity)
        _count(by_sector[activity.sector], activity)
        _count(by_kind[activity.kind], activity)
        for region in {country.region for country in countries}:
            _count(by_region[region], activity)
        for country in countries:
            _count(by_country[country.code], activity)
    used = {country for activity in verified for country in _countries(activity)}
    statuses = [p.status for p in world["partnerships"] if _partnership_in_place(p, filters)]
    dormant = [p for p in world["dormant"] if _partnership_in_place(p, filters)]
    return {
        "totals": totals,
        "years": sorted({a.start_date.year for a in verified}, reverse=True),
        "by_year": sorted(by_year.items()),
        "by_sector": sorted(by_sector.items(), key=lambda kv: Sector.values.index(kv[0])),
        "by_kind": _by_count(by_kind),
        "by_region": _by_count(by_region),
        "by_country": _by_count(by_country),
        "partnerships_by_status": [
            (status, statuses.count(status)) for status in Partnership.Status.values
        ],
        "dormant": len(dormant),
        "countries": sorted(((c.code, c.name) for c in used), key=lambda item: item[1]),
        "country_names": {c.code: c.name for c in used},
    }


def _filters_to_check() -> list[ImpactFilters]:
    years = [None, 2021, 2023, 2026, 2019]
    places = [("", "")]
    places += [(region, "") for region in Region.values]
    places += [("", code) for code in (*COUNTRIES, "ES", "ZZ")]
    places += [(Region.EUROPE, "JP"), (Region.AFRICA, "KE")]
    return [
        ImpactFilters(year=year, region=region, country=country)
        for year in years
        for region, country in places
    ]


def _as_text(figures: dict) -> str:
    """Decimals as text: 1500.00 and 1500.0 are equal numbers but not equal on the page."""
    return json.dumps(figures, default=str, sort_keys=True)


@pytest.mark.parametrize("seed", [1, 2])
def test_impact_figures_match_the_python_reference_for_every_filter(db, seed):
    build_dataset(seed)
    world = load_world()

    for filters in _filters_to_check():
        figures = impact_figures(filters)
        expected = reference_figures(filters, world)

        assert figures == expected, filters
        assert _as_text(figures) == _as_text(expected), filters


def test_the_dataset_has_the_cases_the_reference_is_there_for(db):
    build_dataset(1)
    verified = Activity.objects.filter(state="verified")
    through = Activity.partnerships.through.objects.filter(activity__state="verified")

    assert verified.filter(partnerships=None).exists()
    assert (
        verified.filter(money_raised=LARGEST).exists() and verified.filter(money_spent=0).exists()
    )
    assert len({a.start_date.year for a in verified}) >= 5
    assert {a.sector for a in verified} == set(Sector.values)
    assert through.filter(
        partnership__community_a__country="FR", partnership__community_b__country="FR"
    ).exists()
    shared = [a for a in verified if len(_countries(a)) < 2 * a.partnerships.count()]
    assert len(shared) >= 2


def test_money_sums_are_exact_to_the_cent(anonymous, springfield_member, partnership):
    for amount in (LARGEST, LARGEST, LARGEST, Decimal("0.10"), Decimal("0.20"), Decimal("0.01")):
        ActivityFactory(
            member=springfield_member,
            partnerships=[partnership],
            state="verified",
            money_raised=amount,
            money_spent=ZERO,
        )

    figures = anonymous.get("/impact/").context["figures"]

    assert str(figures["totals"]["money_raised"]) == "30000000000.28"
    assert str(figures["by_country"][0]["money_raised"]) == "30000000000.28"
    assert str(figures["by_region"][0]["money_spent"]) == "0.00"


@pytest.mark.parametrize("size", [1, 4])
def test_filtered_impact_queries_do_not_grow_with_activities_and_countries(
    anonymous, springfield_member, springfield, size, django_assert_num_queries
):
    for index in range(size):
        partners = [CommunityFactory(country__code=code) for code in ("FR", COUNTRIES[3 + index])]
        ActivityFactory(
            member=springfield_member,
            partnerships=[PartnershipFactory(**_pair(springfield, town)) for town in partners],
            state="verified",
        )
    anonymous.get("/accounts/login/")  # the association's settings, cached

    # fingerprints (2), activities by year and kind, by country and region, partnerships by
    # status, dormant; the exchange's panel (2), relief's (4). The expertise exchange's
    # outcomes are activities of their own: no panel of their own.
    with django_assert_num_queries(12):
        response = anonymous.get("/impact/?year=2025&region=europe&country=US")

    assert response.context["figures"]["totals"]["activities"] == size
