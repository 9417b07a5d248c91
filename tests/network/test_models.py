"""Invariants the database holds itself (C7): raw writes that skip the services are refused."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import CommunityFactory
from twinning.network.models import Community, Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    one, other = CommunityFactory(name="Lyon"), CommunityFactory(name="Frankfurt")
    return (one, other) if one.pk < other.pk else (other, one)


def test_partnership_of_a_community_with_itself_is_refused_by_the_database(pair):
    low, _high = pair

    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(community_a=low, community_b=low)

    assert Partnership.objects.count() == 0


def test_partnership_duplicate_pair_is_refused_by_the_database(pair):
    low, high = pair
    Partnership.objects.create(community_a=low, community_b=high)

    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(community_a=low, community_b=high)

    assert Partnership.objects.count() == 1


def test_partnership_pair_in_reverse_order_is_refused_by_the_database(pair):
    low, high = pair
    Partnership.objects.create(community_a=low, community_b=high)

    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(community_a=high, community_b=low)

    assert Partnership.objects.count() == 1


def test_partnership_clean_explains_a_self_pair(pair):
    low, _high = pair

    with pytest.raises(ValidationError, match="cannot be partnered with itself"):
        Partnership(community_a=low, community_b=low).clean()


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(90.5, 0.0), (-91.0, 0.0), (0.0, 180.5), (0.0, -181.0)]
)
def test_community_coordinates_out_of_range_are_refused_by_the_database(latitude, longitude):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityFactory(latitude=latitude, longitude=longitude)

    assert Community.objects.count() == 0


def test_community_with_only_one_coordinate_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityFactory(latitude=10.0, longitude=None)

    assert Community.objects.count() == 0


def test_community_on_the_edges_of_the_range_is_accepted():
    community = CommunityFactory(latitude=-90.0, longitude=180.0)

    assert Community.objects.get().pk == community.pk
