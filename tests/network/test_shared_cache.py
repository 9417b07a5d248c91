"""Cached figures with several web processes (README, "Caches"): each process is simulated
by its own cache client. With the default (local memory, one store per process) a write
made through one process shows in the others at their next request, because every figure's
key holds the data's fingerprint read from the database; with Redis (REDIS_URL) the
processes share one copy: one computes, the others read it, and a write seen by one is seen
by all."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from tests.factories import PartnershipFactory
from twinning.network.models import Partnership
from twinning.network.services import change_partnership_status

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def process(cache_settings):
    """A web process's cache client: a new client (and, for local memory, its own store)."""
    return override_settings(CACHES={"default": cache_settings})


def own_memory(name):
    return process({"BACKEND": LOCMEM, "LOCATION": f"process-{name}"})


def partnerships_on_stats_page(client):
    response = client.get("/stats/")
    assert response.status_code == 200
    return response.context["figures"]["totals"]["partnerships"]


@pytest.fixture
def two_partnerships(db):
    return PartnershipFactory(), PartnershipFactory()


def test_a_write_through_one_process_shows_in_another_with_its_own_memory(
    anonymous, staff_user, two_partnerships
):
    with own_memory("a"):
        cache.clear()
        assert partnerships_on_stats_page(anonymous) == 2
    with own_memory("b"):
        cache.clear()
        # Process b changes a status; its invalidation reaches b's memory only.
        change_partnership_status(
            partnership=two_partnerships[0], status=Partnership.Status.ENDED, by=staff_user
        )
        assert partnerships_on_stats_page(anonymous) == 1
    with own_memory("a"):
        assert partnerships_on_stats_page(anonymous) == 1


@pytest.mark.redis
def test_processes_on_redis_share_the_figures_and_their_invalidation(
    anonymous, staff_user, two_partnerships
):
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache"}
    redis["LOCATION"] = settings.REDIS_URL
    with process(redis):
        cache.clear()
        with CaptureQueriesContext(connection) as computing:
            assert partnerships_on_stats_page(anonymous) == 2
    with process(redis), CaptureQueriesContext(connection) as reading:
        # Another client finds the figures computed by the first: only the fingerprint query.
        assert partnerships_on_stats_page(anonymous) == 2
    assert len(reading.captured_queries) == 1 < len(computing.captured_queries)
    with process(redis):
        change_partnership_status(
            partnership=two_partnerships[1], status=Partnership.Status.ENDED, by=staff_user
        )
    with process(redis):
        assert partnerships_on_stats_page(anonymous) == 1


def test_a_deployment_without_a_shared_cache_is_warned():
    from twinning.core.checks import shared_cache_when_deployed

    with override_settings(DEBUG=False), own_memory("deployed"):
        assert [w.id for w in shared_cache_when_deployed(None)] == ["twinning.W001"]
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
    with override_settings(DEBUG=False), process(redis):
        assert shared_cache_when_deployed(None) == []
