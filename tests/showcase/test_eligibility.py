"""Eligibility (issue 3 §1, PRIV-1, PRIV-2): age on the cut-off date and the community's
standing."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import CommunityFactory, MemberFactory
from twinning.showcase.eligibility import age_on, check_eligibility, community_eligibility


def reference_age(born: datetime.date, day: datetime.date) -> int:
    """Count the birthdays reached: a 29 February birthday falls on 1 March in common years."""

    def birthday(year: int) -> datetime.date:
        try:
            return born.replace(year=year)
        except ValueError:
            return datetime.date(year, 3, 1)

    return sum(1 for year in range(born.year + 1, day.year + 1) if birthday(year) <= day)


dates = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2060, 12, 31))


@settings(max_examples=10_000, deadline=None)
@given(born=dates, day=dates)
def test_age_on_matches_the_reference_for_any_two_dates(born, day):
    if day < born:
        born, day = day, born

    assert age_on(born, day) == reference_age(born, day)


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (datetime.date(2008, 2, 29), datetime.date(2021, 2, 28), 12),
        (datetime.date(2008, 2, 29), datetime.date(2021, 3, 1), 13),
        (datetime.date(2008, 2, 29), datetime.date(2024, 2, 29), 16),
        (datetime.date(2010, 6, 15), datetime.date(2023, 6, 14), 12),
        (datetime.date(2010, 6, 15), datetime.date(2023, 6, 15), 13),
    ],
)
def test_age_on_boundaries_the_day_before_and_of_the_birthday(born, day, age):
    assert age_on(born, day) == age


def test_student_one_day_short_of_thirteen_on_the_cutoff_is_too_young(edition, springfield):
    born = edition.cutoff_date.replace(year=edition.cutoff_date.year - 13) + datetime.timedelta(1)

    result = check_eligibility(
        edition=edition, date_of_birth=born, community=springfield, today=edition.cutoff_date
    )

    assert result.too_young
    assert not result.eligible


def test_student_thirteen_on_the_cutoff_is_eligible_with_a_guardian(edition, springfield):
    born = edition.cutoff_date.replace(year=edition.cutoff_date.year - 13)

    result = check_eligibility(
        edition=edition, date_of_birth=born, community=springfield, today=edition.cutoff_date
    )

    assert result.eligible
    assert result.guardian_needed


def test_student_nineteen_on_the_cutoff_is_told_the_age_range(edition, springfield):
    born = edition.cutoff_date.replace(year=edition.cutoff_date.year - 19)

    result = check_eligibility(
        edition=edition, date_of_birth=born, community=springfield, today=edition.cutoff_date
    )

    assert result.too_old
    assert "13 to 18" in result.reasons[0]


def test_member_community_in_good_standing_is_eligible(edition, springfield):
    ok, why = community_eligibility(springfield, edition.cutoff_date)

    assert ok
    assert "Springfield Sister Cities" in why


def test_sister_city_of_a_member_community_is_eligible(edition, sister_city):
    ok, why = community_eligibility(sister_city, edition.cutoff_date)

    assert ok
    assert "sister city of Springfield" in why


def test_community_of_a_member_without_membership_is_not_eligible(edition):
    lapsed = CommunityFactory(name="Lapsedtown")
    MemberFactory(name="Lapsed committee", communities=[lapsed])

    ok, why = community_eligibility(lapsed, edition.cutoff_date)

    assert not ok
    assert "Lapsedtown is neither a member community" in why


def test_unconnected_community_is_not_eligible(edition):
    ok, _why = community_eligibility(CommunityFactory(name="Nowhere"), edition.cutoff_date)

    assert not ok
