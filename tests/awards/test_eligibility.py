"""Eligibility is computed from the registry and explained, rule by rule, before anyone
starts: good standing, a formally recognised active partnership, the population bracket."""

import pytest

from tests.awards.helpers import SMALL, VOLUNTEER, category, make_eligible
from tests.factories import CommunityFactory, MemberFactory
from twinning.awards.eligibility import check_eligibility
from twinning.network.models import Partnership


@pytest.mark.django_db
def test_an_eligible_committee_sees_every_rule_met_with_its_reason(
    cycle, springfield_member, eligible
):
    result = check_eligibility(category=category(cycle, SMALL), member=springfield_member)

    assert result.eligible
    assert [rule.rule for rule in result.rules] == ["membership", "partnership", "population"]
    assert "Springfield has 25,000 people" in result.rules[2].text
    assert "up to 25,000 people" in result.rules[2].text


@pytest.mark.django_db
def test_a_committee_without_membership_is_told_so(cycle):
    member = MemberFactory(communities=[CommunityFactory()])

    result = check_eligibility(category=category(cycle, VOLUNTEER), member=member)

    assert not result.eligible
    assert [rule.rule for rule in result.rules if not rule.ok] == ["membership", "partnership"]


@pytest.mark.django_db
def test_a_friendship_city_is_not_a_formally_recognised_partnership(cycle):
    member = MemberFactory(communities=[CommunityFactory()])
    make_eligible(member, kind=Partnership.Kind.FRIENDSHIP_CITY)

    result = check_eligibility(category=category(cycle, VOLUNTEER), member=member)

    assert result.problems == [result.rules[1].text]
    assert "formally recognised" in result.problems[0]


@pytest.mark.django_db
def test_a_missing_population_is_a_clear_fixable_message(cycle):
    member = MemberFactory(communities=[CommunityFactory(name="Nowhere", population=None)])
    make_eligible(member)

    result = check_eligibility(category=category(cycle, SMALL), member=member)

    assert not result.eligible
    assert result.problems == [
        "The registry has no population for Nowhere, so its bracket cannot be computed. Ask "
        "the association's staff to add it to the community's record (a census or official "
        "figure), then come back: nothing else is needed."
    ]


@pytest.mark.django_db
def test_a_missing_population_does_not_matter_without_a_bracket(cycle):
    member = MemberFactory(communities=[CommunityFactory(population=None)])
    make_eligible(member)

    assert check_eligibility(category=category(cycle, VOLUNTEER), member=member).eligible


@pytest.mark.django_db
def test_a_community_outside_the_bracket_is_sent_to_its_own(cycle):
    member = MemberFactory(communities=[CommunityFactory(name="Big", population=250_000)])
    make_eligible(member)

    small = check_eligibility(category=category(cycle, SMALL), member=member)
    right = check_eligibility(
        category=category(cycle, "best-overall-program-100001-300000"), member=member
    )

    assert small.problems == [
        "Big has 250,000 people; this category is for communities of up to 25,000 people. "
        "Choose the category of your bracket instead."
    ]
    assert right.eligible


@pytest.mark.django_db
def test_a_new_cycle_has_the_default_categories_and_brackets(cycle):
    brackets = [
        (c.name, c.population_min, c.population_max)
        for c in cycle.categories.filter(name__startswith="Best Overall")
    ]

    assert brackets == [
        ("Best Overall Program, up to 25,000", None, 25_000),
        ("Best Overall Program, 25,001-100,000", 25_001, 100_000),
        ("Best Overall Program, 100,001-300,000", 100_001, 300_000),
        ("Best Overall Program, 300,001-500,000", 300_001, 500_000),
        ("Best Overall Program, over 500,000", 500_001, None),
    ]
    assert list(
        cycle.categories.exclude(name__startswith="Best").values_list("name", flat=True)
    ) == [
        "Innovation in Arts and Culture",
        "Business, Trade and Professional Exchange",
        "Humanitarian Assistance",
        "Youth and Education",
        "Volunteer of the Year",
        "Youth Leadership",
    ]
