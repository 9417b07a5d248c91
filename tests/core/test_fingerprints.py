"""core.fingerprints: a source's fingerprint changes when one of its rows is added, saved or
removed, and only then (rows outside the source's filter do not count); a `Fingerprint`
compiles its query once and reads the same value as `data_version`."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CommunityFactory
from twinning.core.fingerprints import Fingerprint, data_version
from twinning.network.models import Community

pytestmark = pytest.mark.django_db


def _version(country: str) -> str:
    return data_version((Community.objects.filter(country_id=country), ("pk", "updated_at")))


def test_data_version_changes_when_a_row_is_added_saved_or_removed():
    first = CommunityFactory(country__code="KE")
    before = _version("KE")

    second = CommunityFactory(country=first.country)
    added = _version("KE")
    first.name = "Renamed"
    first.save()
    saved = _version("KE")
    second.delete()
    removed = _version("KE")

    assert _version("KE") == removed
    assert len({before, added, saved, removed}) == 4


def test_data_version_ignores_rows_outside_its_source():
    kenyan = CommunityFactory(country__code="KE")
    before = _version("KE")

    other = CommunityFactory(country__code="US")
    other.name = "Elsewhere"
    other.save()

    assert _version("KE") == before
    kenyan.save()
    assert _version("KE") != before


def test_a_fingerprint_reads_what_data_version_reads_and_follows_each_change():
    built = []

    def sources():
        built.append(1)
        return [(Community.objects.filter(country_id="KE"), ("pk", "updated_at"))]

    kenyan = Fingerprint(sources)
    first = CommunityFactory(country__code="KE")
    before = kenyan()
    assert before == _version("KE")

    first.name = "Renamed"
    first.save()
    with CaptureQueriesContext(connection) as captured:
        after = kenyan()

    assert after == _version("KE") != before
    assert len(captured) == 1
    assert len(built) == 1  # the sources were built and compiled once
