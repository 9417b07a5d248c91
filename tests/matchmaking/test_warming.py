"""The suggestions ranked again off the request path: after every kind of change of the
registry, once the change commits, a task ranks the suggestions pages viewed lately into the
shared cache; the next view reads its ranking there (no registry read) and it equals a fresh
computation on the registry as it is. A view that finds nothing there ranks itself, and a
ranking of another version of the registry is never read."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tests.matchmaking.helpers import committee, partners, profile, town
from twinning.core.authz import SYSTEM
from twinning.matchmaking import queries
from twinning.matchmaking.queries import (
    SUGGESTIONS_LIMIT,
    VIEWED_KEY,
    VIEWED_SECONDS,
    WARMED_KEY,
    read_registry,
    registry_version,
    suggestions_for,
    warm_suggestions,
)
from twinning.matchmaking.scoring import suggest
from twinning.matchmaking.tasks import _enqueue
from twinning.network.models import Community, Country, Partnership
from twinning.network.services import change_partnership_status

pytestmark = pytest.mark.django_db

# A view whose ranking is found (in this process or the shared cache): the registry's version
# (two queries), the kept communities, the interest. One that ranks itself reads the registry
# too (four more); in a process that read it before, only what changed (the profiles: one).
FOUND, MADE, PROFILES_READ_AGAIN = 4, 8, 5


@pytest.fixture
def world(springfield, springfield_member):
    lyon = town("Lyon", "FR", population=500_000)
    nairobi = town("Nairobi", "KE", population=4_000_000)
    kyoto = town("Kyoto", "JP", population=1_400_000)
    profile(springfield, preferred_regions=["europe"], sectors=["arts"], languages=["fr"])
    profile(lyon, sectors=["arts"], languages=["fr"])
    profile(nairobi, sectors=["youth"], languages=["en", "sw"], preferred_regions=["americas"])
    link = partners(kyoto, nairobi)
    _forget_pending_warming()
    return {"springfield": springfield, "lyon": lyon, "kyoto": kyoto, "link": link}


def _forget_pending_warming() -> None:
    """As if the test's writes so far had committed (the test's transaction never does): the
    warming they enqueued on commit is no longer waiting."""
    connection.run_on_commit[:] = [c for c in connection.run_on_commit if c[1] is not _enqueue]


@contextmanager
def committed() -> Iterator[list]:
    """The block's writes as one committed transaction: their on-commit callbacks (the
    immediate task backend runs the task in them) are run and listed."""
    _forget_pending_warming()
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        yield callbacks
    _forget_pending_warming()


def _fresh(community: Community) -> list:
    registry = read_registry()
    return suggest(registry, registry.nodes[community.pk])


def _another_process() -> None:
    """Nothing in this process's memo nor its kept reads: only the shared cache."""
    queries._memo = None
    queries._reads = queries._Reads()


def _shown(community: Community) -> tuple[list, int]:
    _another_process()
    return _shown_here(community)


def _shown_here(community: Community) -> tuple[list, int]:
    """The suggestions as this process shows them, with what it kept."""
    with CaptureQueriesContext(connection) as captured:
        rows = suggestions_for(community)
    return [row.suggestion for row in rows], len(captured)


def _new_partnership(w):
    partners(w["springfield"], w["lyon"])


def _ended_partnership(w):
    change_partnership_status(partnership=w["link"], status="ended", by=SYSTEM)


def _deleted_partnership(w):
    Partnership.objects.filter(pk=w["link"].pk).delete()


def _new_member_community(w):
    place = town("Bergen", "NO", population=290_000)
    committee("Bergen Sister Cities", place)


def _profile_changed(w):
    profile(w["lyon"], sectors=["youth"], languages=["en"], preferred_countries=["US"])


def _new_profile(w):
    profile(town("Rome", "IT", population=2_800_000), sectors=["arts"], languages=["fr"])


def _community_changed(w):
    kyoto = w["kyoto"]
    kyoto.population = 200_000
    kyoto.save()


def _community_deleted(w):
    town("Oslo", "NO").delete()


def _new_country(w):
    Country.objects.create(code="XK", name="Kosovo", region="europe")


CHANGES = [
    _new_partnership,
    _ended_partnership,
    _deleted_partnership,
    _new_member_community,
    _profile_changed,
    _new_profile,
    _community_changed,
    _community_deleted,
    _new_country,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__.strip("_"))
def test_after_every_change_the_warmed_suggestions_equal_a_fresh_computation(world, change):
    assert _shown(world["springfield"])[0] == _fresh(world["springfield"])
    before = registry_version()

    with committed() as callbacks:
        change(world)

    seeker = world["springfield"]
    assert registry_version() != before
    assert [c for c in callbacks if c is _enqueue] == [_enqueue]  # once, however many rows
    assert cache.get(WARMED_KEY) == registry_version()
    shown, count = _shown(seeker)
    assert shown == _fresh(seeker)
    assert count == FOUND  # read from the shared cache: no registry read in the view


def test_the_partnership_made_is_no_longer_suggested_once_warmed(world):
    assert "Lyon" in [s.node.name for s in _shown(world["springfield"])[0]]

    with committed():
        _new_partnership(world)

    assert "Lyon" not in [s.node.name for s in _shown(world["springfield"])[0]]


def test_without_the_task_the_view_ranks_itself_and_shares_it(world):
    _profile_changed(world)  # no commit in this test's transaction: no task ran

    shown, count = _shown(world["springfield"])
    again, count_again = _shown(world["springfield"])  # another process: the shared cache

    assert shown == again == _fresh(world["springfield"])
    assert (count, count_again) == (MADE, FOUND)


def test_a_ranking_of_another_version_is_never_read(world):
    warm_suggestions()
    _shown(world["springfield"])
    _new_partnership(world)  # no task: the cache holds the old version's rankings only

    shown, count = _shown(world["springfield"])

    assert "Lyon" not in [s.node.name for s in shown]
    assert shown == _fresh(world["springfield"])
    assert count == MADE


def test_warming_ranks_the_pages_viewed_lately_once_per_version(world):
    _shown(world["springfield"])
    _shown(world["lyon"])

    assert warm_suggestions() == 0  # this version's rankings were made by the views
    _profile_changed(world)
    assert warm_suggestions() == 2
    assert warm_suggestions() == 0


def test_a_rolled_back_change_enqueues_nothing_and_the_next_commit_does(world):
    with committed() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _new_profile(world)
            raise RuntimeError
        _profile_changed(world)

    assert [c for c in callbacks if c is _enqueue] == [_enqueue]
    assert cache.get(WARMED_KEY) == registry_version()


def test_a_page_not_viewed_lately_is_made_by_its_first_view(world):
    _shown(world["springfield"])
    with committed():
        _new_profile(world)

    nairobi = Community.objects.get(name="Nairobi")
    shown, count = _shown(nairobi)

    assert shown == _fresh(nairobi)
    assert count == MADE


def test_a_page_viewed_more_than_a_week_ago_is_not_warmed(world):
    _shown(world["springfield"])
    _shown(world["lyon"])
    viewed = cache.get(VIEWED_KEY)
    viewed[(world["lyon"].pk, SUGGESTIONS_LIMIT)] -= VIEWED_SECONDS + 1
    cache.set(VIEWED_KEY, viewed)
    _profile_changed(world)
    _another_process()

    _shown(world["springfield"])  # noted again: the list pruned

    assert set(cache.get(VIEWED_KEY)) == {(world["springfield"].pk, SUGGESTIONS_LIMIT)}


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__.strip("_"))
def test_after_every_change_a_process_reading_only_what_changed_ranks_as_a_full_read(world, change):
    """A process that read the registry keeps its reads: after a change (no task yet), its
    view reads again the parts whose version changed and ranks what a full read gives."""
    seeker = world["springfield"]
    _shown(seeker)  # this process read every part

    change(world)
    cache.delete(queries._shared_key(seeker.pk, SUGGESTIONS_LIMIT))
    shown, count = _shown_here(seeker)

    assert shown == _fresh(seeker)
    assert queries.registry_snapshot() == read_registry()
    assert FOUND < count <= MADE


def test_after_a_profile_change_only_the_profiles_are_read_again(world):
    seeker = world["springfield"]
    _shown(seeker)

    _profile_changed(world)
    cache.delete(queries._shared_key(seeker.pk, SUGGESTIONS_LIMIT))
    shown, count = _shown_here(seeker)

    assert shown == _fresh(seeker)
    assert "youth" in queries.registry_snapshot().nodes[world["lyon"].pk].fields
    assert count == PROFILES_READ_AGAIN
